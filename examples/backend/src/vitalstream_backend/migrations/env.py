"""Alembic environment: migrates the database named by the config's sqlalchemy.url (or
VITALSTREAM_DATABASE_URL) to the models' metadata."""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine, pool

from vitalstream_backend.db import models  # noqa: F401  (registers the tables)
from vitalstream_backend.db.base import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or os.environ["VITALSTREAM_DATABASE_URL"]


def run_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
