"""Throwaway redis-server processes for the tests: one server (optionally with AOF
``appendfsync always``, killable and restartable on the same port and data) or a local
3-master Redis Cluster made with ``redis-cli --cluster create``."""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Optional

import redis


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_cluster_port() -> int:
    """A free port whose cluster bus port (port + 10000) is free and valid too."""
    rng = random.Random()
    for _ in range(1000):
        port = rng.randint(20000, 50000)
        if _bindable(port) and _bindable(port + 10000):
            return port
    raise RuntimeError("no free port pair for a cluster node")


def redis_binaries() -> tuple[str, str]:
    server, cli = shutil.which("redis-server"), shutil.which("redis-cli")
    if not server or not cli:
        raise RuntimeError("redis-server/redis-cli not found (Debian: apt-get install redis-server)")
    return server, cli


class RedisServer:
    """One redis-server on 127.0.0.1:port with its data in ``dir``."""

    def __init__(self, dir: Path, port: Optional[int] = None, aof: bool = False,
                 cluster: bool = False) -> None:
        self.dir = dir
        self.port = port or (free_cluster_port() if cluster else free_port())
        self.aof = aof
        self.cluster = cluster
        self.proc: Optional[subprocess.Popen[bytes]] = None
        dir.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return "redis://127.0.0.1:%d/0" % self.port

    def start(self) -> None:
        server, _ = redis_binaries()
        args = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
                "--save", "", "--daemonize", "no", "--protected-mode", "no",
                "--logfile", str(self.dir / "redis.log")]
        if self.aof:
            args += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            args += ["--appendonly", "no"]
        if self.cluster:
            args += ["--cluster-enabled", "yes", "--cluster-config-file",
                     str(self.dir / "nodes.conf"), "--cluster-node-timeout", "5000"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait_ready()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                c = redis.Redis(port=self.port, socket_timeout=1)
                # LOADING (AOF replay) answers PING with an error: wait until it is done
                if c.ping() and int(c.info("persistence").get("loading", 0)) == 0:
                    c.close()
                    return
            except redis.RedisError:
                pass
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError("redis-server exited: see %s" % (self.dir / "redis.log"))
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server on port %d not ready" % self.port)
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown save, only what AOF already holds survives."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class RedisCluster:
    """Three cluster-enabled masters joined with ``redis-cli --cluster create``."""

    def __init__(self, dir: Path, masters: int = 3) -> None:
        self.nodes = [RedisServer(dir / ("node%d" % i), cluster=True) for i in range(masters)]

    @property
    def url(self) -> str:
        return self.nodes[0].url

    def start(self) -> None:
        _, cli = redis_binaries()
        for n in self.nodes:
            n.start()
        subprocess.run([cli, "--cluster", "create",
                        *["127.0.0.1:%d" % n.port for n in self.nodes],
                        "--cluster-replicas", "0", "--cluster-yes"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                       timeout=60)
        deadline = time.monotonic() + 30
        while True:
            infos = [redis.Redis(port=n.port).cluster("info") for n in self.nodes]
            if all(i.get("cluster_state") == "ok" for i in infos):
                return
            if time.monotonic() > deadline:
                raise RuntimeError("cluster did not reach state ok: %r" % infos)
            time.sleep(0.1)

    def stop(self) -> None:
        for n in self.nodes:
            n.stop()
