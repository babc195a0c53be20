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

export const dockerfileRules: readonly DockerfileRule[] = [SD000, ...pythonRules, ...osRules, ...baseRules, ...contextRules, ...layerRules, ...uvRules];

const byId = new Map<string, DockerfileRule>(dockerfileRules.map((r) => [r.id, r]));

export function ruleById(id: string): DockerfileRule | undefined {
  return byId.get(id.toUpperCase());
}

export function allRules(): readonly DockerfileRule[] {
  return dockerfileRules;
}
