"""Rate limits live in Redis and are shared by several API processes: 5 logins per minute per
IP and 60 requests per minute per user, answered with 429 and Retry-After."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from api_fixtures import PASSWORD, ApiProcess, Services, auth, launch_api


@pytest.fixture(scope="module")
def two_apis(services: Services) -> Iterator[tuple[ApiProcess, ApiProcess]]:
    """Two API processes with the default limits on one database and one Redis database."""
    first = launch_api(services, "api-limits-1", redis_db=1, limits=(5, 60))
    second = launch_api(services, "api-limits-2", redis_db=1, database_url=first.database_url, limits=(5, 60))
    yield first, second
    first.stop()
    second.stop()


def test_login_limit_is_shared_between_processes(two_apis: tuple[ApiProcess, ApiProcess]) -> None:
    statuses = []
    for i in range(7):
        api = two_apis[i % 2]
        with api.client() as c:
            r = c.post("/api/auth/login", data={"username": "test-viewer", "password": "wrong-password"})
            statuses.append(r.status_code)
            if r.status_code == 429:
                assert int(r.headers["retry-after"]) >= 1
                assert r.json()["error"]["code"] == "rate_limited"
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429], statuses
    with two_apis[0].client() as c:  # even the right password waits for the window
        assert c.post("/api/auth/login", data={"username": "test-viewer", "password": PASSWORD}).status_code == 429


def test_api_limit_per_user(two_apis: tuple[ApiProcess, ApiProcess]) -> None:
    first, second = two_apis
    r = redis.Redis.from_url(first.redis_url)
    try:
        for key in r.scan_iter("vs:rl:login:*"):
            r.delete(key)  # a fresh login window (the test above used it up)
    finally:
        r.close()
    token, viewer = first.token("clinician"), first.token("viewer")
    codes = []
    for i in range(62):
        with (first if i % 2 else second).client() as c:
            codes.append(c.get("/api/patients", headers=auth(token)).status_code)
    assert codes.count(200) == 60 and codes[-2:] == [429, 429], codes
    with first.client() as c:  # another user has its own budget
        assert c.get("/api/patients", headers=auth(viewer)).status_code == 200


def _clear(api: ApiProcess, pattern: str) -> None:
    r = redis.Redis.from_url(api.redis_url)
    try:
        for key in r.scan_iter(pattern):
            r.delete(key)
    finally:
        r.close()


def test_bulk_provisioning_counts_once(two_apis: tuple[ApiProcess, ApiProcess]) -> None:
    """64 beds (patient + device key each) in one request; the per-user limit still holds."""
    first, _ = two_apis
    _clear(first, "vs:rl:login:*")
    admin = first.token("admin")
    beds = [{"patient": {"mrn": f"BULK-{i}", "name": f"Bulk {i}", "ward": "ICU"},
             "device_name": f"bulk-dev-{i}"} for i in range(64)]
    with first.client() as c:
        bad = [
            c.post("/api/devices/provision", headers=auth(admin),
                   json={"beds": beds + [{"patient": {"mrn": f"X{i}", "name": "x"}, "device_name": f"x{i}"}
                                         for i in range(65)]}),  # 129 beds
            c.post("/api/devices/provision", headers=auth(admin), json={"beds": [beds[0], beds[0]]}),
            c.post("/api/devices/provision", headers=auth(admin),
                   json={"beds": [{"patient": {"mrn": "a'; DROP TABLE patients;--", "name": "x"},
                                   "device_name": "d"}]}),
            c.post("/api/devices/provision", headers=auth(admin), json={"beds": []}),
        ]
        assert [r.status_code for r in bad] == [422, 409, 422, 422], [r.text for r in bad]
        assert all("error" in r.json() for r in bad)
        assert c.get("/api/patients", headers=auth(admin), params={"q": "BULK"}).json()["total"] == 0
        _clear(first, "vs:rl:api:*")
        r = c.post("/api/devices/provision", headers=auth(admin), json={"beds": beds})
        assert r.status_code == 201, r.text
        items = r.json()["items"]
        assert [x["mrn"] for x in items] == [f"BULK-{i}" for i in range(64)] and all(x["created"] for x in items)
        assert len({x["device"]["api_key"] for x in items}) == 64
        key, pid = items[3]["device"]["api_key"], items[3]["patient_id"]
        s = c.post("/api/ingest/sessions", headers={"X-Device-Key": key}, json={"patient_id": pid, "fs": 360})
        assert s.status_code == 201, s.text
        # the same beds again (a device restart): patients found, their running session ended
        again = [{**b, "device_name": f"bulk-dev2-{i}"} for i, b in enumerate(beds[:8])]
        r2 = c.post("/api/devices/provision", headers=auth(admin),
                    json={"beds": again, "stop_running_sessions": True})
        assert r2.status_code == 201, r2.text
        items2 = r2.json()["items"]
        assert [x["patient_id"] for x in items2] == [x["patient_id"] for x in items[:8]]
        assert not any(x["created"] for x in items2) and items2[3]["stopped_session_id"] == s.json()["id"]
        assert c.get(f"/api/sessions/{s.json()['id']}", headers=auth(admin)).json()["status"] == "ended"
        # a name in use is refused
        dup = c.post("/api/devices/provision", headers=auth(admin), json={"beds": again[:1]})
        assert dup.status_code == 409
        # 4 requests of the admin so far (3 provisioning, 1 read): the 61st of the minute is refused
        codes = [c.get("/api/devices", headers=auth(admin)).status_code for _ in range(57)]
        assert codes.count(200) == 56 and codes[-1] == 429, codes
