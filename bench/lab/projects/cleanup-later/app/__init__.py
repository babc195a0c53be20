import pandas, numpy, requests, sqlalchemy  # noqa: F401
