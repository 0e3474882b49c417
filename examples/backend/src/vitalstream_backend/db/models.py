"""Tables: users, devices, patients, ECG sessions, alarms, rhythm episodes, per-minute trends
and the audit log. Unique keys on alarms/episodes/trends come from (session, chunk sequence,
event) so the persistence consumer can insert the same stream entry twice harmlessly."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Float, ForeignKey, Index, Integer,
                        String, UniqueConstraint)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

ROLES = ("admin", "clinician", "viewer")
SEXES = ("F", "M", "X", "U")
SESSION_STATUSES = ("active", "ended", "error")
SEVERITIES = ("critical", "warning", "advisory")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (CheckConstraint("role IN ('admin','clinician','viewer')", name="role"),)


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[Optional[date]]
    sex: Mapped[str] = mapped_column(String(1), default="U")
    ward: Mapped[Optional[str]] = mapped_column(String(64))
    bed: Mapped[Optional[str]] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    __table_args__ = (
        CheckConstraint("sex IN ('F','M','X','U')", name="sex"),
        Index("ix_patients_name", "name"),
        Index("ix_patients_ward_bed", "ward", "bed"),
    )


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the key: keys are 256-bit random, so a fast hash is enough (no dictionary).
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    patient_id: Mapped[Optional[int]] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[Optional[datetime]]


class EcgSession(Base):
    __tablename__ = "ecg_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    device_id: Mapped[Optional[int]] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    fs: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[Optional[datetime]]
    status: Mapped[str] = mapped_column(String(16), default="active")
    # The worker tier's session number (epoch ms at start, increasing per patient).
    stream_session: Mapped[int] = mapped_column(BigInteger)
    end_reason: Mapped[Optional[str]] = mapped_column(String(64))
    __table_args__ = (
        UniqueConstraint("patient_id", "stream_session", name="uq_ecg_sessions_patient_stream"),
        CheckConstraint("status IN ('active','ended','error')", name="status"),
        CheckConstraint("fs > 0", name="fs"),
        Index("ix_ecg_sessions_patient_started", "patient_id", "started_at"),
        # At most one running session per patient.
        Index("uq_ecg_sessions_one_active", "patient_id", unique=True,
              postgresql_where="status = 'active'"),
    )


class Alarm(Base):
    __tablename__ = "alarms"
    id: Mapped[int] = mapped_column(primary_key=True)
    # "<session>:<onset sample>:<type>" — the same worker output always maps to the same key.
    event_key: Mapped[str] = mapped_column(String(128), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("ecg_sessions.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    technical: Mapped[bool] = mapped_column(Boolean, default=False)  # equipment, not the patient
    onset_sample: Mapped[int] = mapped_column(BigInteger)
    onset_at: Mapped[datetime]
    offset_at: Mapped[Optional[datetime]]
    value: Mapped[Optional[float]] = mapped_column(Float)
    acknowledged_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[Optional[datetime]]
    resolved_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        CheckConstraint("severity IN ('critical','warning','advisory')", name="severity"),
        Index("ix_alarms_patient_onset", "patient_id", "onset_at"),
        Index("ix_alarms_onset", "onset_at"),
        Index("ix_alarms_open", "onset_at", postgresql_where="resolved_at IS NULL"),
        Index("ix_alarms_session", "session_id"),
    )


class Episode(Base):
    __tablename__ = "episodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(128), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("ecg_sessions.id", ondelete="CASCADE"))
    rhythm: Mapped[str] = mapped_column(String(32))
    onset_sample: Mapped[int] = mapped_column(BigInteger)
    offset_sample: Mapped[Optional[int]] = mapped_column(BigInteger)
    onset_at: Mapped[datetime]
    offset_at: Mapped[Optional[datetime]]
    __table_args__ = (
        Index("ix_episodes_patient_onset", "patient_id", "onset_at"),
        Index("ix_episodes_session", "session_id", "onset_sample"),
    )


class Trend(Base):
    __tablename__ = "trends"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("ecg_sessions.id", ondelete="CASCADE"))
    minute_index: Mapped[int] = mapped_column(Integer)  # minutes since session start
    minute: Mapped[datetime]
    beats: Mapped[int] = mapped_column(Integer)
    hr_bpm: Mapped[Optional[float]] = mapped_column(Float)
    sdnn_ms: Mapped[Optional[float]] = mapped_column(Float)
    rmssd_ms: Mapped[Optional[float]] = mapped_column(Float)
    # Running sums the consumer adds to (one minute's beats may arrive in several batches):
    # all RR intervals, normal-to-normal intervals, and successive NN differences.
    rr_sum_ms: Mapped[float] = mapped_column(Float, default=0.0)
    rr_count: Mapped[int] = mapped_column(Integer, default=0)
    nn_sum_ms: Mapped[float] = mapped_column(Float, default=0.0)
    nn_sq_sum: Mapped[float] = mapped_column(Float, default=0.0)
    nn_count: Mapped[int] = mapped_column(Integer, default=0)
    sd_sq_sum: Mapped[float] = mapped_column(Float, default=0.0)
    sd_count: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        UniqueConstraint("session_id", "minute_index", name="uq_trends_session_minute"),
        Index("ix_trends_patient_minute", "patient_id", "minute"),
    )


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    device_id: Mapped[Optional[int]] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))  # read / create / update / delete / login ...
    resource: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[Optional[str]] = mapped_column(String(64))
    # No foreign key: the trail keeps the patient id after the patient is deleted, and records
    # attempts on ids that never existed.
    patient_id: Mapped[Optional[int]] = mapped_column(Integer)
    ip: Mapped[Optional[str]] = mapped_column(String(64))
    detail: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONB)
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_patient_at", "patient_id", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
    )



class StreamCursor(Base):
    """Position of the persistence consumer in one Redis stream, committed in the same
    transaction as the rows it derived from the entries before it (exactly-once)."""
    __tablename__ = "stream_cursors"
    stream: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
