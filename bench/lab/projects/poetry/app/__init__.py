import flask, sqlalchemy, redis  # noqa: F401
