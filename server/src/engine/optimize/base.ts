// Where the final image's Python comes from, read off its base image (resolved through ARG):
// the official python images, uv's images (python on top), a distro with apt/apk python3, a conda
// image, PyTorch's images (a Python with torch preinstalled). The builder keeps the old base; the
// final stage gets the slim one of the same Python version and distro (PyTorch's `-runtime` tag).
// Anything else is an unknown base: Optimize leaves the file alone.
import { parseImage, lighterBase, repoName } from '../rules/base';

/**
 * `pytorch`: PyTorch's images, a Python (conda's, /opt/conda) with torch preinstalled. A virtual
 * environment would hide that torch and uv would install it again (uv does not read
 * `--system-site-packages`), so pip installs into the image's own Python as the old file did: a
 * `-devel` builder makes the wheels, the `-runtime` final stage installs them offline.
 */
export type BaseKind = 'python' | 'uv' | 'distro' | 'conda' | 'pytorch';

export interface BaseInfo {
  kind: BaseKind;
  os: 'debian' | 'ubuntu' | 'alpine';
  /** Distro codename (`bookworm`, `jammy` …); '' when the tag does not say. */
  codename: string;
  /** `3.12`, when the tag says. */
  python?: string;
  manager: 'apt' | 'apk';
  /** FROM text of the builder (the old base, as written). */
  builderImage: string;
  /** FROM text of the final stage (the slim variant, as written when possible). */
  finalImage: string;
  /** The image already carries uv (uv's own images). */
  hasUv: boolean;
}

const DEBIAN = /\b(trixie|bookworm|bullseye|buster|stretch)\b/;
/** The python3 each distro release ships (to refuse what uv cannot run: it needs Python ≥ 3.8). */
export const DISTRO_PYTHON: Record<string, string> = { stretch: '3.5', buster: '3.7', bullseye: '3.9', bookworm: '3.11', trixie: '3.13', xenial: '3.5', bionic: '3.6', focal: '3.8', jammy: '3.10', noble: '3.12' };

/** uv creates environments and installs for Python 3.8 and newer only. */
export function tooOldForUv(python: string | undefined): boolean {
  const m = python ? /^3\.(\d+)$/.exec(python) : null;
  return !!m && Number(m[1]) < 8;
}
const UBUNTU: Record<string, string> = { '24.04': 'noble', '22.04': 'jammy', '20.04': 'focal', '18.04': 'bionic', '16.04': 'xenial' };


/** The slim image of a heavy base, as written (`python:${V}` → `python:${V}-slim`) or resolved. */
function slimmer(resolved: string, raw: string): string {
  const lighter = lighterBase(resolved);
  if (!lighter) return raw;
  return lighter.edit(raw) ?? lighter.to;
}

/**
 * Reads the base. `resolved` has ARG defaults substituted, `raw` is the FROM text as written.
 * Returns a reason instead when Optimize cannot rewrite on this base.
 */
export function describeBase(resolved: string, raw: string, distroPythons: string[]): BaseInfo | { reason: string } {
  const info = describe(resolved, raw, distroPythons.length > 0);
  if ('reason' in info) return info;
  const python = info.python ?? (info.kind === 'distro' ? DISTRO_PYTHON[info.codename] : undefined);
  if (tooOldForUv(python)) return { reason: `${resolved} has Python ${python}: uv installs for Python 3.8 and newer only.` };
  // `apt-get install python3.9` next to the release's own python3 (3.8 on focal): two Pythons, and
  // which one `pip` installs for depends on what ran before it. The venv could get the wrong one.
  const other = info.kind === 'distro' ? distroPythons.map((n) => /^python(3\.\d+)\b/.exec(n)?.[1]).find((v) => v && v !== python) : undefined;
  if (other) return { reason: `${resolved}: the Dockerfile installs python${other} besides the release's python3${python ? ` (${python})` : ''}: which one the installs use is not certain, so Optimize does not rewrite them.` };
  return info;
}

