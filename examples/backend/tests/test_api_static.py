"""The API serves the frontend build at / with index.html for client-side routes, and never
lets the fallback hide an API 404 or escape the build directory."""
from __future__ import annotations

from api_fixtures import FRONTEND_INDEX, ApiProcess


def test_frontend_files_and_deep_links(api: ApiProcess) -> None:
    with api.client() as c:
        root = c.get("/")
        assert root.status_code == 200 and root.text == FRONTEND_INDEX
        assert root.headers["cache-control"] == "no-cache"
        assert c.get("/patients/3").text == FRONTEND_INDEX  # Angular route
        js = c.get("/main-ABC.js")
        assert js.text == "console.log('app')" and "immutable" in js.headers["cache-control"]
        assert c.get("/assets/logo.svg").text == "<svg/>"
        assert "frame-ancestors 'none'" in root.headers["content-security-policy"]


def test_fallback_does_not_hide_api_errors_or_escape(api: ApiProcess) -> None:
    with api.client() as c:
        missing = c.get("/api/no-such-route")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        for path in ("/../pg.log", "/%2e%2e/pg.log", "/..%2fpg.log"):
            r = c.get(path)
            assert r.status_code in (200, 404) and "database system" not in r.text
            if r.status_code == 200:
                assert r.text == FRONTEND_INDEX
