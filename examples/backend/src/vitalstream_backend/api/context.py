"""Per-process resources shared by the routes: settings, database, Redis, live hub."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from ..config import Settings
from .errors import not_found

if TYPE_CHECKING:
    from .live_hub import LiveHub


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    hub: "LiveHub"
    shards: int


def get_ctx(conn: HTTPConnection) -> AppContext:
    ctx: AppContext = conn.app.state.ctx
    return ctx


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_ctx(request).sessions() as session:
        yield session


Ctx = Annotated[AppContext, Depends(get_ctx)]
Db = Annotated[AsyncSession, Depends(get_db)]


RowT = TypeVar("RowT")


async def get_or_404(db: AsyncSession, model: type[RowT], ident: Any, what: str) -> RowT:
    """The row of ``model`` with primary key ``ident``, else 404 "<what> not found"."""
    row = await db.get(model, ident)
    if row is None:
        raise not_found(what)
    return row
