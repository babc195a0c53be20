import flask, gunicorn, requests, sqlalchemy  # noqa: F401  (the lab checks that the dependencies import)

app = flask.__name__
