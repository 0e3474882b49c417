"""Audit trail of reads and writes of patient data (who saw or changed what, from where)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.principal import DevicePrincipal, UserPrincipal
from ..db.models import AuditLog


def audit(db: AsyncSession, who: UserPrincipal | DevicePrincipal, action: str, resource: str,
          resource_id: object = None, patient_id: int | None = None,
          detail: dict[str, Any] | None = None) -> None:
    """Add an audit row to the caller's transaction (committed with the change it records;
    read-only handlers commit it themselves)."""
    db.add(AuditLog(
        user_id=who.user_id if isinstance(who, UserPrincipal) else None,
        device_id=who.device_id if isinstance(who, DevicePrincipal) else None,
        action=action, resource=resource,
        resource_id=None if resource_id is None else str(resource_id)[:64],
        patient_id=patient_id, ip=who.ip, detail=detail))
