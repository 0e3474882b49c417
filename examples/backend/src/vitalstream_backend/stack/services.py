"""Start and stop a private PostgreSQL cluster and Redis server under a data directory, from
Debian's packages, without system services. Used by `vitalstream-stack` and by the tests.

PostgreSQL refuses to run as root, so as root its commands run as the `postgres` account
(`runuser -u postgres`) and its directory belongs to that account; as a normal user they run
as that user."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _is_root() -> bool:
    return os.geteuid() == 0


def pg_bindir() -> Path:
    """Directory of initdb/pg_ctl: the newest /usr/lib/postgresql/N/bin, else PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise RuntimeError("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")


def _as_pg_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if _is_root() else cmd


def _chown_to_postgres(path: Path) -> None:
    if _is_root():
        shutil.chown(path, "postgres", "postgres")


@dataclass(frozen=True)
class Postgres:
    data_dir: Path
    port: int
    user: str
    password: str
    database: str

    @property
    def url(self) -> str:
        return (f"postgresql+psycopg://{self.user}:{self.password}@127.0.0.1:{self.port}/"
                f"{self.database}")

    @property
    def libpq_url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"


def start_postgres(data_dir: Path, port: int, password: str, log_file: Path,
                   user: str = "vitalstream", database: str = "vitalstream",
                   durable: bool = True) -> Postgres:
    """initdb (first time), start on 127.0.0.1:port with its socket inside data_dir, and create
    the database. Password authentication (scram) even on loopback. durable=False (throwaway
    test clusters) skips fsync."""
    bindir = pg_bindir()
    data_dir = data_dir.resolve()
    log_file = log_file.resolve()
    if not (data_dir / "PG_VERSION").exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _chown_to_postgres(data_dir)
        os.chmod(data_dir, 0o700)
        pwfile = data_dir.parent / ".pg-initpw"
        pwfile.write_text(password + "\n")
        _chown_to_postgres(pwfile)
        try:
            subprocess.run(_as_pg_owner([str(bindir / "initdb"), "-D", str(data_dir), "-U", user,
                                         "--auth=scram-sha-256", f"--pwfile={pwfile}",
                                         "-E", "UTF8", "--locale=C.UTF-8",
                                         *([] if durable else ["--no-sync"])]),
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        finally:
            pwfile.unlink(missing_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.touch()
    _chown_to_postgres(log_file)
    opts = f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1"
    if not durable:
        opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(_as_pg_owner([str(bindir / "pg_ctl"), "-D", str(data_dir), "-o", opts,
                                 "-l", str(log_file), "-w", "-t", "60", "start"]),
                   check=True, stdout=subprocess.DEVNULL)
    pg = Postgres(data_dir, port, user, password, database)
    with psycopg.connect(f"postgresql://{user}:{password}@127.0.0.1:{port}/postgres",
                         autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return pg


def stop_postgres(data_dir: Path) -> None:
    if not (data_dir / "postmaster.pid").exists():
        return
    subprocess.run(_as_pg_owner([str(pg_bindir() / "pg_ctl"), "-D", str(data_dir.resolve()),
                                 "-m", "fast", "-w", "-t", "60", "stop"]),
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass(frozen=True)
class Redis:
    data_dir: Path
    port: int
    password: str

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"


def start_redis(data_dir: Path, port: int, password: str, log_file: Path) -> Redis:
    """A durable (AOF) Redis on 127.0.0.1:port, daemonized, pid file in data_dir."""
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    conf = data_dir / "redis.conf"
    # Password in a 0600 config file rather than on the command line (visible in ps).
    conf.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {data_dir}\nappendonly yes\nappendfsync everysec\n"
        f'save ""\ndaemonize yes\npidfile {data_dir / "redis.pid"}\nlogfile {log_file.resolve()}\n'
        f"requirepass {password}\n")
    os.chmod(conf, 0o600)
    subprocess.run([exe, str(conf)], check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(f"AUTH {password}\r\nPING\r\n".encode())
                if b"PONG" in s.recv(64):
                    return Redis(data_dir, port, password)
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"redis-server on port {port} did not answer")


def stop_redis(data_dir: Path, timeout_s: float = 20) -> None:
    pidfile = data_dir / "redis.pid"
    if not pidfile.exists():
        return
    pid = int(pidfile.read_text().strip() or 0)
    terminate_pid(pid, timeout_s)
    pidfile.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def terminate_pid(pid: int, timeout_s: float = 10) -> None:
    """SIGTERM, wait, then SIGKILL: the process is gone when this returns."""
    import signal
    if not pid_alive(pid):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    while pid_alive(pid):
        time.sleep(0.05)
