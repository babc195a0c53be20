// Every rule, in one list. Adding a rule: write it in its family module, add it to that
// module's exported list, and write docs/rules/SDnnn.md. Nothing else.
import type { DockerfileRule } from './rule';
import { SD000 } from './meta';
import { pythonRules } from './python';
import { osRules } from './os';
import { baseRules } from './base';
import { contextRules } from './context';
import { layerRules } from './layers';
import { uvRules } from './uv';
import { projectRules, type ProjectRule } from './pyproject';

export const dockerfileRules: readonly DockerfileRule[] = [SD000, ...pythonRules, ...osRules, ...baseRules, ...contextRules, ...layerRules, ...uvRules];

/** Rules of pyproject.toml and requirements files (SD107/SD108/SD110 have Dockerfile twins). */
export { projectRules };

/** One entry per rule id, for listings, docs and hovers: the Dockerfile version of a shared id. */
const everyRule: readonly (DockerfileRule | ProjectRule)[] = [...dockerfileRules, ...projectRules.filter((p) => !dockerfileRules.some((d) => d.id === p.id))].sort((a, b) => a.id.localeCompare(b.id));
const byId = new Map<string, DockerfileRule | ProjectRule>(everyRule.map((r) => [r.id, r]));

export function ruleById(id: string): DockerfileRule | ProjectRule | undefined {
  return byId.get(id.toUpperCase());
}

export function allRules(): readonly (DockerfileRule | ProjectRule)[] {
  return everyRule;
}
