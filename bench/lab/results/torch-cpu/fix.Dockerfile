FROM python:3.11-slim
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST

WORKDIR /app
RUN pip install --no-cache-dir torch==2.6.0
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY app/ app/
CMD ["uvicorn", "app.server:app", "--host", "0.0.0.0"]
