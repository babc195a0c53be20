import torch, numpy, fastapi  # noqa: F401
