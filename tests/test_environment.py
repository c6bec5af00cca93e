"""Set-up files agree: environment.yml names pyproject's dependencies; pins cover torch."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirement_names(requirements):
    return {re.split(r"[<>=!~ \[;@]", r, maxsplit=1)[0].lower() for r in requirements}


def environment_entries():
    """Every dependency line of environment.yml, conda and pip alike (a tiny YAML subset)."""
    entries = []
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"^\s+- ([^#]+?)\s*$", line)
        if match and match.group(1) != "pip:":
            entries.append(match.group(1))
    return entries


def test_environment_names_the_same_dependencies_as_pyproject():
    entries = environment_entries()
    runtime = PYPROJECT["project"]["dependencies"]
    for requirement in runtime:
        assert requirement in entries, f"environment.yml lacks {requirement!r} (as in pyproject)"
    assert "-e .[dev]" in entries, "environment.yml must install the package with its dev extra"
    python = PYPROJECT["project"]["requires-python"]
    assert f"python{python}" in entries


def test_package_asks_for_ranges_not_pins():
    for requirement in PYPROJECT["project"]["dependencies"]:
        assert "==" not in requirement, requirement
    assert "torch>=2.13" in PYPROJECT["project"]["dependencies"]  # the tested floor


def test_constraints_pin_the_local_cpu_torch():
    pins = (ROOT / "constraints.txt").read_text().splitlines()
    assert "torch==2.13.0" in pins
    pinned = {line.split("==")[0].lower() for line in pins if "==" in line}
    dev = requirement_names(PYPROJECT["project"]["optional-dependencies"]["dev"])
    runtime = requirement_names(PYPROJECT["project"]["dependencies"])
    assert (dev | runtime) <= pinned, f"unpinned: {sorted((dev | runtime) - pinned)}"
