"""Who is calling: a logged-in user (from an access token) or a device (from its API key)."""
from __future__ import annotations

from dataclasses import dataclass

ROLE_RANK = {"viewer": 1, "clinician": 2, "admin": 3}


@dataclass(frozen=True)
class UserPrincipal:
    user_id: int
    username: str
    role: str
    jti: str
    family: str
    expires_at: int
    ip: str | None

    def has_role(self, role: str) -> bool:
        return ROLE_RANK.get(self.role, 0) >= ROLE_RANK[role]


@dataclass(frozen=True)
class DevicePrincipal:
    device_id: int
    name: str
    patient_id: int | None
    ip: str | None
