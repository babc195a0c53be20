import assert from 'node:assert/strict';
import { ruleCases, assertFix, check, findingsOf } from '../../helpers';

ruleCases('SD107', {
  fires: [
    { name: 'torch from PyPI on slim', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir torch==2.4.0\n', lines: [2] },
    { name: 'torchvision in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir torchvision==0.19.0\nEOF\n', lines: [3] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "torch"]\n', lines: [2] },
    { name: 'torch in a requirements file', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n', files: { 'requirements.txt': 'flask\ntorch==2.4.0\n' }, lines: [2] },
    { name: 'uv pip via sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "uv pip install --system torch"\n', lines: [2] },
    { name: 'behind a negated test that is true by default (! [ … ] &&)', dockerfile: 'FROM python:3.12-slim\nARG CUDA=0\nRUN ! [ "$CUDA" = "1" ] && pip install --no-cache-dir torch\n', lines: [3] },
    { name: 'a test of a value the RUN computes', dockerfile: 'FROM python:3.12-slim\nARG GPU=0\nRUN GPU=$(nproc); if [ "$GPU" = "1" ]; then pip install --no-cache-dir torch; fi\n', lines: [3] },
    { name: 'a test of a value read before it', dockerfile: 'FROM python:3.12-slim\nARG GPU=0\nRUN read -r GPU < /gpu.txt; if [ "$GPU" = "1" ]; then pip install --no-cache-dir torch; fi\n', lines: [3] },
    { name: 'a test of a loop variable', dockerfile: 'FROM python:3.12-slim\nARG GPU=0\nRUN for GPU in 1; do if [ "$GPU" = "1" ]; then pip install --no-cache-dir torch; fi; done\n', lines: [3] },
    { name: 'an ENV overrides a later ARG of the same name', dockerfile: 'FROM python:3.12-slim\nENV GPU=1\nARG GPU=0\nRUN if [ "$GPU" = "1" ]; then pip install --no-cache-dir torch; fi\n', lines: [4] },
    { name: 'under a test the default build arguments make true', dockerfile: 'FROM python:3.12-slim\nARG USE_CUDA=true\nRUN if [ "$USE_CUDA" = "true" ]; then pip install --no-cache-dir torch; fi\n', lines: [3] },
    { name: 'tensorflow[and-cuda]', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "tensorflow[and-cuda]==2.17.0"\n', lines: [2] },
    { name: 'jax[cuda12]', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "jax[cuda12]"\n', lines: [2] },
    { name: 'builder prefix copied to a CPU final image', dockerfile: 'FROM python:3.12 AS build\nRUN pip install --no-cache-dir --prefix=/install torch\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n', lines: [2] },
  ],
  clean: [
    { name: 'the else branch of a test true by default (CPU first, CUDA on request)', dockerfile: 'FROM python:3.12-slim\nARG CPU_ONLY=1\nRUN if [ "$CPU_ONLY" = "1" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; else pip install --no-cache-dir torch; fi\n' },
    { name: 'a CUDA build on request: under a test the default build arguments leave false', dockerfile: 'FROM python:3.12-slim\nARG USE_CUDA=false\nRUN if [ "$USE_CUDA" = "true" ]; then pip install --no-cache-dir torch; else pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; fi\n' },
    { name: 'CPU index in an ARG (corpus: kserve)', dockerfile: 'FROM ubuntu:22.04\nARG TORCH_EXTRA_INDEX_URL="https://download.pytorch.org/whl/cpu"\nRUN uv pip install --no-cache --extra-index-url ${TORCH_EXTRA_INDEX_URL} torchvision torchaudio\n' },
    { name: 'CPU index', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu\n' },
    { name: 'CPU index from an ARG', dockerfile: 'FROM ubuntu:22.04\nARG TORCH_INDEX="https://download.pytorch.org/whl/cpu"\nRUN uv pip install --no-cache --extra-index-url ${TORCH_INDEX} torch==2.4.0+cpu torchvision\n' },
    { name: 'index from an unset variable', dockerfile: 'FROM ubuntu:22.04\nRUN pip install --no-cache-dir --index-url "$INDEX" torch\n' },
    { name: 'CPU extra index', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask torch --extra-index-url=https://download.pytorch.org/whl/cpu\n' },
    { name: 'explicit CUDA index is a choice', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121\n' },
    { name: '+cpu version', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir torch==2.4.0+cpu -f https://download.pytorch.org/whl/torch_stable.html\n' },
    { name: 'PIP_EXTRA_INDEX_URL inherited from a parent stage', dockerfile: 'FROM python:3.12-slim AS base\nENV PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu\nFROM base\nRUN pip install --no-cache-dir torch\n' },
    { name: 'UV_INDEX_URL inline', dockerfile: 'FROM python:3.12-slim\nRUN UV_INDEX_URL=https://download.pytorch.org/whl/cpu uv pip install --system torch\n' },
    { name: 'uv --torch-backend', dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system --torch-backend cpu torch\n' },
    { name: 'CUDA base image', dockerfile: 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN pip install --no-cache-dir torch\n' },
    { name: 'pytorch base image', dockerfile: 'FROM pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime\nRUN pip install --no-cache-dir torchvision\n' },
    { name: 'CUDA base reached through a stage', dockerfile: 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS base\nFROM base\nRUN pip install --no-cache-dir torch\n' },
    { name: 'gpu tag', dockerfile: 'FROM tensorflow/tensorflow:2.17.0-gpu\nRUN pip install --no-cache-dir torch\n' },
    { name: 'unknown base from an ARG', dockerfile: 'ARG BASE\nFROM ${BASE}\nRUN pip install --no-cache-dir torch\n' },
    { name: 'final image declares a GPU', dockerfile: 'FROM python:3.12-slim\nENV NVIDIA_VISIBLE_DEVICES=all\nRUN pip install --no-cache-dir torch\n' },
    { name: 'requirements file with its own CPU index', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n', files: { 'requirements.txt': '--extra-index-url https://download.pytorch.org/whl/cpu\ntorch==2.4.0\n' } },
    { name: 'builder not shipped', dockerfile: 'FROM python:3.12 AS build\nRUN pip install torch && python export.py\nFROM python:3.12-slim\nCOPY --from=build /model.onnx /model.onnx\n' },
    { name: 'offline install of wheels a builder made with the CPU index (Optimize\'s system layout)', dockerfile: 'FROM python:3.12-slim AS build\nRUN pip wheel --wheel-dir /wheels --extra-index-url https://download.pytorch.org/whl/cpu torch\nFROM python:3.12-slim\nRUN --mount=from=build,source=/wheels,target=/wheels pip install --no-index --find-links /wheels torch\n' },
    { name: 'tensorflow without the CUDA extra', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir tensorflow-cpu==2.17.0 "jax[cpu]"\n' },
  ],
});

describe('SD107 fixes', () => {
  it('offers the CPU index under an if, but not as the preferred fix (the CUDA build may be the point there)', () => {
    const f = findingsOf('SD107', { dockerfile: 'FROM python:3.12-slim\nARG USE_CUDA=true\nRUN if [ "$USE_CUDA" = "true" ]; then pip install --no-cache-dir torch; fi\n' });
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].fixes.map((x) => !!x.preferred), [false]);
  });
  it('adds the CPU index when torch is all the command installs', () => {
    const fixed = assertFix('SD107', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir torch==2.4.0 torchvision==0.19.0\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN pip install --index-url https://download.pytorch.org/whl/cpu --no-cache-dir torch==2.4.0 torchvision==0.19.0\n');
  });
  it('adds an extra index when other packages come too', () => {
    const fixed = assertFix('SD107', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.0 torch==2.4.0\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN pip install --extra-index-url https://download.pytorch.org/whl/cpu --no-cache-dir flask==3.0.0 torch==2.4.0\n');
  });
  it('uv with other packages: the best-match index strategy too (uv takes a package from the first index that has it)', () => {
    const fixed = assertFix('SD107', { dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system -r requirements.txt\n', files: { 'requirements.txt': 'torch==2.4.0\nnumpy\n' } });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN uv pip install --extra-index-url https://download.pytorch.org/whl/cpu --index-strategy unsafe-best-match --system -r requirements.txt\n');
    // Torch alone (the index replaces PyPI), or a strategy already chosen: nothing more.
    assert.equal(assertFix('SD107', { dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system torch\n' }), 'FROM python:3.12-slim\nRUN uv pip install --index-url https://download.pytorch.org/whl/cpu --system torch\n');
    assert.equal(assertFix('SD107', { dockerfile: 'FROM python:3.12-slim\nENV UV_INDEX_STRATEGY=unsafe-first-match\nRUN uv pip install --system flask torch\n' }), 'FROM python:3.12-slim\nENV UV_INDEX_STRATEGY=unsafe-first-match\nRUN uv pip install --extra-index-url https://download.pytorch.org/whl/cpu --system flask torch\n');
  });
  it('an offline install from a builder\'s wheels: reported, with no fix (the index belongs where the wheels are built)', () => {
    const f = check('FROM python:3.12-slim\nRUN --mount=from=build,source=/wheels,target=/wheels uv pip install --system --no-index --find-links /wheels torch\n').find((x) => x.rule === 'SD107');
    assert.match(f!.message, /use the CPU index https:\/\/download\.pytorch\.org\/whl\/cpu\.$/);
    assert.deepEqual(f!.fixes, []);
    // PIP_NO_INDEX, uv's --offline, --no-index in the requirements file: the same.
    for (const c of [
      { dockerfile: 'FROM python:3.12-slim\nENV PIP_NO_INDEX=1\nRUN pip install --find-links /wheels torch\n' },
      { dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system --offline torch\n' },
      { dockerfile: 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n', files: { 'requirements.txt': '--no-index\n--find-links /wheels\ntorch\n' } },
    ]) assert.deepEqual(findingsOf('SD107', c)[0].fixes, [], c.dockerfile);
  });
  it('exec form gets two JSON strings', () => {
    const fixed = assertFix('SD107', { dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "torch"]\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN ["pip", "install", "--index-url", "https://download.pytorch.org/whl/cpu", "--no-cache-dir", "torch"]\n');
  });
  it('drops the CUDA extra of tensorflow', () => {
    const fixed = assertFix('SD107', { dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "tensorflow[and-cuda]==2.17.0"\n' });
    assert.equal(fixed, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "tensorflow==2.17.0"\n');
  });
  it('estimates the CUDA wheels from the corpus lock', () => {
    const f = check('FROM python:3.12-slim\nRUN pip install --no-cache-dir torch\n').find((x) => x.rule === 'SD107');
    assert.equal(f?.estimate?.bytes, 2_163_635_596);
    assert.match(f!.estimate!.basis, /crawl4ai/);
  });
});
