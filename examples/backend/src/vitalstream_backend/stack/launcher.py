"""``vitalstream-stack up|down``: the whole system on one machine, for demos and tests.

`up` starts, under --data-dir: PostgreSQL (initdb on first use) and Redis (AOF), runs the
migrations, creates the admin account, then the stream workers, the persistence consumer, the
API and the device simulator; it returns once every part answers and prints the URL. `down`
stops them all (the processes recorded in DIR/run/pids.json, then Redis and PostgreSQL) and
checks that none is left. Secrets (database, Redis, JWT) are generated once into DIR/secrets.json
(mode 0600); ports into DIR/stack.json."""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ..db.migrate import upgrade
from .bootstrap import ensure_admin
from .services import (free_port, pid_alive, start_postgres, start_redis, stop_postgres, stop_redis,
                       terminate_pid)

WORKERS = 2
READY_TIMEOUT_S = 120.0


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def _write_private(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")
    os.chmod(path, 0o600)


def _check_pg_access(data_dir: Path) -> None:
    """As root PostgreSQL runs as `postgres`, which must be able to reach the data directory."""
    if os.geteuid() != 0:
        return
    probe = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(data_dir)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        raise SystemExit(f"vitalstream-stack: the postgres account cannot enter {data_dir} (a parent "
                         "directory is private); choose another --data-dir, e.g. under /srv or /tmp")


def _tool(name: str) -> list[str]:
    """A console script of this package, from the same environment as this interpreter."""
    exe = Path(sys.executable).parent / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"vitalstream-stack: {name} not found (pip install ./examples/backend)")
    return [found]


def _spawn(name: str, cmd: list[str], env: dict[str, str], logs: Path) -> int:
    log = open(logs / f"{name}.log", "ab")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    log.close()
    return proc.pid


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except (urllib.error.URLError, OSError):
        return 0


