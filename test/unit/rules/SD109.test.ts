import assert from 'node:assert/strict';
import { ruleCases, assertFix } from '../../helpers';

ruleCases('SD109', {
  fires: [
    { name: 'conda install', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy\n', lines: [2] },
    { name: 'conda env create', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda env create -f environment.yml\n', lines: [2] },
    { name: 'mamba in a heredoc', dockerfile: 'FROM condaforge/miniforge3:24.3.0-0\nRUN <<EOF\nmamba create -y -n app python=3.12\nEOF\n', lines: [3] },
    { name: 'micromamba with MAMBA_ROOT_PREFIX inherited', dockerfile: 'FROM mambaorg/micromamba:1.5.8 AS base\nENV MAMBA_ROOT_PREFIX=/opt/conda\nFROM base\nRUN micromamba install -y -n base -f env.yaml\n', lines: [4] },
    { name: 'clean in a later RUN does not count', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy\nRUN conda clean -afy\n', lines: [2] },
    { name: 'exec form', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN ["conda", "install", "-y", "numpy"]\n', lines: [2] },
    { name: 'sh -c', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN sh -c "conda install -y numpy"\n', lines: [2] },
    { name: 'builder copying the whole conda tree', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0 AS build\nRUN conda create -y -p /opt/conda/envs/app python=3.12\nFROM debian:bookworm-slim\nCOPY --from=build /opt/conda /opt/conda\n', lines: [2] },
  ],
  clean: [
    { name: 'conda clean -afy', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy && conda clean -afy\n' },
    { name: 'conda clean --all --yes', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda env create -f environment.yml && conda clean --all --yes\n' },
    { name: 'old conda clean -tipsy', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy && conda clean -tipsy\n' },
    { name: 'micromamba clean --all --yes in a heredoc', dockerfile: 'FROM mambaorg/micromamba:1.5.8\nRUN <<EOF\nmicromamba install -y -n base -f env.yaml\nmicromamba clean --all --yes\nEOF\n' },
    { name: 'cache mount on the pkgs dir', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN --mount=type=cache,target=/opt/conda/pkgs conda install -y numpy\n' },
    { name: 'cache mount on CONDA_PKGS_DIRS', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nENV CONDA_PKGS_DIRS=/tmp/pkgs\nRUN --mount=type=cache,target=/tmp/pkgs conda install -y numpy\n' },
    { name: 'rm of the pkgs dir', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy && rm -rf /opt/conda/pkgs/*\n' },
    { name: 'builder copying only the env', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0 AS build\nRUN conda create -y -p /opt/env python=3.12\nFROM debian:bookworm-slim\nCOPY --from=build /opt/env /opt/env\n' },
    { name: 'conda activate and list are not installs', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda list && conda info\n' },
    { name: '--download-only', dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN --mount=type=cache,target=/opt/conda/pkgs conda create -y -n t --download-only numpy\n' },
  ],
});

describe('SD109 fixes', () => {
  it('appends the clean to the RUN', () => {
    const fixed = assertFix('SD109', { dockerfile: 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy \\\n    && echo done\n' });
    assert.equal(fixed, 'FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy \\\n    && echo done && conda clean --all --yes\n');
  });
  it('appends micromamba clean inside a heredoc', () => {
    const fixed = assertFix('SD109', { dockerfile: 'FROM mambaorg/micromamba:1.5.8\nRUN <<EOF\nmicromamba install -y -n base -f env.yaml\nEOF\n' });
    assert.equal(fixed, 'FROM mambaorg/micromamba:1.5.8\nRUN <<EOF\nmicromamba install -y -n base -f env.yaml && micromamba clean --all --yes\nEOF\n');
  });
});
