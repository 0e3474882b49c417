"""Alembic migrations of the PostgreSQL schema (run by `vitalstream-stack` and `vitalstream-db upgrade`)."""
