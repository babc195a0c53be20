import flask, requests  # noqa: F401
