"""Dependencies of vitalstream-backend (the rest of the metadata is in pyproject.toml).

The vitalstream binding is not on PyPI: inside the repository it is taken from
../../bindings/python, so `pip install ./examples/backend` works in a fresh venv on its own.
Outside the repository (an sdist built elsewhere) the plain name is required and the binding
must be installed first."""
from pathlib import Path

from setuptools import setup

BINDING = Path(__file__).resolve().parent.parent.parent / "bindings" / "python"
VITALSTREAM = (f"vitalstream @ {BINDING.as_uri()}" if (BINDING / "pyproject.toml").is_file()
               else "vitalstream")

setup(install_requires=[
    VITALSTREAM,
    "redis[hiredis]>=5.0",
    "prometheus-client>=0.17",
    "numpy>=1.21",
    "orjson>=3.9",
    # web API
    "fastapi>=0.110",
    "uvicorn[standard]>=0.27",
    "sqlalchemy[asyncio]>=2.0",
    "alembic>=1.13",
    "psycopg[binary]>=3.1",
    "argon2-cffi>=23.1",
    "pyjwt>=2.8",
    "python-multipart>=0.0.9",
    "reportlab>=4.0",
    "httpx>=0.27",
])