def _wait(what: str, check: Any, pids: dict[str, int], logs: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if check():
            return
        dead = [n for n, p in pids.items() if not pid_alive(p)]
        if dead:
            raise SystemExit(f"vitalstream-stack: {', '.join(dead)} exited; see {logs}/{dead[0]}.log")
        time.sleep(0.25)
    raise SystemExit(f"vitalstream-stack: {what} did not become ready in {READY_TIMEOUT_S:.0f} s (logs: {logs})")


def up(args: argparse.Namespace) -> None:
    data = args.data_dir.resolve()
    run, logs = data / "run", data / "logs"
    for d in (data, run, logs):
        d.mkdir(parents=True, exist_ok=True)
    os.chmod(data, 0o755)
    if _json(run / "pids.json"):
        raise SystemExit(f"vitalstream-stack: already running from {data} (run `vitalstream-stack down --data-dir {data}`)")
    _check_pg_access(data)
    secrets_file = data / "secrets.json"
    sec = _json(secrets_file) or {"pg_password": secrets.token_urlsafe(24),
                                  "redis_password": secrets.token_urlsafe(24),
                                  "jwt_secret": secrets.token_urlsafe(48)}
    _write_private(secrets_file, sec)
    conf = _json(data / "stack.json")
    conf.setdefault("pg_port", free_port())
    conf.setdefault("redis_port", free_port())
    conf["api_port"] = args.port
    (data / "stack.json").write_text(json.dumps(conf, indent=2) + "\n")

    pg = start_postgres(data / "postgres", conf["pg_port"], sec["pg_password"], logs / "postgres.log")
    redis = start_redis(data / "redis", conf["redis_port"], sec["redis_password"], logs / "redis.log")
    upgrade(pg.url)
    admin_password = os.environ.get("VITALSTREAM_ADMIN_PASSWORD") or None
    generated = ensure_admin(pg.url, admin_password)
    if admin_password is None and generated is None:
        stored = sec.get("admin_password")
        if not stored:
            raise SystemExit("vitalstream-stack: user admin exists; set VITALSTREAM_ADMIN_PASSWORD to reset it")
        admin_password = str(stored)
    elif admin_password is None:
        admin_password = generated
        sec["admin_password"] = generated  # kept (0600) so the simulator can log in on later runs
        _write_private(secrets_file, sec)
    assert admin_password is not None

    env = dict(os.environ)
    env.update({"VITALSTREAM_DATABASE_URL": pg.url, "VITALSTREAM_REDIS_URL": redis.url, "VS_REDIS_URL": redis.url,
                "VITALSTREAM_JWT_SECRET": sec["jwt_secret"], "VITALSTREAM_ARCHIVE_DIR": str(data / "archive"),
                "VITALSTREAM_ADMIN_PASSWORD": admin_password, "PYTHONUNBUFFERED": "1"})
    if args.static_dir:
        env["VITALSTREAM_STATIC_DIR"] = str(args.static_dir.resolve())
    pids: dict[str, int] = {}
    try:
        for i in range(WORKERS):
            pids[f"worker-{i}"] = _spawn(f"worker-{i}", [*_tool("vitalstream-worker"), "--redis", redis.url,
                                                          "--consumer", f"stack-worker-{i}"], env, logs)
        pids["persistence"] = _spawn("persistence", [*_tool("vitalstream-persistence")], env, logs)
        pids["api"] = _spawn("api", [*_tool("vitalstream-api"), "--host", args.host, "--port", str(args.port)],
                             env, logs)
        _write_private(run / "pids.json", pids)
        base = f"http://{args.host}:{args.port}"
        _wait("the API", lambda: _get(base + "/readyz") == 200, pids, logs)
        ready_file = run / "device-sim.ready"
        ready_file.unlink(missing_ok=True)
        if args.patients > 0:
            pids["device-sim"] = _spawn("device-sim", [*_tool("vitalstream-device-sim"), "--api", base,
                                                       "--patients", str(args.patients),
                                                       "--ready-file", str(ready_file)], env, logs)
            _write_private(run / "pids.json", pids)
            _wait("the device simulator", ready_file.exists, pids, logs)
    except BaseException:
        _stop_all(data)
        raise
    print(f"VitalStream is up: http://{args.host}:{args.port}")
    print(f"  login: admin / {'(VITALSTREAM_ADMIN_PASSWORD)' if os.environ.get('VITALSTREAM_ADMIN_PASSWORD') else admin_password}")
    print(f"  patients: {args.patients}; data and logs: {data}")
    print(f"  stop with: vitalstream-stack down --data-dir {data}")


def _stop_all(data: Path) -> list[str]:
    run = data / "run"
    pids = _json(run / "pids.json")
    survivors = []
    for name in sorted(pids, key=lambda n: ("device-sim", "api", "persistence").index(n)
                       if n in ("device-sim", "api", "persistence") else 9):
        pid = int(pids[name])
        try:
            os.killpg(pid, signal.SIGTERM)  # the process and anything it started
        except (ProcessLookupError, PermissionError):
            pass
        terminate_pid(pid, 15)
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if pid_alive(pid):
            survivors.append(name)
    (run / "pids.json").unlink(missing_ok=True)
    stop_redis(data / "redis")
    stop_postgres(data / "postgres")
    if (data / "postgres" / "postmaster.pid").exists():
        survivors.append("postgres")
    if (data / "redis" / "redis.pid").exists():
        survivors.append("redis")
    return survivors


def down(args: argparse.Namespace) -> None:
    data = args.data_dir.resolve()
    if not data.exists():
        raise SystemExit(f"vitalstream-stack: no stack data in {data}")
    left = _stop_all(data)
    if left:
        raise SystemExit(f"vitalstream-stack: still running: {', '.join(left)}")
    print(f"VitalStream stopped ({data})")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="vitalstream-stack", description="run the VitalStream stack locally")
    sub = ap.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="start everything and return when it answers")
    p_up.add_argument("--patients", type=int, default=8, help="demo patients (0 = none)")
    p_up.add_argument("--data-dir", type=Path, default=Path("vitalstream-data"))
    p_up.add_argument("--port", type=int, default=8000)
    p_up.add_argument("--host", default="127.0.0.1")
    p_up.add_argument("--static-dir", type=Path, default=None, help="frontend build to serve at /")
    p_down = sub.add_parser("down", help="stop everything started by up")
    p_down.add_argument("--data-dir", type=Path, default=Path("vitalstream-data"))
    args = ap.parse_args(argv)
    if shutil.which("redis-server") is None:
        raise SystemExit("vitalstream-stack: redis-server not found (Debian: apt-get install redis-server)")
    (up if args.command == "up" else down)(args)
