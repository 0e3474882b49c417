"""Local PostgreSQL/Redis processes and the `vitalstream-stack` launcher."""
