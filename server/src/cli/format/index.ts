// One module per output format; `--format` picks one of these.
import type { Format } from '../args';
import type { Formatter } from '../output';
import { text } from './text';
import { json } from './json';
import { sarif } from './sarif';
import { github } from './github';

export const formatters: Record<Format, Formatter> = { text, json, sarif, github };
