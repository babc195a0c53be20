"""A small Flask service: a health check that pings PostgreSQL, and a CSV report."""
import io
import os

import pandas as pd
from flask import Flask, Response, jsonify
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ.get("DATABASE_URL", "postgresql+psycopg2://app:app@db/app"), pool_pre_ping=True)


@app.get("/health")
def health():
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return jsonify(status="ok")


@app.get("/report.csv")
def report():
    frame = pd.read_sql(text("SELECT id, name, created_at FROM orders ORDER BY created_at DESC LIMIT 100"), engine)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return Response(buffer.getvalue(), mimetype="text/csv")
