FROM python:3.11 AS builder
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST
ENV UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy UV_NO_DEV=1 UV_PYTHON_DOWNLOADS=0 UV_INDEX_URL=${PIP_INDEX_URL:-https://pypi.org/simple}
RUN uv venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=requirements.txt,target=/app/requirements.txt \
    uv pip install -r requirements.txt

FROM python:3.11-slim
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST

WORKDIR /app
COPY requirements.txt .
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

COPY . .
CMD ["gunicorn", "app:app"]
