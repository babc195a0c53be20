# By hand: the safe fixes (SD502: no uv cache in the layer) plus SD105's advice (--no-dev).
FROM python:3.11-slim
COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/

WORKDIR /app
COPY . /app
RUN uv sync --locked --no-dev --no-cache

ENV PATH="/app/.venv/bin:$PATH"
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"]
