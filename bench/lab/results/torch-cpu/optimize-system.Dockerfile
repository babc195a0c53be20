FROM python:3.11-slim
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST

WORKDIR /app
RUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv \
    --mount=type=cache,target=/root/.cache/uv \
    UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --index-url https://download.pytorch.org/whl/cpu --system torch==2.6.0
COPY requirements.txt .
RUN --mount=from=ghcr.io/astral-sh/uv:0.12.5,source=/uv,target=/bin/uv \
    --mount=type=cache,target=/root/.cache/uv \
    UV_COMPILE_BYTECODE=0 UV_LINK_MODE=copy uv pip install --system -r requirements.txt

COPY app/ app/
CMD ["uvicorn", "app.server:app", "--host", "0.0.0.0"]
