"""Fixtures of the web API tests: one PostgreSQL cluster and one Redis server for the test
session (real processes from Debian's packages, on free ports), databases migrated from empty,
and API / persistence / worker processes started as the stack launcher starts them."""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from vitalstream_backend.db.migrate import upgrade
from vitalstream_backend.stack.bootstrap import ensure_admin
from vitalstream_backend.stack.services import (Postgres, Redis, free_port, pid_alive, start_postgres,
                                                start_redis, stop_postgres, stop_redis, terminate_pid)

PASSWORD = "correct horse battery"
ROLES = ("admin", "clinician", "viewer")


def tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not installed (pip install ./examples/backend)")
    return found


@dataclass
class Services:
    pg: Postgres
    redis: Redis
    root: Path
    databases: int = 0

    def new_database(self) -> str:
        """A fresh database in the cluster, migrated from empty; its SQLAlchemy URL."""
        self.databases += 1
        name = f"vs_test_{self.databases}"
        with psycopg.connect(self.pg.libpq_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = self.pg.url.rsplit("/", 1)[0] + "/" + name
        upgrade(url)
        return url

    def redis_url(self, db: int) -> str:
        return self.redis.url.rsplit("/", 1)[0] + f"/{db}"


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server not installed (Debian: apt-get install redis-server postgresql)")
    # Not under pytest's private (0700) temp root: as root, PostgreSQL runs as `postgres`,
    # which must be able to enter the directory.
    root = Path(tempfile.mkdtemp(prefix="vs-api-tests-"))
    os.chmod(root, 0o755)
    try:
        pg = start_postgres(root / "pg", free_port(), secrets.token_urlsafe(12), root / "pg.log", durable=False)
        redis = start_redis(root / "redis", free_port(), secrets.token_urlsafe(12), root / "redis.log")
        yield Services(pg, redis, root)
    finally:
        stop_redis(root / "redis")
        stop_postgres(root / "pg")
        if not os.environ.get("VS_KEEP_TEST_DIRS"):
            shutil.rmtree(root, ignore_errors=True)


@dataclass
class ApiProcess:
    """A running `vitalstream-api` (and optionally its workers and persistence consumer)."""
    base: str
    env: dict[str, str]
    database_url: str
    redis_url: str
    archive: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: Path = Path(".")

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30, **kw)

    def login(self, username: str, password: str = PASSWORD) -> dict[str, Any]:
        with self.client() as c:
            r = c.post("/api/auth/login", data={"username": username, "password": password})
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    def token(self, role: str) -> str:
        return str(self.login(f"test-{role}")["access_token"])

    def start(self, name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "ab")
        proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.procs[name] = proc
        return proc

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.kill()
        proc.wait()

    def stop(self) -> None:
        for name in list(self.procs):
            proc = self.procs.pop(name)
            terminate_pid(proc.pid, 10)
            proc.wait()
            assert not pid_alive(proc.pid)

    def log_tail(self, name: str, n: int = 40) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:]) if path.exists() else ""


def launch_api(services: Services, name: str, redis_db: int, database_url: str | None = None,
               limits: tuple[int, int] = (100_000, 100_000), extra_env: dict[str, str] | None = None) -> ApiProcess:
    """Start `vitalstream-api` on a fresh database (or `database_url`) with the three test users."""
    database_url = database_url or services.new_database()
    for role in ROLES:
        ensure_admin(database_url, PASSWORD, username=f"test-{role}")
        if role != "admin":
            with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as conn:
                conn.execute("UPDATE users SET role = %s WHERE username = %s", (role, f"test-{role}"))
    logs = services.root / name
    logs.mkdir(exist_ok=True)
    port = free_port()
    env = dict(os.environ)
    env.update({
        "VITALSTREAM_DATABASE_URL": database_url, "VITALSTREAM_REDIS_URL": services.redis_url(redis_db),
        "VS_REDIS_URL": services.redis_url(redis_db),
        "VITALSTREAM_JWT_SECRET": "test-secret-" + "x" * 40, "VITALSTREAM_ARCHIVE_DIR": str(logs / "archive"),
        "VITALSTREAM_RATE_LOGIN_PER_MIN": str(limits[0]), "VITALSTREAM_RATE_API_PER_MIN": str(limits[1]),
        "PYTHONUNBUFFERED": "1"})
    env.update(extra_env or {})
    api = ApiProcess(f"http://127.0.0.1:{port}", env, database_url, services.redis_url(redis_db),
                     logs / "archive", logs=logs)
    api.start("api", [tool("vitalstream-api"), "--port", str(port), "--log-level", "warning"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(api.base + "/readyz", timeout=2).status_code == 200:
                return api
        except httpx.TransportError:
            pass
        if api.procs["api"].poll() is not None:
            break
        time.sleep(0.2)
    api.stop()
    pytest.fail("vitalstream-api did not start:\n" + api.log_tail("api"))


FRONTEND_INDEX = "<!doctype html><title>VitalStream test frontend</title>"


@pytest.fixture(scope="session")
def api(services: Services) -> Iterator[ApiProcess]:
    """The API under test, with generous rate limits (the 429 tests start their own), serving
    a stand-in frontend build."""
    static = services.root / "frontend"
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text(FRONTEND_INDEX)
    (static / "main-ABC.js").write_text("console.log('app')")
    (static / "assets" / "logo.svg").write_text("<svg/>")
    proc = launch_api(services, "api-main", redis_db=0, extra_env={"VITALSTREAM_STATIC_DIR": str(static)})
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def tokens(api: ApiProcess) -> dict[str, str]:
    return {role: api.token(role) for role in ROLES}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
