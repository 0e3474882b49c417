"""mypy --strict on the installed package and on every ```python block of the binding's README
(each block is checked as its own module, as a user would paste it).

usage: python tests/check_types.py [README]   (run with the interpreter of a venv that has the
       package and mypy installed; exit status is mypy's)
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    readme = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "README.md")
    with open(readme, encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    if not blocks:
        print("check_types: no python block in %s" % readme, file=sys.stderr)
        return 1
    import vitalstream

    pkg = os.path.dirname(vitalstream.__file__)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, code in enumerate(blocks):
            path = os.path.join(tmp, "readme_example_%d.py" % (i + 1))
            with open(path, "w", encoding="utf-8") as f:
                f.write(code)
            files.append(path)
        mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
        print("check_types: mypy --strict on the package in %s" % pkg)
        rc = subprocess.run(mypy + ["-p", "vitalstream"], cwd=tmp).returncode
        print("check_types: mypy --strict on %d README block(s)" % len(files))
        return rc or subprocess.run(mypy + files, cwd=tmp).returncode


if __name__ == "__main__":
    sys.exit(main())
