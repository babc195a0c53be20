// SD000: slimdock could not understand (part of) a file, or skipped it. Reported, never thrown.
import type { DockerfileRule } from './rule';

export const SD000: DockerfileRule = {
  id: 'SD000',
  title: 'File could not be fully analysed',
  severity: 'warning',
  docs: {
    summary: 'slimdock could not parse part of this file, or skipped it (over 1 MB), so some findings may be missing.',
    why: 'A finding that is not reported is worse than one that is wrong: this tells you where analysis stopped.',
  },
  check() {
    // Raised by the analysis itself (parse errors, size limit), not by a check of its own.
  },
};
