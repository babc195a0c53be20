// Shared by the review-round tests: Optimize over an in-memory build context, and an output split
// into its builder stage(s) and final stage.
import { optimize, type OptimizeInput, type OptimizeResult } from '../../../server/src/engine/optimize';
import { memoryFs, CTX } from './golden';

export function run(dockerfile: string, files: Record<string, string> = {}, options: Partial<OptimizeInput> = {}): OptimizeResult {
  return optimize({ file: `${CTX}/Dockerfile`, text: dockerfile, fs: memoryFs({ ...files, Dockerfile: dockerfile }), root: CTX, uvVersion: '0.12.5', ...options });
}

/** The builder stage(s) and the final stage of an output. */
export function split(text: string): { builder: string; final: string } {
  const at = text.lastIndexOf('\nFROM ');
  return { builder: text.slice(0, at), final: text.slice(at + 1) };
}

/** A requirements file and the app it serves. */
export const REQS = { 'requirements.txt': 'flask==3.1.0\n', 'app.py': '' };
/** A single-stage tail: requirements first, then the app. */
export const TAIL = 'WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';
