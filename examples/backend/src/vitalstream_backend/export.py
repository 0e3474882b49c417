"""``vitalstream-export``: one patient's session as a WFDB annotation file, byte for byte what
``vitalstream detect --classify`` writes for the same signal."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from typing import Any, Optional, Sequence

import vitalstream

from . import keys
from .annotations import to_annotations
from .redis_client import connect

EXIT_OK, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_TIMEOUT, EXIT_FAILED = 0, 2, 3, 4, 5
PAGE = 5000


class ExportError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


async def session_status(r: Any, patient: str) -> tuple[int, str]:
    session, status = await r.hmget(keys.state(patient), ["session", "status"])
    if session is None:
        return 0, ""
    return int(session), (status or b"").decode()


async def wait_end(r: Any, patient: str, session: int, seconds: float) -> tuple[int, str]:
    """Poll until the session (the latest one if 0) has ended or failed, or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        cur, status = await session_status(r, patient)
        target = session or cur
        if cur > target or (cur == target and cur and status in ("ended", "failed")):
            return target, status if cur == target else "ended"
        if time.monotonic() >= deadline:
            raise ExportError(EXIT_TIMEOUT, "%s: session %s has not ended after %g s (status %r)"
                              % (patient, target or "(none yet)", seconds, status or "none"))
        await asyncio.sleep(0.1)


async def read_events(r: Any, patient: str, session: int) -> list[dict[str, str]]:
    """All events of one session, in stream order."""
    out: list[dict[str, str]] = []
    start = "-"
    want = str(session).encode()
    while True:
        page = await r.xrange(keys.events(patient), min=start, max="+", count=PAGE)
        for eid, f in page:
            if f.get(b"session") == want:
                out.append({k.decode(): v.decode() for k, v in f.items()})
        if len(page) < PAGE:
            return out
        last = page[-1][0].decode()
        ms, sq = last.split("-")
        start = "%s-%d" % (ms, int(sq) + 1)


async def export(url: str, cluster: bool, patient: str, out: str, session: int,
                 wait: Optional[float]) -> str:
    r = connect(url, cluster)
    try:
        if wait is not None:
            session, status = await wait_end(r, patient, session, wait)
        else:
            cur, status = await session_status(r, patient)
            if session == 0:
                session = cur
            elif session != cur:
                status = "ended"
        if session == 0:
            raise ExportError(EXIT_NOT_FOUND, "%s: no session of this patient in Redis" % patient)
        events = await read_events(r, patient, session)
    finally:
        await r.aclose()
    if not any(e["type"] == "session_start" for e in events):
        raise ExportError(EXIT_NOT_FOUND, "%s: the events of session %d are no longer complete "
                          "(trimmed?)" % (patient, session))
    vitalstream.write_annotations(out, to_annotations(events))
    return status


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(prog="vitalstream-export", description=__doc__)
    ap.add_argument("--redis", default=os.environ.get("VS_REDIS_URL", "redis://localhost:6379/0"))
    ap.add_argument("--cluster", action="store_true", help="connect to a Redis Cluster")
    ap.add_argument("--patient", required=True)
    ap.add_argument("-o", "--output", required=True, help="annotation file to write")
    ap.add_argument("--session", type=int, default=0, help="session (default: the latest)")
    ap.add_argument("--wait-end", type=float, default=None, metavar="SECONDS",
                    help="wait up to SECONDS until the session's end has been processed")
    a = ap.parse_args(argv)
    if not keys.valid_patient(a.patient):
        ap.error("invalid patient id %r" % a.patient)
    try:
        status = asyncio.run(export(a.redis, a.cluster, a.patient, a.output, a.session,
                                    a.wait_end))
    except ExportError as e:
        print("vitalstream-export: %s" % e, file=sys.stderr)
        sys.exit(e.code)
    if status == "failed":
        print("vitalstream-export: %s: the session failed (see the technical alarms); the file "
              "holds the events up to the failure" % a.patient, file=sys.stderr)
        sys.exit(EXIT_FAILED)
    if status != "ended":
        print("vitalstream-export: %s: session still running; the file holds the events so far"
              % a.patient, file=sys.stderr)


if __name__ == "__main__":
    main()
