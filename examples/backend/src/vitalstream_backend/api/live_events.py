"""Redis pub/sub channel on which alarm changes (new, acknowledged, resolved, ended) are
announced to every API process, for SSE and WebSocket clients."""
from __future__ import annotations

import json

from redis.asyncio import Redis

from ..db.models import Alarm
from .alarm_view import alarm_json

ALARM_CHANNEL = "vs:api:alarms"


async def publish_alarm(redis: Redis, alarm: Alarm, change: str) -> None:
    await redis.publish(ALARM_CHANNEL, json.dumps({"change": change, "alarm": alarm_json(alarm)}))
