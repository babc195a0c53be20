// Pure helpers for fixes: applying and combining edits, fix-all, the ignore comment, validation.
export { applyEdits, withEol, eolOf, sortEdits, conflicts, mapLine } from './text';
export { fixAll, safeFix, type FixSet, type Chosen } from './fixAll';
export { ignoreEdit } from './ignore';
export { checkFixedText, documentedChange, instructionCounts } from './validate';
export { applySafeFixes, fixedSummary, MAX_FIX_ROUNDS, type SafeFixResult } from './rounds';
