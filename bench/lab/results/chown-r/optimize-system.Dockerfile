FROM python:3.11-slim
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST

RUN useradd --create-home appuser
WORKDIR /app
COPY --chown=appuser:appuser requirements.txt .
RUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv \
    --mount=type=cache,target=/root/.cache/uv \
    UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system -r requirements.txt

COPY --chown=appuser:appuser . .
USER appuser
CMD ["python", "-m", "app"]
