"""PostgreSQL schema (SQLAlchemy 2 models) and sessions."""
