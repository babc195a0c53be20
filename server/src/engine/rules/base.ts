// Base image rules (SD301–SD303): heavy bases in the final image, unpinned tags, Python on musl.
import type { DockerfileRule } from './rule';
import type { DockerfileContext } from '../context';
import type { StageModel } from '../parse/dockerfile';
import { ships } from '../parse/dockerfile';
import { replaceSpan } from './edits';
import { fullToSlimSaving } from '../estimates/base-images';
import { runCommands } from './python';
import { pipCall, uvCall } from './commands';
import { runtimeJitInstall } from './os';
import { rootStage } from './lineage';
import { mayBuild } from './python-tools';

/** An external image reference split into repository, tag and digest. */
export interface ImageRef {
  repo: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const slash = rest.lastIndexOf('/');
  if (colon > slash) return { repo: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repo: rest, digest };
}

/** Stages built directly on an external image (not on another stage, not `scratch`). */
function externalStages(ctx: DockerfileContext, which: (s: StageModel) => boolean): StageModel[] {
  return ctx.model.stages.filter((s) => !s.parent && which(s) && s.image.toLowerCase() !== 'scratch');
}

/**
 * A Docker Hub repository's name without the registry and `library/` (`docker.io/library/python`),
 * also through the official images' mirrors (public.ecr.aws/docker/library, mirror.gcr.io; found by review).
 */
export function repoName(repo: string): string {
  return repo.replace(/^(docker\.io\/|registry-1\.docker\.io\/|index\.docker\.io\/|mirror\.gcr\.io\/|public\.ecr\.aws\/docker\/)?(library\/)?/i, '').toLowerCase();
}

interface Lighter {
  to: string;
  /** Text edit on the raw FROM image: replace `from` with `to` at the end or in place. */
  edit(raw: string): string | undefined;
}

/** The lighter variant of a heavy base, or undefined when the base is not heavy. */
export function lighterBase(image: string): Lighter | undefined {
  const { repo, tag, digest } = parseImage(image);
  if (digest) return undefined;
  const name = repoName(repo);
  const t = tag ?? 'latest';
  if (name === 'python') {
    if (/slim|alpine|windowsservercore|nanoserver/.test(t)) return undefined;
    const distro = /^(.*?)-?(bookworm|bullseye|buster|trixie)$/.exec(t);
    let to: string;
    if (t === 'latest') to = 'slim';
    else if (distro) to = distro[1] ? `${distro[1]}-slim-${distro[2]}` : `slim-${distro[2]}`;
    else to = `${t}-slim`;
    return {
      to: `${repo}:${to}`,
      edit: (raw) => {
        const rawTag = parseImage(raw).tag;
        // The whole image in a variable (`${BASE_IMAGE}` = python:3.11-bookworm): no tag to append
        // to (`${BASE_IMAGE}:slim` is no image; found by review).
        if (rawTag === undefined) return raw.includes('$') ? undefined : `${raw}:slim`;
        const m = /^(.*?)(-?)(bookworm|bullseye|buster|trixie)$/.exec(rawTag);
        // The codename in a variable of its own (`${PYTHON_VERSION}-${DEBIAN}`): slim goes before it (found by review).
        const own = !m && distro ? /^(.+)-(\$\{?[A-Za-z_]\w*\}?)$/.exec(rawTag) : null;
        if (own) return raw.slice(0, raw.length - rawTag.length) + `${own[1]}-slim-${own[2]}`;
        if (!m && distro && rawTag.includes('$')) return undefined; // the codename hides in a variable
        const newTag = m ? `${m[1]}${m[1] ? '-' : ''}slim-${m[3]}` : rawTag === 'latest' ? 'slim' : `${rawTag}-slim`;
        return raw.slice(0, raw.length - rawTag.length) + newTag;
      },
    };
  }
  if ((name === 'nvidia/cuda' || name === 'pytorch/pytorch') && /devel/.test(t)) {
    return { to: `${repo}:${t.replace('devel', 'runtime')}`, edit: (raw) => (raw.includes('devel') ? raw.replace(/devel(?!.*devel)/, 'runtime') : undefined) };
  }
  if (name === 'continuumio/anaconda3' || name === 'continuumio/anaconda') {
    return { to: `continuumio/miniconda3`, edit: (raw) => raw.replace(/continuumio\/anaconda3?(:[^@\s]*)?/, 'continuumio/miniconda3') };
  }
  return undefined;
}

