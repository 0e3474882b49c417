"""POST /api/devices/provision (admin): set up many beds in one request — each a patient (found
by MRN or created) with a new device key bound to it.

Why a bulk route: bringing up a ward (or `vitalstream-stack up --patients 64`) is two calls per
bed, far beyond the per-user limit of 60 requests/min that keeps an account from flooding the
API. One provisioning request counts once against that limit and carries at most MAX_BEDS
beds, so the limit still bounds what one account can do per minute."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth.deps import Admin
from ..auth.device_keys import hash_device_key, new_device_key
from ..db.models import Device, EcgSession, Patient
from .audit import audit
from .context import Ctx, Db
from .errors import ApiError
from .routes_devices import DeviceCreated, DeviceOut
from .routes_patients import PatientIn, validate_birth_date
from .session_control import stop_session

router = APIRouter(prefix="/api/devices", tags=["devices"])

MAX_BEDS = 128


class Bed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient: PatientIn = Field(description="found by MRN (other fields then unchanged) or created")
    device_name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")


class ProvisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    beds: list[Bed] = Field(min_length=1, max_length=MAX_BEDS)
    stop_running_sessions: bool = Field(
        default=False, description="end a running session of these patients (a device restart)")


class Provisioned(BaseModel):
    patient_id: int
    mrn: str
    created: bool = Field(description="the patient was new")
    stopped_session_id: int | None
    device: DeviceCreated


class ProvisionOut(BaseModel):
    items: list[Provisioned]


@router.post("/provision", response_model=ProvisionOut, status_code=201,
             summary="Patients and device keys for many beds in one request",
             responses={409: {"description": "duplicate MRN or device name in the request, or a "
                                             "device name in use"}})
async def provision(body: ProvisionIn, admin: Admin, ctx: Ctx, db: Db) -> ProvisionOut:
    mrns = [b.patient.mrn for b in body.beds]
    names = [b.device_name for b in body.beds]
    if len(set(mrns)) != len(mrns) or len(set(names)) != len(names):
        raise ApiError(409, "each MRN and each device name may appear once per request")
    for b in body.beds:
        validate_birth_date(b.patient.birth_date)
    taken = (await db.execute(select(Device.name).where(Device.name.in_(names)))).scalars().all()
    if taken:
        raise ApiError(409, f"device name in use: {', '.join(sorted(taken)[:5])}")
    known = {p.mrn: p for p in (await db.execute(
        select(Patient).where(Patient.mrn.in_(mrns)))).scalars()}
    stopped: dict[int, int] = {}
    if body.stop_running_sessions and known:
        running = (await db.execute(select(EcgSession).where(
            EcgSession.patient_id.in_([p.id for p in known.values()]),
            EcgSession.status == "active"))).scalars().all()
        for session in running:
            await stop_session(ctx, db, session, f"device re-provisioned by {admin.username}")
            stopped[session.patient_id] = session.id
    out: list[Provisioned] = []
    try:
        for b in body.beds:
            patient = known.get(b.patient.mrn)
            if patient is None:
                patient = Patient(**b.patient.model_dump())
                db.add(patient)
                await db.flush()
                audit(db, admin, "create", "patient", patient.id, patient.id)
            key = new_device_key()
            device = Device(name=b.device_name, key_hash=hash_device_key(key),
                            patient_id=patient.id, active=True)
            db.add(device)
            await db.flush()
            audit(db, admin, "create", "device", device.id, patient.id)
            out.append(Provisioned(
                patient_id=patient.id, mrn=patient.mrn, created=b.patient.mrn not in known,
                stopped_session_id=stopped.get(patient.id),
                device=DeviceCreated(**DeviceOut.model_validate(device).model_dump(), api_key=key)))
    except IntegrityError:  # a concurrent request took an MRN or a device name meanwhile
        raise ApiError(409, "an MRN or device name was taken meanwhile; retry") from None
    await db.commit()
    return ProvisionOut(items=out)
