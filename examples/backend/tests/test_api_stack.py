"""`vitalstream-stack up` starts PostgreSQL, Redis, workers, persistence, API and demo devices,
and returns once they answer; `down` leaves no process behind."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api_fixtures import tool
from vitalstream_backend.stack.services import free_port, pid_alive


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmd and pid_alive(int(proc.name)):
            found.append(f"{proc.name}: {cmd[:120]}")
    return found


@pytest.fixture
def data_dir() -> Iterator[Path]:
    d = Path(tempfile.mkdtemp(prefix="vs-stack-test-"))
    os.chmod(d, 0o755)
    yield d / "data"
    shutil.rmtree(d, ignore_errors=True)


def test_stack_up_and_down(data_dir: Path) -> None:
    port = free_port()
    env = dict(os.environ, VITALSTREAM_ADMIN_PASSWORD="stack-test-password")
    stack = tool("vitalstream-stack")
    up = subprocess.run([stack, "up", "--patients", "2", "--data-dir", str(data_dir), "--port", str(port)],
                        env=env, capture_output=True, text=True, timeout=240)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        assert f"http://127.0.0.1:{port}" in up.stdout
        pids = json.loads((data_dir / "run" / "pids.json").read_text())
        assert {"api", "persistence", "worker-0", "worker-1", "device-sim"} <= set(pids)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as c:
            assert c.get("/readyz").status_code == 200
            token = c.post("/api/auth/login", data={"username": "admin",
                                                    "password": "stack-test-password"}).json()["access_token"]
            h = {"Authorization": f"Bearer {token}"}
            patients = c.get("/api/patients", headers=h).json()["items"]
            assert len(patients) == 2 and all(p["active_session_id"] for p in patients)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # samples flow: device -> API -> streams -> archive
                s = c.get(f"/api/sessions/{patients[0]['active_session_id']}", headers=h).json()
                if s["samples"] >= 2 * s["fs"]:
                    break
                time.sleep(0.5)
            assert s["samples"] >= 2 * s["fs"]
    finally:
        down = subprocess.run([stack, "down", "--data-dir", str(data_dir)], capture_output=True, text=True,
                              timeout=120)
    assert down.returncode == 0, down.stdout + down.stderr
    assert not [n for n, p in pids.items() if pid_alive(int(p))]
    assert not _processes_mentioning(str(data_dir))
