FROM python:3.11-slim
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST

RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && pip cache purge && rm -rf /var/lib/apt/lists/*

COPY . .
CMD ["python", "-m", "app"]
