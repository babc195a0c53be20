import flask, PIL  # noqa: F401
