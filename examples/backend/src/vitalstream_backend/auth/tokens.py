"""JWT access and refresh tokens (HS256). Access tokens carry the role; refresh tokens carry
the id of their rotation family (see refresh_families)."""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import jwt

ALGORITHM = "HS256"
ISSUER = "vitalstream"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    role: str
    jti: str
    kind: str  # "access" | "refresh"
    family: str
    expires_at: int


class TokenError(Exception):
    """Invalid, expired or wrongly typed token."""


def new_id() -> str:
    return secrets.token_urlsafe(16)


def issue(secret: str, user_id: int, role: str, kind: str, ttl_s: int, family: str) -> tuple[str, TokenClaims]:
    now = int(time.time())
    claims = TokenClaims(user_id, role, new_id(), kind, family, now + ttl_s)
    token = jwt.encode({"sub": str(user_id), "role": role, "jti": claims.jti, "typ": kind,
                        "fam": family, "iat": now, "exp": claims.expires_at, "iss": ISSUER},
                       secret, algorithm=ALGORITHM)
    return token, claims


def decode(secret: str, token: str, kind: str) -> TokenClaims:
    try:
        data = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                          options={"require": ["exp", "iat", "sub", "jti", "typ"]})
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenError("invalid token") from exc
    if data.get("typ") != kind:
        raise TokenError(f"not an {kind} token")
    try:
        return TokenClaims(int(data["sub"]), str(data["role"]), str(data["jti"]), kind,
                           str(data.get("fam", "")), int(data["exp"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise TokenError("invalid token claims") from exc
