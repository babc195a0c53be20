"""The same service as bloated-app, without pandas: a health check that pings PostgreSQL."""
import os

from flask import Flask, jsonify
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ.get("DATABASE_URL", "postgresql+psycopg://app:app@db/app"), pool_pre_ping=True)


@app.get("/health")
def health():
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return jsonify(status="ok")
