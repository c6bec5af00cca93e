"""The course as Colab meets it: the package installed from its wheel, not the repository.

The wheel is installed with ``--no-deps`` into a fresh virtual environment outside the
repository that sees the development environment's other packages, has no network and may
not read the repository (``tests/course_venv.py`` builds it; ``tests/test_colab_stack.py``
uses the same with Colab's versions). Every notebook is copied to a temporary folder and
executed there with nbclient in a kernel of that environment, with this CPU's numerics
perturbed as another CPU would compute (``tools/perturbed_env.py``: torch's portable kernels,
MKL's reproducible mode, NumPy's SIMD dispatch off); its outputs must match the committed
ones, as nbval would sanitize them. So one run checks both that the package carries what the
notebooks need and that their text holds on another CPU (``make test-perturbed`` does the
latter with nbval itself, in the development environment). The notebooks run ``COURSE_JOBS``
(default 2) at a time, one thread each (``tests/course_venv.py``).

A second test runs the notebooks' first cell, ``helpers.colab.INSTALL_CELL``, in IPython
with a fake ``google.colab`` module, the repository's address replaced by the wheel's path.

Slow (it executes every notebook): marked ``slow``; ``pytest -m "not slow"`` leaves it out.
"""

from __future__ import annotations

import configparser
import os
import re
import sys

import nbformat
import pytest
from course_venv import (
    NAMES,
    NOTEBOOKS,
    ROOT,
    clean_env,
    execute,
    install_wheel,
    make_venv,
    run,
    run_selected,
)
from nbclient.exceptions import CellExecutionError

from helpers.colab import BRANCH, INSTALL_CELL, PACKAGE, REPOSITORY_URL

sys.path.insert(0, str(ROOT / "tools"))
from perturbed_env import variables as perturbed_variables  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(python, venv, work): the wheel installed with --no-deps in a new venv."""
    work = tmp_path_factory.mktemp("installed")
    venv = work / "venv"
    python = make_venv(venv)
    install_wheel(python, venv, wheel, work)
    return python, venv, work


def test_colab_install_cell_installs_the_package(wheel, tmp_path):
    """INSTALL_CELL, run as in Colab, installs the package; outside Colab it does nothing."""
    address = f"git+{REPOSITORY_URL}@{BRANCH}"
    assert address in INSTALL_CELL, "the install cell no longer installs from the repository"
    local_cell = INSTALL_CELL.replace(address, wheel.as_uri())
    assert f"{PACKAGE} @ {wheel.as_uri()}" in local_cell
    venv = tmp_path / "colab-venv"
    python = make_venv(venv)
    script = """\
import sys, types
from IPython.core.interactiveshell import InteractiveShell

cell = sys.argv[1]
shell = InteractiveShell.instance()
assert shell.run_cell(cell).success
try:
    import helpers
except ImportError:
    pass
else:
    raise SystemExit(f"outside Colab the cell did something: helpers is at {helpers.__file__}")
google, colab = types.ModuleType("google"), types.ModuleType("google.colab")
google.colab = colab
sys.modules.update({"google": google, "google.colab": colab})
result = shell.run_cell(cell)
assert result.success, result.error_in_exec
import helpers, helpers.layers, helpers.plots
print("HELPERS", helpers.__file__)
"""
    env = clean_env(IPYTHONDIR=str(tmp_path / "ipython"))
    result = run([str(python), "-c", script, local_cell], cwd=tmp_path, env=env)
    location = result.stdout.split("HELPERS", 1)[-1].strip()
    assert location.startswith(str(venv) + os.sep), result.stdout + result.stderr
    assert f"installed {PACKAGE}" in result.stdout, result.stdout
    assert "kept Colab's own numpy" in result.stdout and "changed" not in result.stdout


def sanitizer():
    """nbval's substitutions from tests/nbval_sanitize.cfg, as (pattern, replacement) pairs."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


IGNORED = {"nbval-ignore-output", "nbval-skip"}  # tags nbval honours: not compared here either


def ignored(cell) -> bool:
    return bool(IGNORED & set(cell.get("metadata", {}).get("tags", [])))


def comparable(notebook, substitutions):
    """Per code cell: the text nbval compares (streams, text/plain and HTML), sanitized."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if ignored(cell):
            cells.append("(not compared)")
            continue
        texts = []
        for output in cell.outputs:
            if output.output_type == "stream":  # consecutive writes may arrive split or merged
                if texts and texts[-1].startswith(f"{output.name}: "):
                    texts[-1] += output.text
                else:
                    texts.append(f"{output.name}: {output.text}")
            elif output.output_type == "error":
                texts.append(f"error: {output.ename}: {output.evalue}")
            else:
                for mime in ("text/plain", "text/html", "text/latex", "text/markdown"):
                    if mime in output.get("data", {}):
                        value = output.data[mime]
                        texts.append(f"{mime}: {''.join(value)}")
        text = "\n".join(texts)
        for pattern, replacement in substitutions:
            text = pattern.sub(replacement, text)
        cells.append(text)
    return cells


def figures(notebook):
    """Per code cell: the number of images among its outputs."""
    return [
        sum(1 for o in cell.outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {})))
        for cell in notebook.cells
        if cell.cell_type == "code" and not ignored(cell)
    ]


def local_images(notebook):
    """Markdown images that point at local files: they do not travel with the package."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", cell.source)
            links += re.findall(r"<img[^>]*\bsrc=[\"']([^\"']+)", cell.source)
            found += [u for u in links if not re.match(r"(https?|data|attachment):", u)]
    return found


TEST_NAME = "test_notebook_runs_from_the_installed_package"


@pytest.fixture(scope="module")
def runs(installed, request, tmp_path_factory):
    """{notebook: future of ((committed, executed) or the error, seconds)}, JOBS at a time."""
    python, venv, work = installed
    folder = tmp_path_factory.mktemp("installed-runs")

    def run_one(path):
        env = perturbed_variables() | {"OMP_NUM_THREADS": "1"}
        return execute(path, python, venv, work, folder / path.stem, **env)

    with run_selected(request, TEST_NAME, run_one) as futures:
        yield futures


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_runs_from_the_installed_package(path, runs, record_property):
    snapshot = nbformat.read(path, as_version=4)
    unexecuted = [c for c in snapshot.cells if c.cell_type == "code" and not c.execution_count]
    if unexecuted:
        pytest.fail(f"{path.name} is committed unexecuted: run `make notebooks`", pytrace=False)
    assert not local_images(snapshot), "images that Colab cannot load (embed or use a URL)"
    result, seconds = runs[path].result()
    record_property("notebook_seconds", seconds)
    if isinstance(result, CellExecutionError):
        where = "installed from the wheel, numerics perturbed"
        pytest.fail(f"{path.name}, {where}:\n{result}", pytrace=False)
    committed, notebook = result

    assert figures(notebook) == figures(committed), "figures differ from the committed notebook"
    substitutions = sanitizer()
    ran, kept = comparable(notebook, substitutions), comparable(committed, substitutions)
    differ = [
        f"code cell {i + 1}:\n--- committed\n{a}\n--- installed, perturbed run\n{b}"
        for i, (a, b) in enumerate(zip(kept, ran, strict=True))
        if a != b
    ]
    message = "installed, on another CPU's numerics, the notebook prints other text:\n"
    assert not differ, message + "\n".join(differ)[:4000]
