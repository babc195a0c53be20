// The engine's public surface. Adapters (server, CLI) import from here only.
export * from './types';
export * from './fs';
export { checkDockerfile, MAX_FILE_BYTES, type CheckInput, type CheckResult } from './analyze';
export { initShellParser, shellParserReady } from './parse/shell';
export { loadConfig, defaultConfig, applySettings, DEFAULT_UV_VERSION, type Config } from './config/config';
export { allRules, ruleById } from './rules/registry';
export { docsUrl } from './rules/rule';
export { formatBytes } from './estimates';
export { isDockerfileName, isRequirementsName } from './files';
export * from './fixes';
export { checkPyproject, checkRequirements, lockSizes, MAX_PROJECT_FILE_BYTES, type InlayHintInfo } from './project';
