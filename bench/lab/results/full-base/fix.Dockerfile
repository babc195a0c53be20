FROM python:3.11
ARG PIP_INDEX_URL
ARG PIP_TRUSTED_HOST

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
CMD ["gunicorn", "app:app"]
