import { ruleCases } from '../../helpers';

ruleCases('SD106', {
  fires: [
    { name: 'pip install poetry', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry==1.8.3 && poetry install --only main --no-cache\n', lines: [2] },
    { name: 'pipx install pdm', dockerfile: 'FROM python:3.12-slim\nRUN pipx install pdm\n', lines: [2] },
    { name: 'poetry installer piped to python', dockerfile: 'FROM python:3.12-slim\nENV POETRY_HOME=/opt/poetry\nRUN curl -sSL https://install.python-poetry.org | python3 -\n', lines: [3] },
    { name: 'uv with pip in a heredoc', dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir uv==0.5.0\nEOF\n', lines: [3] },
    { name: 'pip-tools into a venv copied to the final stage', dockerfile: 'FROM python:3.12 AS build\nENV VIRTUAL_ENV=/venv\nRUN python -m venv /venv && /venv/bin/pip install --no-cache-dir pip-tools==7.4.0\nFROM python:3.12-slim\nCOPY --from=build /venv /venv\n', lines: [3] },
    { name: 'exec form', dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "pipenv"]\n', lines: [2] },
    { name: 'sh -c, as a non-root user', dockerfile: 'FROM python:3.12-slim\nUSER app\nRUN sh -c "pip install --user poetry"\n', lines: [3] },
  ],
  clean: [
    { name: 'builder stage only', dockerfile: 'FROM python:3.12 AS build\nRUN pip install poetry==1.8.3 && poetry export -o /req.txt\nFROM python:3.12-slim\nCOPY --from=build /req.txt /req.txt\nRUN pip install --no-cache-dir -r /req.txt\n' },
    { name: 'builder venv copied, poetry installed elsewhere', dockerfile: 'FROM python:3.12 AS build\nRUN pipx install poetry && python -m venv /venv\nFROM python:3.12-slim\nCOPY --from=build /venv /venv\n' },
    { name: 'uninstalled in the same RUN', dockerfile: 'FROM python:3.12-slim\nRUN pip install poetry==1.8.3 && poetry install --only main && pip uninstall -y poetry\n' },
    { name: 'the image runs it', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry==1.8.3\nCMD ["poetry", "run", "python", "app.py"]\n' },
    { name: 'a dev container', path: '.devcontainer/Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry==1.8.3\n' },
    { name: 'a dev image by folder (corpus: OpenHands containers/dev)', path: 'containers/dev/Dockerfile', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry==1.8.3\n' },
    { name: 'hatch is not in the list', dockerfile: 'FROM python:3.12-slim\nRUN pipx install hatch\n' },
    { name: 'uv copied from its image is SD506, not this', dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\n' },
    { name: 'other packages', dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir poetry-core==1.9.0 uvicorn==0.30.0\n' },
    { name: 'poetry installer written to a file only', dockerfile: 'FROM python:3.12-slim\nRUN cat <<EOF > /notes.txt\ncurl -sSL https://install.python-poetry.org | python3 -\nEOF\n' },
  ],
});
