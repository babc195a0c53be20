import fastapi, uvicorn, httpx  # noqa: F401

app = fastapi.__name__
