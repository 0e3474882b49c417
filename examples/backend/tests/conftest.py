"""Shared fixtures of the backend tests: real redis-server processes (one server, or a local
3-master cluster) on free ports, the MIT-BIH database and the `vitalstream` CLI.

Stream-tier fixtures (H4) live here; the web API's PostgreSQL fixtures are added beside them."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from redis_procs import RedisCluster, RedisServer
from api_fixtures import api, services, tokens  # noqa: F401  (web API fixtures, H5)

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def mitdb() -> Path:
    """MIT-BIH: $VITALSTREAM_MITDB, else ../shared/data/mitdb beside the repository."""
    p = Path(os.environ.get("VITALSTREAM_MITDB", REPO.parent / "shared" / "data" / "mitdb"))
    if not (p / "100.hea").is_file():
        pytest.skip("MIT-BIH database not found at %s (set VITALSTREAM_MITDB)" % p)
    return p


@pytest.fixture(scope="session")
def vitalstream_cli() -> Path:
    """The `vitalstream` command-line program: $VITALSTREAM_CLI, else the build in
    $VS_NATIVE_BUILD, build-release or build beside the sources, else PATH."""
    if os.environ.get("VITALSTREAM_CLI"):
        return Path(os.environ["VITALSTREAM_CLI"])
    roots = [Path(os.environ["VS_NATIVE_BUILD"])] if os.environ.get("VS_NATIVE_BUILD") else []
    roots += [REPO / "build-release", REPO / "build"]
    for root in roots:
        for cand in (root / "vitalstream", root / "examples" / "cli" / "vitalstream"):
            if cand.is_file() and os.access(cand, os.X_OK):
                return cand
    found = shutil.which("vitalstream")
    if not found:
        pytest.skip("the vitalstream CLI is not built (set VS_NATIVE_BUILD or VITALSTREAM_CLI)")
    return Path(found)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A plain redis-server (no persistence) for one test."""
    s = RedisServer(tmp_path / "redis")
    s.start()
    yield s
    s.stop()


@pytest.fixture
def redis_server_aof(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server with AOF and appendfsync always: survives kill -9 without losing writes."""
    s = RedisServer(tmp_path / "redis-aof", aof=True)
    s.start()
    yield s
    s.kill()


@pytest.fixture
def redis_cluster(tmp_path: Path) -> Iterator[RedisCluster]:
    """A local Redis Cluster of three masters."""
    c = RedisCluster(tmp_path / "cluster")
    c.start()
    yield c
    c.stop()
