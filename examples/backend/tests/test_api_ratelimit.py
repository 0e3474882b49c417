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
