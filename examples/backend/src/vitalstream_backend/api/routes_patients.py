"""/api/patients: CRUD and search. Every read and write lands in the audit log."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..auth.deps import Admin, Clinician, Viewer
from ..db.models import Alarm, EcgSession, Patient
from .audit import audit
from .context import Db, get_or_404
from .errors import ApiError
from .pagination import Page, Paging, paginate

router = APIRouter(prefix="/api/patients", tags=["patients"])

PatientId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Sex = Literal["F", "M", "X", "U"]
MRN_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"


class PatientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mrn: str = Field(pattern=MRN_PATTERN, description="medical record number; also the stream id")
    name: str = Field(min_length=1, max_length=200)
    birth_date: date | None = None
    sex: Sex = "U"
    ward: str | None = Field(default=None, max_length=64)
    bed: str | None = Field(default=None, max_length=32)


class PatientUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    birth_date: date | None = None
    sex: Sex | None = None
    ward: str | None = Field(default=None, max_length=64)
    bed: str | None = Field(default=None, max_length=32)


class PatientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    mrn: str
    name: str
    birth_date: date | None
    sex: str
    ward: str | None
    bed: str | None
    created_at: datetime
    active_session_id: int | None = None
    fs: int | None = None
    active_alarms: int = 0


def validate_birth_date(d: date | None) -> None:
    if d is not None and not (date(1880, 1, 1) <= d <= date.today()):
        raise ApiError(422, "birth_date out of range")


async def _decorate(db: Db, patients: list[Patient]) -> list[PatientOut]:
    """Add the running session and open-alarm count (two queries for the whole page)."""
    ids = [p.id for p in patients]
    sessions = {s.patient_id: s for s in (await db.execute(
        select(EcgSession).where(EcgSession.patient_id.in_(ids), EcgSession.status == "active"))).scalars()}
    counts = dict((await db.execute(
        select(Alarm.patient_id, func.count()).where(Alarm.patient_id.in_(ids), Alarm.resolved_at.is_(None))
        .group_by(Alarm.patient_id))).tuples().all())
    out = []
    for p in patients:
        item = PatientOut.model_validate(p)
        s = sessions.get(p.id)
        if s is not None:
            item.active_session_id, item.fs = s.id, s.fs
        item.active_alarms = int(counts.get(p.id, 0))
        out.append(item)
    return out


async def get_patient_or_404(db: Db, patient_id: int) -> Patient:
    return await get_or_404(db, Patient, patient_id, "patient")


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@router.get("", response_model=Page[PatientOut], summary="List or search patients")
async def list_patients(user: Viewer, db: Db, paging: Paging,
                        q: Annotated[str | None, Query(max_length=100, description="name or MRN substring")] = None,
                        ward: Annotated[str | None, Query(max_length=64)] = None) -> Page[PatientOut]:
    query = select(Patient).order_by(Patient.ward, Patient.bed, Patient.id)
    if q:
        query = query.where(or_(Patient.name.ilike(_like(q), escape="\\"),
                                Patient.mrn.ilike(_like(q), escape="\\")))
    if ward:
        query = query.where(Patient.ward == ward)
    rows, total = await paginate(db, query, paging)
    audit(db, user, "read", "patient_list", detail={"q": q, "ward": ward, "count": len(rows)})
    await db.commit()
    return Page(items=await _decorate(db, rows), total=total, page=paging.page,
                page_size=paging.page_size)


@router.post("", response_model=PatientOut, status_code=201,
             responses={409: {"description": "MRN exists"}})
async def create_patient(body: PatientIn, user: Clinician, db: Db) -> PatientOut:
    validate_birth_date(body.birth_date)
    patient = Patient(**body.model_dump())
    db.add(patient)
    try:
        await db.flush()
    except IntegrityError:
        raise ApiError(409, "a patient with this MRN exists") from None
    audit(db, user, "create", "patient", patient.id, patient.id)
    await db.commit()
    return (await _decorate(db, [patient]))[0]


@router.get("/{patient_id}", response_model=PatientOut)
async def get_patient(patient_id: PatientId, user: Viewer, db: Db) -> PatientOut:
    patient = await get_patient_or_404(db, patient_id)
    audit(db, user, "read", "patient", patient.id, patient.id)
    await db.commit()
    return (await _decorate(db, [patient]))[0]


@router.patch("/{patient_id}", response_model=PatientOut)
async def update_patient(patient_id: PatientId, body: PatientUpdate, user: Clinician, db: Db) -> PatientOut:
    patient = await get_patient_or_404(db, patient_id)
    changes = body.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        raise ApiError(422, "name cannot be null")
    if "sex" in changes and changes["sex"] is None:
        raise ApiError(422, "sex cannot be null")
    validate_birth_date(body.birth_date)
    for field, value in changes.items():
        setattr(patient, field, value)
    audit(db, user, "update", "patient", patient.id, patient.id, detail={"fields": sorted(changes)})
    await db.commit()
    return (await _decorate(db, [patient]))[0]


@router.delete("/{patient_id}", status_code=204,
               summary="Delete a patient and all their sessions, alarms and trends")
async def delete_patient(patient_id: PatientId, user: Admin, db: Db) -> Response:
    patient = await get_patient_or_404(db, patient_id)
    active = (await db.execute(select(EcgSession.id).where(
        EcgSession.patient_id == patient.id, EcgSession.status == "active"))).first()
    if active is not None:
        raise ApiError(409, "stop the patient's running session first")
    audit(db, user, "delete", "patient", patient.id, None, detail={"mrn": patient.mrn})
    await db.delete(patient)
    await db.commit()
    return Response(status_code=204)
