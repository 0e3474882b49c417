"""Settings of the web API and persistence consumer, read from VITALSTREAM_* environment
variables so that every process of the stack (several API workers, the consumer) agrees."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _default_static_dir() -> Path | None:
    """The Angular build of examples/frontend, if one exists beside this source tree or the
    current directory."""
    rel = Path("examples/frontend/dist/vitalstream/browser")
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        candidate = base / rel
        if (candidate / "index.html").is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Settings:
    database_url: str = "postgresql+psycopg://vitalstream@127.0.0.1:5432/vitalstream"
    redis_url: str = "redis://127.0.0.1:6379/0"
    jwt_secret: str = ""
    access_ttl_s: int = 15 * 60
    refresh_ttl_s: int = 7 * 24 * 3600
    ticket_ttl_s: int = 30
    login_per_min: int = 5
    api_per_min: int = 60
    device_per_min: int = 600
    cors_origins: tuple[str, ...] = ()
    cookie_secure: bool = False
    archive_dir: Path = Path("vitalstream-data/archive")
    static_dir: Path | None = None
    max_chunk_seconds: int = 10
    allowed_fs: tuple[int, ...] = field(default=(125, 128, 250, 256, 360, 500, 1000))


def load_settings() -> Settings:
    """Settings from the environment (a missing JWT secret is an error: tokens signed with a
    default key would be forgeable)."""
    secret = os.environ.get("VITALSTREAM_JWT_SECRET", "")
    if len(secret) < 32:
        raise RuntimeError("VITALSTREAM_JWT_SECRET must be set to at least 32 characters")
    static = os.environ.get("VITALSTREAM_STATIC_DIR")
    origins = os.environ.get("VITALSTREAM_CORS_ORIGINS", "")
    return Settings(
        database_url=os.environ.get("VITALSTREAM_DATABASE_URL", Settings.database_url),
        redis_url=os.environ.get("VITALSTREAM_REDIS_URL", Settings.redis_url),
        jwt_secret=secret,
        access_ttl_s=_env_int("VITALSTREAM_ACCESS_TTL_S", Settings.access_ttl_s),
        refresh_ttl_s=_env_int("VITALSTREAM_REFRESH_TTL_S", Settings.refresh_ttl_s),
        login_per_min=_env_int("VITALSTREAM_RATE_LOGIN_PER_MIN", Settings.login_per_min),
        api_per_min=_env_int("VITALSTREAM_RATE_API_PER_MIN", Settings.api_per_min),
        device_per_min=_env_int("VITALSTREAM_RATE_DEVICE_PER_MIN", Settings.device_per_min),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        cookie_secure=os.environ.get("VITALSTREAM_COOKIE_SECURE", "") == "1",
        archive_dir=Path(os.environ.get("VITALSTREAM_ARCHIVE_DIR", str(Settings.archive_dir))),
        static_dir=Path(static) if static else _default_static_dir(),
    )
