import { ruleCases } from '../../helpers';

ruleCases('SD102', {
  fires: [
    { name: 'pip install --upgrade pip', dockerfile: 'FROM python:3.12-slim\nRUN pip install --upgrade pip\n', lines: [2] },
    { name: '-U pip setuptools wheel with python -m pip', dockerfile: 'FROM python:3.12-slim\nRUN python -m pip install -U pip setuptools wheel && pip install flask==3.0.0\n', lines: [2] },
    { name: 'combined short flags -qU in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip3.12 install -qU pip\nEOF\n', lines: [3] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "--upgrade", "pip"]\n', lines: [2] },
    { name: 'sh -c', dockerfile: 'FROM python:3.12-slim\nRUN sh -c "pip install --upgrade setuptools"\n', lines: [2] },
    { name: 'a lower bound on pip is an upgrade', dockerfile: 'FROM python:3.12-slim\nRUN pip install "pip>=25.1"\n', lines: [2] },
    { name: 'in the stage the final one is built FROM', dockerfile: 'FROM python:3.12-slim AS base\nRUN pip install -U pip\nFROM base\nCMD ["python"]\n', lines: [2] },
  ],
  clean: [
    { name: 'venv pip called through a variable (corpus: whisper-asr)', dockerfile: 'FROM python:3.12-slim\nENV POETRY_VENV=/app/.venv\nRUN python3 -m venv $POETRY_VENV && $POETRY_VENV/bin/pip install -U pip setuptools\n' },
    { name: 'installing pip pinned without upgrade', dockerfile: 'FROM python:3.12-slim\nRUN pip install pip==24.0\n' },
    { name: 'upgrading other packages', dockerfile: 'FROM python:3.12-slim\nRUN pip install --upgrade flask\n' },
    { name: 'builder stage not shipped', dockerfile: 'FROM python:3.12 AS build\nRUN pip install -U pip && pip wheel -w /wheels flask\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n' },
    { name: 'inside a venv this Dockerfile creates (argv path)', dockerfile: 'FROM python:3.12-slim\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install -U pip\n' },
    { name: 'inside a venv via VIRTUAL_ENV', dockerfile: 'FROM python:3.12-slim\nENV VIRTUAL_ENV=/opt/venv\nRUN python -m venv $VIRTUAL_ENV\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install -U pip\n' },
    { name: 'inside a venv found on PATH', dockerfile: 'FROM python:3.12-slim\nRUN python -m venv /venv\nENV PATH="/venv/bin:$PATH"\nRUN pip install --upgrade pip setuptools\n' },
    { name: 'builder venv copied to the final stage', dockerfile: 'FROM python:3.12 AS build\nRUN python -m venv /venv && /venv/bin/pip install -U pip\nFROM python:3.12-slim\nCOPY --from=build /venv /venv\n' },
    { name: 'uv pip upgrading pip is not pip', dockerfile: 'FROM python:3.12-slim\nRUN uv pip install --system -U pip\n' },
    { name: 'suppressed', dockerfile: 'FROM python:3.12-slim\n# slimdock: ignore=SD102\nRUN pip install -U pip\n' },
    { name: 'written to a script by a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN cat <<EOF > /x.sh\npip install -U pip\nEOF\n' },
  ],
});
