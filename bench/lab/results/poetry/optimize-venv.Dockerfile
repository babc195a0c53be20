FROM python:3.11-slim AS builder
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST
ENV UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy UV_NO_DEV=1 UV_PYTHON_DOWNLOADS=0 UV_INDEX_URL=${PIP_INDEX_URL:-https://pypi.org/simple}
ENV POETRY_NO_INTERACTION=1 POETRY_VIRTUALENVS_CREATE=1 POETRY_VIRTUALENVS_IN_PROJECT=1
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --system poetry==2.1.1
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/pypoetry \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    --mount=type=bind,source=poetry.lock,target=poetry.lock \
    poetry install --only main --no-root

FROM python:3.11-slim
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST
ENV POETRY_VERSION=2.1.1

WORKDIR /app
COPY pyproject.toml poetry.lock ./
COPY --from=builder /app/.venv /app/.venv
ENV PATH="/app/.venv/bin:$PATH"

COPY . .
CMD ["python", "-m", "app"]
