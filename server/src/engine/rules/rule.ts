import type { DockerfileContext } from '../context';
import type { Rule } from '../types';

export type DockerfileRule = Rule<DockerfileContext>;

/** Docs page of a rule, as published in the repository. */
export const DOCS_BASE = 'https://github.com/slimdock/slimdock/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
