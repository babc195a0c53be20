// OS package rules (SD201–SD206): apt, apk, yum/dnf/microdnf/zypper.
import type { DockerfileRule } from './rule';

export const osRules: DockerfileRule[] = [];
