# By hand: the safe fix (SD101: pip --no-cache-dir) plus SD105's (--only main) and SD111's (cache
# removed in the same RUN) advice.
FROM python:3.11-slim
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST
ENV POETRY_VERSION=2.1.1

RUN pip install --no-cache-dir "poetry==$POETRY_VERSION"

WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --no-root --no-interaction --only main \
    && rm -rf /root/.cache/pypoetry

COPY . .
CMD ["python", "-m", "app"]
