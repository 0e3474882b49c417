"""Exactly-once under faults: MIT-BIH records replayed as patients (as fast as possible, with 5 %
duplicate deliveries and 5 % swapped neighbours) through 3 workers, one of which is killed with
SIGKILL every ~2 s and restarted; every exported annotation file must be byte-identical to
`vitalstream detect --classify` on the same signal. Variants: redis-server killed and restarted
once mid-run (AOF, appendfsync always), and a local 3-master Redis Cluster.

Size: VS_FAULT_RECORDS (default all 48), VS_FAULT_SECONDS (first seconds of each record; default
300 for CI; 0 or "full" = the whole 30-minute records, as the acceptance check runs them)."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Optional

import pytest

from redis_procs import RedisCluster, RedisServer
from stream_harness import (Workers, all_ended, compare, env_float, export_all, records_of,
                            reference, run_with_chaos, start_sim, sync_client)
from vitalstream_backend import keys

SECONDS = env_float("VS_FAULT_SECONDS", 300.0)
TIMEOUT = 900.0 if SECONDS is None else 300.0


@pytest.fixture(scope="module")
def references(mitdb: Path, vitalstream_cli: Path,
               tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("refs")
    names = records_of(mitdb, os.environ.get("VS_FAULT_RECORDS", "all"))
    return {r: reference(vitalstream_cli, mitdb, r, SECONDS, out) for r in names}


def run_faulty(url: str, cluster: bool, mitdb: Path, refs: dict[str, Path], tmp: Path,
               redis_restart: Optional[RedisServer] = None) -> dict[str, Any]:
    patients = sorted(refs)
    workers = Workers(url, 3, tmp / "logs", cluster=cluster)
    workers.start_all()
    client = sync_client(url, cluster)
    sim = start_sim(url, mitdb, patients, SECONDS, cluster, tmp / "sim.log")
    restarted: dict[str, Any] = {}

    def tick(elapsed: float) -> None:
        # Redis dies once mid-run (sim still sending), comes back 1 s later from its AOF
        if redis_restart is not None and not restarted and elapsed > 3.0:
            restarted["while_sim_running"] = sim.poll() is None
            redis_restart.kill()
            time.sleep(1.0)
            redis_restart.start()
            restarted["at"] = elapsed

    try:
        elapsed = run_with_chaos(workers, lambda: sim.poll() is not None
                                 and all_ended(client, patients), TIMEOUT, on_tick=tick)
        assert sim.returncode == 0, (tmp / "sim.log").read_text()[-2000:]
        dead = [(f.get(b"patient"), f.get(b"seq"), f[b"reason"])
                for _, f in client.xrange(keys.DEAD_LETTER)]
        got = export_all(url, cluster, patients, tmp / "exported")
    finally:
        workers.stop_all()
        if sim.poll() is None:
            sim.kill()
            sim.wait()
    differ = compare(refs, got)
    print("\n%d records, %s s each: %.1f s, %d worker kills, differing: %s"
          % (len(patients), SECONDS or "all", elapsed, workers.kills, differ or "none"))
    assert not dead, "%d entries were dead-lettered: %r" % (len(dead), dead[:10])
    assert differ == [], "exported annotations differ from the CLI for %s" % differ
    assert workers.kills >= 1, "the run ended before any worker was killed"
    return {"elapsed": elapsed, "kills": workers.kills, **restarted}


def test_kill9_workers_duplicates_reordering(redis_server: RedisServer, mitdb: Path,
                                             references: dict[str, Path], tmp_path: Path) -> None:
    run_faulty(redis_server.url, False, mitdb, references, tmp_path)


def test_redis_restart_aof(redis_server_aof: RedisServer, mitdb: Path,
                           references: dict[str, Path], tmp_path: Path) -> None:
    res = run_faulty(redis_server_aof.url, False, mitdb, references, tmp_path,
                     redis_restart=redis_server_aof)
    assert "at" in res, "redis-server was never restarted"
    assert res["while_sim_running"], "the restart came after the simulator had finished"


def test_redis_cluster_3_masters(redis_cluster: RedisCluster, mitdb: Path,
                                 references: dict[str, Path], tmp_path: Path) -> None:
    client = sync_client(redis_cluster.url, True)
    # the patients really are spread over the three masters
    slots = {client.keyslot(keys.state(p)) for p in references}
    owners = {client.get_node_from_key(keys.state(p)).name for p in references}
    assert len(slots) > 1 and len(owners) == 3
    run_faulty(redis_cluster.url, True, mitdb, references, tmp_path)
