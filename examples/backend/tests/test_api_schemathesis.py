"""Property-based fuzzing of every operation of the OpenAPI schema with schemathesis (as admin,
so requests get past authentication): no input may produce a 5xx. A small number of examples
per operation keeps the CI run short; raise VS_SCHEMATHESIS_EXAMPLES for a deeper run."""
from __future__ import annotations

import os
import re
import subprocess

from api_fixtures import Services, launch_api, tool


def test_no_server_errors(services: Services) -> None:
    # Its own database and Redis: the fuzzer deactivates users, deletes patients, starts sessions.
    api = launch_api(services, "api-fuzz", redis_db=4)
    try:
        token = api.token("admin")
        examples = os.environ.get("VS_SCHEMATHESIS_EXAMPLES", "5")
        proc = subprocess.run(
            [tool("schemathesis"), "run", f"{api.base}/openapi.json", "--checks", "not_a_server_error",
             "--max-examples", examples, "--seed", "1", "--header", f"Authorization: Bearer {token}",
             "--request-timeout", "30", "--exclude-path", "/api/auth/logout", "--workers", "1",
             "--suppress-health-check", "all"],
            capture_output=True, text=True, timeout=900, cwd=services.root)  # its cache dir goes there
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0, output[-6000:] + "\n--- api log ---\n" + api.log_tail("api", 60)
        tested = re.search(r"(\d+) generated, (\d+) passed", output)
        assert tested is not None and int(tested.group(2)) > 200, output[-3000:]  # it really ran
    finally:
        api.stop()
