"""Authentication: argon2id passwords, JWT access/refresh tokens with rotation, device keys."""
