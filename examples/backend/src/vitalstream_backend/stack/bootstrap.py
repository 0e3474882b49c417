"""Creating the first admin account (user `admin`)."""
from __future__ import annotations

import secrets

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from ..auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from ..db.models import User


def ensure_admin(database_url: str, password: str | None, username: str = "admin") -> str | None:
    """Create `username` as admin. With a password: create or reset to it. Without: create
    with a generated password and return it (None if the account already existed)."""
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the admin password must have at least {MIN_PASSWORD_LENGTH} characters")
    engine = create_engine(database_url)
    try:
        with Session(engine) as db:
            user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
            generated = None
            if user is None:
                generated = password is None
                password = password or secrets.token_urlsafe(12)
                db.add(User(username=username, password_hash=hash_password(password), role="admin", active=True))
            elif password is not None:
                user.password_hash, user.role, user.active = hash_password(password), "admin", True
            db.commit()
            return password if generated else None
    finally:
        engine.dispose()
