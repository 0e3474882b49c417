"""Run the Alembic migrations programmatically (no alembic.ini needed after pip install)."""
from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # '%' must be doubled for configparser interpolation.
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def main() -> None:
    parser = argparse.ArgumentParser(prog="vitalstream-db", description="database migrations")
    parser.add_argument("action", choices=["upgrade", "downgrade", "revision"])
    parser.add_argument("--url", required=True, help="SQLAlchemy URL (postgresql+psycopg://...)")
    parser.add_argument("--revision", default=None)
    parser.add_argument("-m", "--message", default="change")
    args = parser.parse_args()
    if args.action == "upgrade":
        upgrade(args.url, args.revision or "head")
    elif args.action == "downgrade":
        downgrade(args.url, args.revision or "base")
    else:
        command.revision(alembic_config(args.url), message=args.message, autogenerate=True)
