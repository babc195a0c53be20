import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';
import { lighterBase, parseImage } from '../../../server/src/engine/rules/base';

ruleCases('SD301', {
  fires: [
    { name: 'python full', dockerfile: 'FROM python:3.12\nCMD ["python"]\n', lines: [1] },
    { name: 'python bookworm full', dockerfile: 'FROM python:3.11-bookworm AS app\nCMD ["python"]\n', lines: [1] },
    { name: 'ARG-resolved base', dockerfile: 'ARG PY=3.12\nFROM python:${PY}\nCMD ["python"]\n', lines: [2] },
    { name: 'final stage built from a heavy stage', dockerfile: 'FROM python:3.12 AS base\nRUN echo hi\nFROM base\nCMD ["python"]\n', lines: [1] },
    { name: 'cuda devel', dockerfile: 'FROM nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04\nCMD ["python3"]\n', lines: [1] },
    { name: 'pytorch devel', dockerfile: 'FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-devel\n', lines: [1] },
    { name: 'anaconda', dockerfile: 'FROM continuumio/anaconda3:2024.02-1\n', lines: [1] },
    { name: 'untagged python', dockerfile: 'FROM python\n', lines: [1] },
    // ninja (flash-attn's source build) is a build-time tool here: only the JIT packages count.
    { name: 'cuda devel with ninja and a source build, no JIT package', dockerfile: 'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip ninja-build && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flash-attn --no-build-isolation\n', lines: [1] },
    { name: 'cuda devel whose DeepSpeed stage is copied from only for a model file', dockerfile: 'FROM python:3.12-slim AS train\nRUN pip install --no-cache-dir deepspeed\nFROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nCOPY --from=train /model.onnx /model.onnx\n', lines: [3] },
    { name: 'pytorch devel with PyPI\'s apex (another project than NVIDIA\'s)', dockerfile: 'FROM pytorch/pytorch:2.6.0-cuda12.4-cudnn9-devel\nRUN pip install --no-cache-dir apex\n', lines: [1] },
    { name: 'python full with DeepSpeed (only CUDA/PyTorch -devel keep nvcc for it)', dockerfile: 'FROM python:3.12\nRUN pip install --no-cache-dir deepspeed\n', lines: [1] },
  ],
  clean: [
    { name: 'slim', dockerfile: 'FROM python:3.12-slim\n' },
    { name: 'slim bookworm', dockerfile: 'FROM python:3.12-slim-bookworm\n' },
    { name: 'alpine (SD303 instead)', dockerfile: 'FROM python:3.12-alpine\n' },
    { name: 'heavy builder, slim final', dockerfile: 'FROM python:3.12 AS build\nRUN pip wheel -w /w flask\nFROM python:3.12-slim\nCOPY --from=build /w /w\n' },
    { name: 'cuda runtime', dockerfile: 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n' },
    { name: 'miniconda', dockerfile: 'FROM continuumio/miniconda3\n' },
    { name: 'digest pinned', dockerfile: 'FROM python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' },
    { name: 'compose target picks the slim stage', dockerfile: 'FROM python:3.12-slim AS runtime\nCMD ["x"]\nFROM python:3.12 AS dev\n', files: { 'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      target: runtime\n' } },
    { name: 'suppressed', dockerfile: '# slimdock: ignore=SD301\nFROM python:3.12\n' },
    // From the corpus (LLaMA-Factory, accelerate's DeepSpeed image): packages that compile their
    // kernels with nvcc when they run need the -devel image.
    { name: 'pytorch devel with a FlashInfer wheel file', dockerfile: 'FROM pytorch/pytorch:2.6.0-cuda12.4-cudnn9-devel\nRUN pip install --no-cache-dir flashinfer_python-0.2.2.post1+cu124torch2.6-cp38-abi3-linux_x86_64.whl\n' },
    { name: 'cuda devel with a conda env copied from a stage that installs an extra bringing DeepSpeed', dockerfile: 'FROM continuumio/miniconda3 AS compile\nRUN pip install --no-cache-dir "accelerate[testing,deepspeed]"\nFROM nvidia/cuda:12.6.3-cudnn-devel-ubuntu22.04\nCOPY --from=compile /opt/conda /opt/conda\n' },
    { name: 'cuda devel with DeepSpeed in a requirements file', dockerfile: 'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n', files: { 'requirements.txt': 'deepspeed>=0.14; platform_system=="Linux"\n' } },
    { name: 'pytorch devel with NVIDIA apex from a repository archive', dockerfile: 'FROM pytorch/pytorch:2.6.0-cuda12.4-cudnn9-devel\nRUN pip install https://github.com/NVIDIA/apex/archive/refs/heads/master.zip\n' },
    { name: 'pytorch devel with NVIDIA apex from its repository', dockerfile: 'FROM pytorch/pytorch:2.6.0-cuda12.4-cudnn9-devel\nRUN pip install -v --no-build-isolation git+https://github.com/NVIDIA/apex.git\n' },
    { name: 'cuda devel with a DeepSpeed direct reference', dockerfile: 'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN pip install "deepspeed @ git+https://github.com/microsoft/DeepSpeed.git@v0.15.0"\n' },
    { name: 'cuda devel with uv pip install deepspeed in a heredoc, inherited through a stage', dockerfile: 'FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS base\nRUN <<EOF\nuv pip install --system deepspeed==0.15.0\nEOF\nFROM base\nENV DS_BUILD_OPS=0\n' },
  ],
});

ruleCases('SD302', {
  fires: [
    { name: 'no tag', dockerfile: 'FROM python\n', lines: [1] },
    { name: 'latest', dockerfile: 'FROM ubuntu:latest\n', lines: [1] },
    { name: 'builder copied from', dockerfile: 'FROM node AS web\nRUN npm ci\nFROM python:3.12-slim\nCOPY --from=web /app/dist /static\n', lines: [1] },
    { name: 'ARG default latest', dockerfile: 'ARG TAG=latest\nFROM python:${TAG}\n', lines: [2] },
  ],
  clean: [
    { name: 'tagged', dockerfile: 'FROM python:3.12-slim\n' },
    { name: 'digest', dockerfile: 'FROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' },
    { name: 'stage reference', dockerfile: 'FROM python:3.12-slim AS base\nFROM base\n' },
    { name: 'scratch', dockerfile: 'FROM scratch\nCOPY x /x\n' },
    { name: 'unresolved variable', dockerfile: 'ARG BASE\nFROM ${BASE}\n' },
    { name: 'unused stage', dockerfile: 'FROM node AS unused\nFROM python:3.12-slim\n' },
    { name: 'hadolint DL3006 ignore', dockerfile: '# hadolint ignore=DL3006\nFROM python\n' },
  ],
});

ruleCases('SD303', {
  fires: [
    { name: 'python alpine', dockerfile: 'FROM python:3.12-alpine\nRUN pip install --no-cache-dir flask\n', lines: [1] },
    { name: 'alpine with pip', dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache py3-pip && pip install --no-cache-dir --break-system-packages flask\n', lines: [1] },
    { name: 'final built from alpine stage', dockerfile: 'FROM python:3.12-alpine AS base\nFROM base\nCMD ["python"]\n', lines: [1] },
  ],
  clean: [
    { name: 'slim', dockerfile: 'FROM python:3.12-slim\n' },
    { name: 'alpine builder only', dockerfile: 'FROM python:3.12-alpine AS b\nRUN echo\nFROM python:3.12-slim\n' },
    { name: 'plain alpine without python', dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n' },
    { name: 'suppressed', dockerfile: '# slimdock: ignore=SD303\nFROM python:3.12-alpine\n' },
  ],
});

describe('SD301 fixes', () => {
  const cases: [string, string][] = [
    ['FROM python:3.12\n', 'FROM python:3.12-slim\n'],
    ['FROM python:3.12-bookworm\n', 'FROM python:3.12-slim-bookworm\n'],
    ['FROM python:bookworm\n', 'FROM python:slim-bookworm\n'],
    ['FROM python\n', 'FROM python:slim\n'],
    ['ARG PY=3.12\nFROM python:${PY} AS app\n', 'ARG PY=3.12\nFROM python:${PY}-slim AS app\n'],
    ['FROM --platform=linux/amd64 nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04\n', 'FROM --platform=linux/amd64 nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04\n'],
    ['FROM continuumio/anaconda3:2024.02-1\n', 'FROM continuumio/miniconda3\n'],
  ];
  for (const [before, after] of cases) {
    it(`${before.trim().split('\n').pop()} → ${after.trim().split('\n').pop()}`, () => {
      assert.equal(assertFix('SD301', { dockerfile: before }), after);
    });
  }
  it('offers no fix when the codename hides in a variable with more; slim goes before a variable of its own (found by review: the final stage froze the builder\'s build arguments)', () => {
    assert.equal(lighterBase('python:3.12-bookworm')!.edit('python:${TAG}'), undefined);
    assert.equal(lighterBase('python:3.12-bookworm')!.edit('python:${PY}-${DISTRO}'), 'python:${PY}-slim-${DISTRO}');
    assert.equal(lighterBase('python:3.12-bookworm')!.edit('python:3.12-$DISTRO'), 'python:3.12-slim-$DISTRO');
  });
  it('parses image references', () => {
    assert.deepEqual(parseImage('localhost:5000/py:3.12@sha256:ab'), { repo: 'localhost:5000/py', tag: '3.12', digest: 'sha256:ab' });
    assert.deepEqual(parseImage('localhost:5000/py'), { repo: 'localhost:5000/py', digest: undefined });
  });
});
