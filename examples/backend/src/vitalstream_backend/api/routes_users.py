"""/api/users (admin): accounts and roles."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth.deps import Admin
from ..auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from ..db.models import User
from .audit import audit
from .context import Db, get_or_404
from .errors import ApiError
from .pagination import Page, Paging, paginate
from .routes_auth import UserOut

router = APIRouter(prefix="/api/users", tags=["users"])

Role = Literal["admin", "clinician", "viewer"]
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)
    role: Role


class UserUpdate(BaseModel):
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=MIN_PASSWORD_LENGTH, max_length=256)


@router.get("", response_model=Page[UserOut])
async def list_users(admin: Admin, db: Db, paging: Paging) -> Page[UserOut]:
    rows, total = await paginate(db, select(User).order_by(User.id), paging)
    return Page(items=[UserOut.model_validate(u) for u in rows], total=total,
                page=paging.page, page_size=paging.page_size)


@router.post("", response_model=UserOut, status_code=201,
             responses={409: {"description": "username taken"}})
async def create_user(body: UserCreate, admin: Admin, db: Db) -> User:
    user = User(username=body.username, password_hash=hash_password(body.password), role=body.role,
                active=True)
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:
        raise ApiError(409, "username already exists") from None
    audit(db, admin, "create", "user", user.id)
    await db.commit()
    return user


async def _get(db: Db, user_id: int) -> User:
    return await get_or_404(db, User, user_id, "user")


@router.get("/{user_id}", response_model=UserOut)
async def get_user(user_id: UserId, admin: Admin, db: Db) -> User:
    return await _get(db, user_id)


@router.patch("/{user_id}", response_model=UserOut)
async def update_user(user_id: UserId, body: UserUpdate, admin: Admin, db: Db) -> User:
    user = await _get(db, user_id)
    if user.id == admin.user_id and (body.role not in (None, "admin") or body.active is False):
        raise ApiError(409, "an admin cannot demote or deactivate their own account")
    if body.role is not None:
        user.role = body.role
    if body.active is not None:
        user.active = body.active
    if body.password is not None:
        user.password_hash = hash_password(body.password)
    audit(db, admin, "update", "user", user.id,
          detail={"fields": sorted(body.model_dump(exclude_none=True, exclude={"password"}))
                  + (["password"] if body.password else [])})
    await db.commit()
    return user


@router.delete("/{user_id}", status_code=204, summary="Deactivate a user (kept for the audit trail)")
async def delete_user(user_id: UserId, admin: Admin, db: Db) -> Response:
    user = await _get(db, user_id)
    if user.id == admin.user_id:
        raise ApiError(409, "an admin cannot deactivate their own account")
    user.active = False
    audit(db, admin, "delete", "user", user.id)
    await db.commit()
    return Response(status_code=204)
