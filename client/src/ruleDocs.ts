// The rule list for "Show Rule Documentation": the docs/rules/SDnnn.md pages shipped in the .vsix.
// Reading is injected (vscode.workspace.fs in the client, node:fs in tests), so no `vscode` import.

export interface RuleDoc {
  id: string;
  title: string;
  /** The page's file name inside docs/rules/. */
  file: string;
}

const PAGE = /^(SD\d{3})\.md$/i;

/** "# SD301: Heavy base image for the final stage" → "Heavy base image for the final stage". */
export function ruleTitle(markdown: string): string | undefined {
  const heading = /^#\s+SD\d{3}\s*[:—–-]\s*(.+?)\s*$/im.exec(markdown);
  return heading?.[1];
}

/** One entry per SDnnn.md among `files`, sorted by id; a page without a heading keeps its id as title. */
export async function listRuleDocs(files: readonly string[], read: (file: string) => Promise<string>): Promise<RuleDoc[]> {
  const pages = files.filter((f) => PAGE.test(f)).sort();
  return Promise.all(
    pages.map(async (file) => {
      const id = PAGE.exec(file)![1].toUpperCase();
      const title = ruleTitle(await read(file).catch(() => '')) ?? id;
      return { id, title, file };
    }),
  );
}
