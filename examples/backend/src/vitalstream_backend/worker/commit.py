"""The atomic commit (commit.lua) called for many patients in one pipeline."""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Optional, Union

from redis.exceptions import NoScriptError

from .. import keys
from ..events import EventFields
from .config import WorkerConfig
from .plan import Commit


@dataclass
class Alarm:
    """An alarm for the global stream: ``fields`` to XADD, and the patient's outbox item to
    remove once relayed (None for alarms the worker raises outside a commit)."""

    patient: str
    fields: dict[str, str]
    outbox_item: Optional[bytes] = None

    @classmethod
    def direct(cls, patient: str, f: EventFields, alarm_id: str) -> "Alarm":
        d = dict(f)
        d.update({"patient": patient, "alarm_id": alarm_id})
        return cls(patient, d)

    @classmethod
    def from_outbox(cls, patient: str, raw: bytes) -> "Alarm":
        flat = [str(x) for x in json.loads(raw)]
        return cls(patient, dict(zip(flat[0::2], flat[1::2])), raw)


def script_args(c: Commit, cfg: WorkerConfig) -> list[Union[str, bytes]]:
    args: list[Union[str, bytes]] = [c.expect[0], c.expect[1], c.patient, str(c.session),
                                     str(cfg.events_maxlen), keys.live_channel(c.patient), c.live,
                                     str(len(c.hset))]
    for k, v in c.hset:
        args += [k, v]
    args.append(str(len(c.hdel)))
    args += c.hdel
    args.append(str(len(c.events)))
    args += ["\0".join([x for kv in f for x in kv]) for f in c.events]  # no NUL in values
    return args


class CommitScript:
    def __init__(self) -> None:
        self.source = resources.files(__package__).joinpath("commit.lua").read_text("utf-8")
        self.sha = ""

    async def load(self, r: Any) -> None:
        self.sha = str(await r.script_load(self.source))

    async def run_many(self, r: Any, commits: list[Commit],
                       cfg: WorkerConfig) -> list[Optional[list[Alarm]]]:
        """One result per commit: None if the compare-and-set refused it, else the alarms of the
        patient's outbox to relay."""
        if not self.sha:
            await self.load(r)
        for attempt in range(2):
            pipe = r.pipeline(transaction=False)
            for c in commits:
                pipe.evalsha(self.sha, 3, keys.state(c.patient), keys.events(c.patient),
                             keys.outbox(c.patient), *script_args(c, cfg))
            results = await pipe.execute(raise_on_error=False)
            if attempt == 0 and any(isinstance(x, NoScriptError) for x in results):
                await self.load(r)  # Redis restarted and lost its script cache
                continue
            break
        out: list[Optional[list[Alarm]]] = []
        for c, res in zip(commits, results):
            if isinstance(res, Exception):
                raise res
            if int(res[0]) != 1:
                out.append(None)
            else:
                out.append([Alarm.from_outbox(c.patient, x) for x in res[2]])
        return out
