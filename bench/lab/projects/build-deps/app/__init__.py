import django, psycopg2, gunicorn  # noqa: F401
