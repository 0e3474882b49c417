"""The example of bindings/python/README.md runs as written (with the MIT-BIH folder)."""
import os
import re

import pytest

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")


def test_readme_example(mitdb, capsys):
    if not os.path.exists(README):
        pytest.skip("README.md not next to the tests")
    with open(README) as f:
        code = re.search(r"## Example\s+```python\n(.*?)```", f.read(), re.S).group(1)
    assert len(code.strip().splitlines()) <= 6  # import + five lines
    exec(compile(code.replace('"mitdb/', '"' + mitdb + "/"), "README", "exec"), {})
    out = capsys.readouterr().out
    assert re.match(r"\d{4} beats; Se \d+\.\d\d%, \+P \d+\.\d\d%", out), out
