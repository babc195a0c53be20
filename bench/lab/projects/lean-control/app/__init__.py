import fastapi, uvicorn  # noqa: F401

app = fastapi.__name__
