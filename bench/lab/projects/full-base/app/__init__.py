import flask, gunicorn, psycopg2  # noqa: F401

app = flask.__name__