function describe(resolved: string, raw: string, distroPython: boolean): BaseInfo | { reason: string } {
  // `python:${PYTHON_VERSION}-slim`: the version is a build argument, but builder and final stage
  // share it, so the rewrite does not need to know it.
  const unresolvedTag = resolved.includes('$') && /^(docker\.io\/)?(library\/)?python:[^@]*$/.test(resolved);
  if (resolved.includes('$') && !unresolvedTag) return { reason: `the base image (${raw}) comes from a build argument without a default: slimdock cannot tell which Python it has.` };
  if (resolved.toLowerCase() === 'scratch') return { reason: 'the final stage is FROM scratch: there is no Python to rewrite.' };
  const { repo, tag = 'latest' } = parseImage(resolved);
  const name = repoName(repo);
  if (/windowsservercore|nanoserver/i.test(tag) || /^mcr\.microsoft\.com\/windows/.test(name)) return { reason: `${resolved} is a Windows image: Optimize writes Linux multi-stage builds only.` };

  if (name === 'python') {
    const python = /^(\d+\.\d+)/.exec(tag)?.[1];
    if (unresolvedTag && /alpine|windows/.test(tag)) return { reason: `the base image (${raw}) comes from a build argument: slimdock cannot tell which variant it is.` };
    if (/alpine/.test(tag)) return { kind: 'python', os: 'alpine', codename: /alpine(\d+\.\d+)?/.exec(tag)?.[0] ?? 'alpine', python, manager: 'apk', builderImage: raw, finalImage: raw, hasUv: false };
    const codename = DEBIAN.exec(tag)?.[1] ?? '';
    // A tag wholly in a build argument (`python:${TAG}`) has no slim spelling that follows it: both
    // stages then name the default's images, so that they never hold different Pythons (found by review).
    const finalImage = slimmer(resolved, raw);
    const builderImage = raw.includes('$') && !finalImage.includes('$') && finalImage !== raw ? resolved : raw;
    return { kind: 'python', os: 'debian', codename, python, manager: 'apt', builderImage, finalImage, hasUv: false };
  }

  if (/^ghcr\.io\/astral-sh\/uv$/.test(name)) {
    const m = /python(\d+\.\d+)-(trixie|bookworm|bullseye|alpine)(-slim)?/.exec(tag);
    if (!m) return { reason: `${resolved} has no Python of its own (uv would download one): slimdock does not rewrite that yet.` };
    const [, python, distro] = m;
    const finalImage = distro === 'alpine' ? `python:${python}-alpine` : `python:${python}-slim-${distro}`;
    return { kind: 'uv', os: distro === 'alpine' ? 'alpine' : 'debian', codename: distro, python, manager: distro === 'alpine' ? 'apk' : 'apt', builderImage: raw, finalImage, hasUv: true };
  }

  // Miniforge's images build on Ubuntu, a release its tags do not name, with tini as their ENTRYPOINT
  // (found by review: Ubuntu's package names on a debian:bookworm-slim final stage).
  if (/^condaforge\/(miniforge3|mambaforge|miniforge-pypy3)$/.test(name)) return { reason: `${resolved} builds on Ubuntu, a release its tag does not name, with tini as its entry point: Optimize does not rewrite Miniforge images yet.` };
  if (/^continuumio\/(miniconda3?|anaconda3?)$/.test(name)) {
    // A conda environment carries its own Python and libraries: the final stage needs only a glibc
    // userland. These images build on Debian (bookworm for current tags) unless the tag says otherwise.
    const codename = DEBIAN.exec(tag)?.[1] ?? 'bookworm';
    return { kind: 'conda', os: 'debian', codename, manager: 'apt', builderImage: raw, finalImage: `debian:${codename}-slim`, hasUv: false };
  }
  // `-devel` (the CUDA toolkit, nvcc) builds; `-runtime` runs (SD301's lighter base). NGC's PyTorch
  // images have no runtime variant and ship the compilers: a builder would gain nothing there.
  if (name === 'nvcr.io/nvidia/pytorch') return { reason: `${resolved}: NGC's PyTorch images have no runtime variant and already carry the compilers, so a builder stage would make the image no smaller.` };
  if (name === 'pytorch/pytorch') return { kind: 'pytorch', os: 'ubuntu', codename: '', manager: 'apt', builderImage: raw, finalImage: slimmer(resolved, raw), hasUv: false };
  if (name === 'mambaorg/micromamba') return { reason: `${resolved}: micromamba images (their user, entrypoint and activation scripts) are not rewritten by Optimize yet.` };

  const distro = distroOf(name, tag);
  if (distro) {
    if (!distroPython) return { reason: `${resolved} has no Python and this Dockerfile installs none with the package manager: nothing for Optimize to move.` };
    // NGC's CUDA images slim down as Docker Hub's do (`-devel-` → `-runtime-`).
    const hub = resolved.replace(/^nvcr\.io\/(nvidia\/cuda[:@])/, '$1');
    return { kind: 'distro', ...distro, builderImage: raw, finalImage: slimmer(hub, raw), hasUv: false };
  }
  return { reason: `unknown base image ${resolved}: slimdock cannot tell where its Python comes from, so it does not rewrite this file.` };
}

/** The distro release (`bionic`, `bookworm` …) an image's tag names, whatever its Python; '' when not known. */
export function releaseOf(image: string): string {
  const { repo, tag = 'latest' } = parseImage(image);
  return distroOf(repoName(repo), tag)?.codename ?? DEBIAN.exec(tag)?.[1] ?? '';
}

function distroOf(name: string, tag: string): Pick<BaseInfo, 'os' | 'codename' | 'manager'> | undefined {
  if (name === 'debian') {
    const numbered: Record<string, string> = { '13': 'trixie', '12': 'bookworm', '11': 'bullseye', '10': 'buster', '9': 'stretch' };
    const codename = DEBIAN.exec(tag)?.[1] ?? numbered[/^(\d+)/.exec(tag)?.[1] ?? ''] ?? '';
    return { os: 'debian', codename, manager: 'apt' };
  }
  if (name === 'ubuntu') {
    const codename = UBUNTU[/^(\d+\.\d+)/.exec(tag)?.[1] ?? ''] ?? /^(noble|jammy|focal|bionic|xenial)/.exec(tag)?.[1] ?? '';
    return { os: 'ubuntu', codename, manager: 'apt' };
  }
  // Docker Hub's nvidia/cuda images are NVIDIA's NGC ones (nvcr.io/nvidia/cuda), same tags.
  if (name === 'nvidia/cuda' || name === 'nvcr.io/nvidia/cuda') {
    const v = /ubuntu(\d+\.\d+)/.exec(tag)?.[1];
    if (!v) return undefined;
    return { os: 'ubuntu', codename: UBUNTU[v] ?? '', manager: 'apt' };
  }
  if (name === 'alpine') return { os: 'alpine', codename: `alpine${/^(\d+\.\d+)/.exec(tag)?.[1] ?? ''}`, manager: 'apk' };
  return undefined;
}