const SD301: DockerfileRule = {
  id: 'SD301',
  title: 'Heavy base image for the final stage',
  severity: 'warning',
  docs: {
    summary: 'The final image is built on a full base (`python:3.x`, a CUDA `-devel` image, Anaconda) where a slim one serves.',
    why: '`python:3.x` is ≈ 1 GB, mostly compilers and headers an app does not run with; `python:3.x-slim` is ≈ 130–150 MB. CUDA and PyTorch `-devel` images carry the whole toolkit; `-runtime` has what runs.',
  },
  check(ctx, report) {
    for (const stage of externalStages(ctx, (s) => s.reachesFinal)) {
      const lighter = lighterBase(stage.image);
      if (!lighter) continue;
      // A CUDA/PyTorch -devel image whose packages compile kernels when they run needs its nvcc
      // (an image that installs the CUDA compiler itself keeps it on -runtime too).
      if (/-devel\b/.test(stage.image) && runtimeJitInstall(ctx)) continue;
      const raw = ctx.model.text.slice(stage.imageStart, stage.imageEnd);
      const newRaw = lighter.edit(raw);
      const saving = fullToSlimSaving(stage.image);
      // Not the preferred fix where the stages on this base build (a pip install may compile an
      // sdist with the full image's compiler and headers; found by review).
      const builds = ctx.model.stages.some((s) => s.reachesFinal && rootStage(s) === stage && s.instructions.some((i) => i.run?.hasError || i.run?.commands.some(mayBuild)));
      report({
        range: ctx.model.rangeOf(stage.imageStart, stage.imageEnd),
        message: `${stage.image} is a heavy base for the final image: use ${lighter.to}${ctx.model.stages.length > 1 ? '' : ' (build in a heavier builder stage if you compile)'}.`,
        estimate: { bytes: saving.bytes, basis: saving.basis },
        fixes: newRaw && newRaw !== raw ? [{ title: `Use ${lighter.to}`, edits: [replaceSpan(ctx.model, stage.imageStart, stage.imageEnd, newRaw)], preferred: !builds }] : [],
      });
    }
  },
};

const SD302: DockerfileRule = {
  id: 'SD302',
  title: 'Base image untagged or latest',
  severity: 'info',
  hadolint: ['DL3006', 'DL3007'],
  docs: {
    summary: 'A base image without a tag, or tagged `latest`, changes under you: the image size and contents drift between builds.',
    why: 'An unpinned base can grow by hundreds of MB overnight (a new Debian release, a new Python) and makes builds unreproducible.',
  },
  check(ctx, report) {
    for (const stage of externalStages(ctx, ships)) {
      if (stage.image.includes('$')) continue; // unresolved build argument: cannot tell
      const { tag, digest } = parseImage(stage.image);
      if (digest) continue;
      if (tag !== undefined && tag !== 'latest') continue;
      report({
        range: ctx.model.rangeOf(stage.imageStart, stage.imageEnd),
        message: tag === 'latest' ? `${stage.image}: pin a version tag instead of latest.` : `${stage.image} has no tag (it means latest): pin a version tag.`,
      });
    }
  },
};

const SD303: DockerfileRule = {
  id: 'SD303',
  title: 'Python on Alpine',
  severity: 'info',
  docs: {
    summary: 'Python on Alpine (musl libc) cannot use most manylinux wheels: packages build from source, which makes builds slow and images often larger.',
    why: 'PyPI wheels are built for glibc (manylinux). On musl, numpy, pandas, cryptography and friends compile from source and pull a toolchain into the build; `python:3.x-slim` usually ends smaller and always builds faster.',
  },
  check(ctx, report) {
    const final = ctx.model.finalStage;
    if (!final) return;
    const usesPython = [...runCommands(ctx)].some(({ inst, cmd }) => inst.stage.reachesFinal && (pipCall(cmd) !== undefined || uvCall(cmd) !== undefined));
    for (const stage of externalStages(ctx, (s) => s.reachesFinal)) {
      const { repo, tag } = parseImage(stage.image);
      const name = repoName(repo);
      const pythonAlpine = name === 'python' && /alpine/.test(tag ?? '');
      const alpineWithPip = name === 'alpine' && usesPython;
      if (!pythonAlpine && !alpineWithPip) continue;
      report({
        range: ctx.model.rangeOf(stage.imageStart, stage.imageEnd),
        message: `${stage.image}: Python on Alpine (musl) builds most binary packages from source; python:<version>-slim is usually smaller in the end and builds faster.`,
      });
    }
  },
};

export const baseRules: DockerfileRule[] = [SD301, SD302, SD303];
