"""Per-device API keys: 256-bit random, shown once, stored as SHA-256."""
from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "vsd_"


def new_device_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_device_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
