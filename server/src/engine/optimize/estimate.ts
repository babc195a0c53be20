// Before → after estimates of Optimize. An image is counted as its base plus what the rules'
// findings say the Dockerfile adds on top (toolchains, caches, recommends: each finding carries
// its own estimate and basis) plus the run-time libraries Optimize adds. Python packages and app
// files are the same before and after and are not counted. A base without a published size makes
// the total unknown; the saving is then still stated.
import type { Estimate, Finding } from '../types';
import { formatBytes } from '../estimates';
import { fullToSlimSaving } from '../estimates/base-images';
import { aptSetSize } from '../rules/os-sizes';
import { parseImage } from '../rules/base';

const MB = 1_000_000;
/** python:3.x-slim ≈ 130–150 MB (Docker Hub, linux/amd64, uncompressed; SPEC §1): the conservative end. */
const PYTHON_SLIM_BYTES = 150 * MB;

/** Published size of a base image, or undefined. */
export function baseSize(image: string): { bytes: number; basis: string } | undefined {
  const { repo, tag = 'latest' } = parseImage(image);
  if (!/^(docker\.io\/)?(library\/)?python$/.test(repo) || /alpine|windows/.test(tag) || image.includes('$')) return undefined;
  if (/slim/.test(tag)) return { bytes: PYTHON_SLIM_BYTES, basis: `${image} ≈ 150 MB (python slim, Docker Hub)` };
  const saving = fullToSlimSaving(image).bytes;
  return saving === null ? undefined : { bytes: PYTHON_SLIM_BYTES + saving, basis: `${image} ≈ ${formatBytes(PYTHON_SLIM_BYTES + saving).slice(2)} (python full, Docker Hub)` };
}

/** Rules whose estimates are bytes that the Dockerfile adds to the image on top of its base. */
const ADDED = new Set(['SD101', 'SD105', 'SD106', 'SD107', 'SD109', 'SD111', 'SD201', 'SD202', 'SD203', 'SD402', 'SD404', 'SD405', 'SD502', 'SD506']);

function addedBytes(findings: Finding[]): { bytes: number; parts: string[] } {
  let bytes = 0;
  const perRule = new Map<string, number>();
  for (const f of findings) {
    if (!ADDED.has(f.rule) || !f.estimate?.bytes) continue;
    bytes += f.estimate.bytes;
    perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + f.estimate.bytes);
  }
  return { bytes, parts: [...perRule].map(([r, b]) => `${r} ${formatBytes(b)}`) };
}

export function imageEstimate(image: string, findings: Finding[], runtimePackages: string[], debian: boolean): Estimate {
  const base = baseSize(image);
  const added = addedBytes(findings);
  const runtime = runtimePackages.length && debian ? aptSetSize(runtimePackages) : undefined;
  const runtimeBytes = runtime?.bytes ?? 0;
  const parts = [...added.parts, ...(runtime && runtime.known ? [`run-time libraries ${formatBytes(runtimeBytes)} (Debian metadata)`] : [])];
  const extras = parts.length ? ` + ${parts.join(' + ')}` : '';
  const tail = ' Python packages and app files, the same before and after, are not counted.';
  if (!base) {
    return { bytes: null, basis: `base image ${image}: size unknown (no published figure in slimdock's table)${extras ? `; on top of it${extras.slice(2)}` : ''}.${tail}` };
  }
  return { bytes: base.bytes + added.bytes + runtimeBytes, basis: `${base.basis}${extras}${added.parts.length ? ' (the findings\' estimates)' : ''}.${tail}` };
}
