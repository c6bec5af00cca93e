"""The practice notebooks (practice/, made by tools/practice.py from the worked notebooks).

- They are what the tool makes from today's notebooks (not stale).
- Run top to bottom as handed out, every check says "not implemented yet" and nothing else
  fails: the course's functions stand in (slow: executes each notebook).
- With the worked notebook's bodies put back, every check passes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import practice  # noqa: E402  (tools/practice.py)

PRACTICE = sorted((ROOT / "practice").glob("*.ipynb"))
NAMES = [p.name for p in PRACTICE]


def checked_names(notebook) -> list[str]:
    return [
        name
        for cell in notebook.cells
        if "practice-check" in cell.metadata.get("tags", [])
        for name in re.findall(r'^\w+ = use\("(\w+)"', cell.source, re.MULTILINE)
    ]


def test_practice_notebooks_are_up_to_date():
    expected = practice.expected()
    assert sorted(expected) == NAMES, "run `make practice`"
    for path in PRACTICE:
        assert path.read_text() == expected[path.name], f"{path.name} is stale: `make practice`"


def test_every_exercise_has_a_practice_notebook():
    from helpers.practice import EXERCISES

    checked = {n for p in PRACTICE for n in checked_names(nbformat.read(p, as_version=4))}
    assert checked == set(EXERCISES), sorted(set(EXERCISES) ^ checked)


@pytest.mark.parametrize("path", PRACTICE, ids=NAMES)
def test_reference_bodies_pass_every_check(path, tmp_path):
    """The worked notebook's export cells, each followed by the practice check cell."""
    worked = nbformat.read(ROOT / "notebooks" / path.name, as_version=4)
    handed_out = nbformat.read(path, as_version=4)
    checks = iter(
        c.source for c in handed_out.cells if "practice-check" in c.metadata.get("tags", [])
    )
    parts = []  # every export cell (later ones may use earlier ones), then each check
    for cell in worked.cells:
        if cell.cell_type == "code" and cell.source.startswith("#| export"):
            body = practice.MARKER.sub("", cell.source, count=1)
            parts.append(body)
            if practice.exercise_functions(body):
                parts.append(next(checks))
    assert next(checks, None) is None, "more check cells than exercise cells"
    script = tmp_path / "solved.py"
    script.write_text("\n\n".join(parts))
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in checked_names(handed_out):
        assert re.search(rf"^{name}: all \d+ cases pass$", result.stdout, re.MULTILINE), name
    assert "using the course's" not in result.stdout, result.stdout


HANDED_OUT_TEST = "test_handed_out_notebook_runs_with_nothing_implemented"


@pytest.fixture(scope="module")
def handed_out_runs(request):
    """Every selected practice notebook executed as handed out, two at a time (COURSE_JOBS),
    each kernel on one thread."""
    from course_venv import run_selected
    from nbclient import NotebookClient

    def run_one(path):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute(env={**os.environ, "OMP_NUM_THREADS": "1"})
        return notebook

    with run_selected(request, HANDED_OUT_TEST, run_one) as futures:
        yield futures


@pytest.mark.slow
@pytest.mark.parametrize("path", PRACTICE, ids=NAMES)
def test_handed_out_notebook_runs_with_nothing_implemented(path, handed_out_runs, record_property):
    notebook, seconds = handed_out_runs[path].result()
    record_property("notebook_seconds", seconds)
    if not isinstance(notebook, nbformat.NotebookNode):
        pytest.fail(f"{path.name} as handed out:\n{notebook}", pytrace=False)
    text = "".join(
        o.get("text", "")
        for cell in notebook.cells
        if "practice-check" in cell.metadata.get("tags", [])
        for o in cell.outputs
    )
    for name in checked_names(notebook):
        assert f"{name}: not implemented yet" in text, text
        assert f"using the course's {name}" in text, text


def test_readme_lists_every_practice_notebook_with_its_badge():
    from helpers.colab import badge_markdown

    readme = (ROOT / "README.md").read_text()
    for name in NAMES:
        assert f"](practice/{name})" in readme, name
        assert badge_markdown(name, folder="practice") in readme, name


@pytest.mark.parametrize("path", PRACTICE, ids=NAMES)
def test_first_cell_is_the_colab_install_cell(path):
    from helpers.colab import INSTALL_CELL

    first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert first.source == INSTALL_CELL
