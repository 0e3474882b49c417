"""/api/devices (admin): register bedside devices and issue their ingest keys."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth.deps import Admin
from ..auth.device_keys import hash_device_key, new_device_key
from ..db.models import Device, Patient
from .audit import audit
from .context import Db, get_or_404
from .errors import ApiError, not_found
from .pagination import Page, Paging, paginate

router = APIRouter(prefix="/api/devices", tags=["devices"])

DeviceId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class DeviceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    patient_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                   description="restrict the device to this patient")


class DeviceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    patient_id: int | None
    active: bool
    created_at: datetime
    last_seen_at: datetime | None


class DeviceCreated(DeviceOut):
    api_key: str = Field(description="shown once; send as X-Device-Key")


@router.get("", response_model=Page[DeviceOut])
async def list_devices(admin: Admin, db: Db, paging: Paging) -> Page[DeviceOut]:
    rows, total = await paginate(db, select(Device).order_by(Device.id), paging)
    return Page(items=[DeviceOut.model_validate(d) for d in rows], total=total, page=paging.page,
                page_size=paging.page_size)


@router.post("", response_model=DeviceCreated, status_code=201)
async def create_device(body: DeviceIn, admin: Admin, db: Db) -> DeviceCreated:
    if body.patient_id is not None and await db.get(Patient, body.patient_id) is None:
        raise not_found("patient")
    key = new_device_key()
    device = Device(name=body.name, key_hash=hash_device_key(key), patient_id=body.patient_id, active=True)
    db.add(device)
    try:
        await db.flush()
    except IntegrityError:
        raise ApiError(409, "a device with this name exists") from None
    audit(db, admin, "create", "device", device.id, body.patient_id)
    await db.commit()
    return DeviceCreated(**DeviceOut.model_validate(device).model_dump(), api_key=key)


@router.delete("/{device_id}", status_code=204, summary="Revoke a device's key")
async def delete_device(device_id: DeviceId, admin: Admin, db: Db) -> Response:
    device = await get_or_404(db, Device, device_id, "device")
    device.active = False
    audit(db, admin, "delete", "device", device.id)
    await db.commit()
    return Response(status_code=204)
