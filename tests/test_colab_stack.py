"""The course on Colab's stack: every notebook, from the wheel, with Colab's versions.

Colab keeps its own ipywidgets (7.7, where widgets have no ``_repr_mimebundle_``), numpy and
matplotlib, and installs only our package beside them. This test builds the same: a fresh
venv (``tests/course_venv.py``) in which the versions of ``tests/colab-stack.txt`` are
installed from the package index, the dev environment's copies of those distributions
hidden, and the course's wheel installed with ``--no-deps``. Every notebook is copied out of
the repository and executed top to bottom with no network; it passes when no cell raises an
error (outputs are not compared: other versions print other last digits). The run uses
``COURSE_SEED=1``, so it is also the suite's one full execution with other seeds. Outputs are
not compared and no time is budgeted, so the notebooks run ``COURSE_JOBS`` (default 2) at a
time, one thread each, on the 2-core CI machine.

Slow (it executes every notebook, after downloading the stack): marked ``slow``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from course_venv import (
    NAMES,
    NOTEBOOKS,
    clean_env,
    execute,
    install_wheel,
    make_venv,
    run,
    run_selected,
)
from nbclient.exceptions import CellExecutionError

pytestmark = pytest.mark.slow

STACK_FILE = Path(__file__).with_name("colab-stack.txt")


def stack() -> dict[str, str]:
    """{distribution: version} from tests/colab-stack.txt (``name==version`` lines)."""
    pins = {}
    for line in STACK_FILE.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line).groups()
            pins[name] = version
    return pins


def test_stack_file_pins_exact_versions():
    pins = stack()
    assert {"ipywidgets", "numpy", "matplotlib"} <= set(pins)
    assert pins["ipywidgets"].startswith("7."), "Colab's ipywidgets is 7.x; say why if not"


def test_every_dependency_floor_is_a_tested_version():
    """pyproject's floors are versions the suite runs: Colab's stack, else constraints.txt."""
    import tomllib

    root = STACK_FILE.parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    pinned = dict(
        line.split("==", 1)
        for line in (root / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    tested = {k.lower(): v for k, v in (pinned | stack()).items()}
    for requirement in project["dependencies"]:
        name, floor = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement).groups()
        version = tested[name.lower()]
        assert version == floor or version.startswith(floor + "."), (requirement, version)
    assert project["requires-python"] == f">={sys.version_info.major}.{sys.version_info.minor}"


@pytest.fixture(scope="module")
def colab(wheel, tmp_path_factory):
    """(python, venv, work): Colab's versions and the course's wheel in a new venv."""
    work = tmp_path_factory.mktemp("colab")
    venv = work / "colab-venv"
    pins = stack()
    python = make_venv(venv, install=pins)
    install_wheel(python, venv, wheel, work)
    code = (
        "import importlib.metadata as m, sys, json; "
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    seen = run([str(python), "-c", code, *pins, "torch"], env=clean_env(), cwd=work).stdout
    versions = __import__("json").loads(seen)
    print("Colab stack:", ", ".join(f"{n} {v}" for n, v in versions.items()))
    assert {n: versions[n] for n in pins} == pins, versions
    return python, venv, work


TEST_NAME = "test_notebook_runs_on_colabs_stack"


@pytest.fixture(scope="module")
def runs(colab, request, tmp_path_factory):
    """{notebook: future of (error or None, seconds)}: the selected notebooks, JOBS at a time."""
    python, venv, work = colab
    folder = tmp_path_factory.mktemp("colab-runs")

    def run_one(path):
        env = {"COURSE_SEED": "1", "OMP_NUM_THREADS": "1"}
        execute(path, python, venv, work, folder / path.stem, **env)

    with run_selected(request, TEST_NAME, run_one) as futures:
        yield futures


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_runs_on_colabs_stack(path, runs, record_property):
    error, seconds = runs[path].result()
    record_property("notebook_seconds", seconds)
    if isinstance(error, CellExecutionError):
        pytest.fail(f"{path.name} on Colab's stack (COURSE_SEED=1):\n{error}", pytrace=False)
