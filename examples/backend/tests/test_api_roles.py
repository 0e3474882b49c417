"""Every operation of the OpenAPI schema: no token -> 401, an expired or revoked token -> 401,
a role below the required one -> 403, the required role -> neither; device ingest refuses
user tokens. The required role of each route is written down here independently of the code."""
from __future__ import annotations

import re
import time
from typing import Any

import httpx
import jwt
import pytest

from api_fixtures import ApiProcess, auth

PUBLIC = {("POST", "/api/auth/login"), ("POST", "/api/auth/refresh")}
LOGOUT = ("POST", "/api/auth/logout")
RANK = {"viewer": 1, "clinician": 2, "admin": 3}


def required_role(method: str, path: str) -> str:
    if path.startswith("/api/ingest"):
        return "device"
    if path.startswith(("/api/users", "/api/devices", "/api/audit")):
        return "admin"
    if method == "DELETE" and path.startswith("/api/patients"):
        return "admin"
    if method in ("POST", "PATCH", "PUT", "DELETE") and not path.startswith("/api/auth"):
        return "clinician"
    return "viewer"


def operations(api: ApiProcess) -> list[tuple[str, str]]:
    with api.client() as c:
        schema: dict[str, Any] = c.get("/openapi.json").json()
    ops = [(m.upper(), p) for p, item in schema["paths"].items() for m in item
           if m in ("get", "post", "put", "patch", "delete")]
    return [op for op in ops if op not in PUBLIC]


def concrete(path: str) -> str:
    path = path.replace("{session_id}.pdf", "1.pdf").replace("{filename}", "s1.hea")
    return re.sub(r"\{[^}]+\}", "1", path)


def call(c: httpx.Client, method: str, path: str, headers: dict[str, str]) -> int:
    kw: dict[str, Any] = {"headers": headers}
    if method in ("POST", "PATCH", "PUT"):
        kw["json"] = {}
    return c.request(method, concrete(path), **kw).status_code


def test_schema_lists_the_api(api: ApiProcess) -> None:
    ops = operations(api)
    assert len(ops) >= 30, ops
    for expected in [("GET", "/api/alarms"), ("POST", "/api/alarms/{alarm_id}/ack"),
                     ("GET", "/api/reports/{session_id}.pdf"), ("POST", "/api/ingest/sessions/{session_id}/chunks"),
                     ("GET", "/api/sessions/{session_id}/wfdb.zip"), ("GET", "/api/patients/{patient_id}/trends")]:
        assert expected in ops


def test_every_route_needs_a_token(api: ApiProcess) -> None:
    with api.client() as c:
        failures = [(m, p, s) for m, p in operations(api) if (s := call(c, m, p, {})) != 401]
    assert not failures


def test_expired_and_revoked_tokens_are_refused_everywhere(api: ApiProcess) -> None:
    login = api.login("test-admin")
    claims = jwt.decode(login["access_token"], options={"verify_signature": False})
    now = int(time.time())
    expired = jwt.encode({**claims, "iat": now - 3600, "exp": now - 60},
                         api.env["VITALSTREAM_JWT_SECRET"], algorithm="HS256")
    revoked = api.login("test-admin")["access_token"]
    with api.client() as c:
        assert c.post("/api/auth/logout", headers=auth(revoked)).status_code == 204
    failures = []
    with api.client() as c:
        for m, p in operations(api):
            for name, token in (("expired", expired), ("revoked", revoked)):
                status = call(c, m, p, auth(token))
                if status != 401:
                    failures.append((name, m, p, status))
    assert not failures


@pytest.mark.parametrize("role", ["viewer", "clinician", "admin"])
def test_roles_on_every_route(api: ApiProcess, role: str) -> None:
    token = api.token(role)  # its own login: the walk ends with logging it out
    wrong = []
    with api.client() as c:
        statuses = {(m, p): call(c, m, p, auth(token)) for m, p in operations(api) if (m, p) != LOGOUT}
        statuses[LOGOUT] = call(c, *LOGOUT, auth(token))
    for (m, p), status in statuses.items():
        need = required_role(m, p)
        if need == "device":
            ok = status == 401  # user tokens never ingest
        elif RANK[role] < RANK[need]:
            ok = status == 403
        else:
            ok = status not in (401, 403) and status < 500
        if not ok:
            wrong.append((m, p, need, status))
    assert not wrong


def test_device_key_cannot_use_user_routes(api: ApiProcess, tokens: dict[str, str]) -> None:
    with api.client() as c:
        key = c.post("/api/devices", headers=auth(tokens["admin"]), json={"name": "roles-dev"}).json()["api_key"]
        assert c.get("/api/patients", headers={"X-Device-Key": key}).status_code == 401
        assert c.get("/api/patients", headers=auth(key)).status_code == 401
        # ... but it does authenticate on ingest (404: no such patient, not 401).
        r = c.post("/api/ingest/sessions", headers={"X-Device-Key": key}, json={"mrn": "NOPE", "fs": 360})
        assert r.status_code == 404
