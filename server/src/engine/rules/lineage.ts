// Facts about a stage's lineage (the stage and the stages it is built FROM), computed once per
// stage. Rules ask "did anything earlier in this lineage do X?" for many instructions: scanning the
// whole lineage each time is quadratic in a long chain of stages, these memos keep it linear.
import type { DockerfileModel, InstructionModel, StageModel } from '../parse/dockerfile';

/**
 * `make(stage, parentValue)` for `stage` and, first, for each stage it is built FROM, remembered
 * in `cache`. Iterative: a chain of 10,000 stages would overflow the call stack.
 */
export function alongLineage<T>(stage: StageModel, cache: WeakMap<StageModel, T>, make: (stage: StageModel, parent: T | undefined) => T): T {
  const todo: StageModel[] = [];
  let s: StageModel | undefined = stage;
  while (s && !cache.has(s)) {
    todo.push(s);
    s = s.parent;
  }
  let value = s ? cache.get(s) : undefined;
  for (let i = todo.length - 1; i >= 0; i--) {
    value = make(todo[i], todo[i].parent ? value : undefined);
    cache.set(todo[i], value);
  }
  return cache.get(stage)!;
}

/** `stage` and the stages it is built FROM, root first (build order). */
export function stagesOf(stage: StageModel): StageModel[] {
  const out: StageModel[] = [];
  for (let s: StageModel | undefined = stage; s; s = s.parent) out.push(s);
  return out.reverse();
}

const rootOf = new WeakMap<StageModel, StageModel>();

/** The first stage of the lineage: the one built FROM an image, not another stage. */
export function rootStage(stage: StageModel): StageModel {
  return alongLineage(stage, rootOf, (s, parentRoot) => parentRoot ?? s);
}

interface Has {
  /** Start of the first instruction of the stage itself that matches, or Infinity. */
  first: number;
  /** Some instruction of a stage this one is built FROM matches. */
  inherited: boolean;
}

const hasMemo = new Map<string, WeakMap<StageModel, Has>>();

/**
 * True when an instruction of the lineage that starts before `before` (at or before, with
 * `inclusive`) matches `test`: the same as
 * `lineage(stage).filter((i) => i.start < before).some(test)`, computed once per stage and `key`.
 * `key` names the test: one key, one test (the stages of one model share the memo).
 */
export function lineageHas(stage: StageModel, before: number, key: string, test: (inst: InstructionModel) => boolean, inclusive = false): boolean {
  let cache = hasMemo.get(key);
  if (!cache) hasMemo.set(key, (cache = new WeakMap()));
  const has = alongLineage(stage, cache, (s, parent) => {
    const hit = s.instructions.find(test);
    return { first: hit ? hit.start : Infinity, inherited: !!parent && (parent.inherited || parent.first !== Infinity) };
  });
  // The stages built FROM come earlier in the file: all of their instructions are before `before`.
  return has.inherited || has.first < before || (inclusive && has.first === before);
}

const childrenOf = new WeakMap<readonly StageModel[], Map<StageModel, StageModel[]>>();

/** The stages built directly on each stage (`FROM <stage>`), in file order; once per stage list. */
export function childStages(stages: readonly StageModel[]): Map<StageModel, StageModel[]> {
  let children = childrenOf.get(stages);
  if (!children) {
    children = new Map();
    for (const s of stages) {
      if (!s.parent) continue;
      const list = children.get(s.parent);
      if (list) list.push(s);
      else children.set(s.parent, [s]);
    }
    childrenOf.set(stages, children);
  }
  return children;
}

interface FinalLineage {
  /** Each stage of the final image's lineage, with its place in it (root 0). */
  index: Map<StageModel, number>;
  chain: StageModel[];
  /** Stages off that lineage built directly on a stage of it, with that stage's place. */
  offshoots: { stage: StageModel; at: number }[];
}

const finalLineageOf = new WeakMap<DockerfileModel, FinalLineage>();

/** The final image's lineage and the stages that branch off it, once per model. */
function finalLineage(model: DockerfileModel): FinalLineage {
  let f = finalLineageOf.get(model);
  if (!f) {
    const chain = model.finalStage ? stagesOf(model.finalStage) : [];
    const index = new Map(chain.map((s, i) => [s, i]));
    const offshoots = model.stages.flatMap((s) => (s.parent && index.has(s.parent) && !index.has(s) ? [{ stage: s, at: index.get(s.parent)! }] : []));
    finalLineageOf.set(model, (f = { index, chain, offshoots }));
  }
  return f;
}

/**
 * The stages off the final image's lineage built directly on a stage of it at or after `stage`
 * (`FROM base AS deps` beside `FROM base`): they inherit what `stage` installs without shipping it.
 * Empty when `stage` is not on that lineage.
 */
export function branchStages(model: DockerfileModel, stage: StageModel): StageModel[] {
  const f = finalLineage(model);
  const at = f.index.get(stage);
  return at === undefined ? [] : f.offshoots.filter((o) => o.at >= at).map((o) => o.stage);
}

/**
 * `stage` and the stages built on it that its toolchain stays in once moved to the branches
 * (branchStages): on the final image's lineage, that lineage from `stage` on (a stage off it built on
 * `stage` is under a branch); off it, every stage built on `stage`.
 */
export function shippedOnStage(model: DockerfileModel, stage: StageModel): StageModel[] {
  const f = finalLineage(model);
  const at = f.index.get(stage);
  if (at !== undefined) return f.chain.slice(at);
  const children = childStages(model.stages);
  const out: StageModel[] = [];
  for (const todo = [stage]; todo.length; ) {
    const s = todo.pop()!;
    out.push(s);
    todo.push(...(children.get(s) ?? []));
  }
  return out.sort((x, y) => x.index - y.index);
}

/** True when `i` comes after `inst` in a stage of shippedOnStage(model, inst.stage): in O(1) on the final image's lineage. */
export function laterOnStage(model: DockerfileModel, inst: InstructionModel, i: InstructionModel): boolean {
  if (i.start <= inst.start) return false;
  const f = finalLineage(model);
  const at = f.index.get(inst.stage);
  if (at !== undefined) return (f.index.get(i.stage) ?? -1) >= at;
  return stagesOf(i.stage).includes(inst.stage);
}
