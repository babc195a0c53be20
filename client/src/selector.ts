// Which documents the client hands the server, and which ones the status item is shown for.

/** A filter both vscode.DocumentFilter and vscode-languageclient's DocumentSelector accept. */
export type Filter = { language: string; scheme?: string; pattern?: string } | { scheme: string; pattern: string; language?: string };

/** Dockerfiles by language id, and by name for files no other extension has claimed. */
export const DOCKERFILES: Filter[] = [
  { language: 'dockerfile' },
  ...['file', 'untitled'].flatMap((scheme) => ['**/Dockerfile*', '**/*.Dockerfile', '**/Containerfile*'].map((pattern) => ({ scheme, pattern }))),
];

/**
 * The files the findings read (same list as CONTEXT_FILES_GLOB in server/src/lsp/files.ts): synced
 * so that their unsaved text is what the server sees. The server publishes nothing for those.
 */
export const CONTEXT_FILES: Filter = {
  scheme: 'file',
  pattern:
    '**/{.dockerignore,*.dockerignore,pyproject.toml,uv.lock,requirements*.txt,requirements*.in,*.requirements.txt,.hadolint.yaml,.hadolint.yml,compose.yaml,compose.yml,docker-compose.yaml,docker-compose.yml}',
};

export const DOCUMENT_SELECTOR: Filter[] = [...DOCKERFILES, CONTEXT_FILES];
