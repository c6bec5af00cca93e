"""Static checks of every committed notebook (nbval re-runs them; these read the files)."""

import json
import re
from pathlib import Path

import pytest

from helpers.colab import INSTALL_CELL, badge_markdown

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_first_cell_installs_in_colab(path):
    first = code_cells(load(path))[0]
    assert "".join(first["source"]) == INSTALL_CELL


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_executed_in_order_top_to_bottom(path):
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert None not in counts, "commit notebooks executed (make notebooks)"
    assert counts == list(range(1, len(counts) + 1)), "restart and run all before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_errors_only_in_cells_tagged_raises_exception(path):
    for cell in code_cells(load(path)):
        tagged = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert bool(errors) == tagged, "".join(cell["source"])[:200]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_kernelspec_and_anatomy(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"  # else JupyterLab asks for a kernel
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in code_cells(nb))
    assert markdown.lstrip().startswith(f"# {path.name[:2]} ·"), "title '# NN · name' first"
    if not path.name.startswith("00"):
        assert "## Summary" in markdown
        assert f'quiz("{path.name[:2]}")' in code, "every notebook has its quiz"
        assert "<details>" in markdown, "exercises with hidden solutions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_widget_cells_are_not_compared_by_nbval(path):
    """nbval has no widget front-end: an interact cell's figure lands in its output there."""
    for cell in code_cells(load(path)):
        if "interact(" in "".join(cell["source"]):
            assert "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_warnings_in_outputs(path):
    for cell in code_cells(load(path)):
        for output in cell["outputs"]:
            if output["output_type"] == "stream" and output["name"] == "stderr":
                assert "Warning" not in "".join(output["text"]), "".join(output["text"])[:300]


def test_readme_lists_every_notebook_with_its_badge():
    readme = (ROOT / "README.md").read_text()
    for name in NAMES:
        assert badge_markdown(name) in readme, f"README lacks the Colab badge of {name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_progress_bar_or_wall_clock_time_in_outputs(path):
    """Committed outputs hold no tqdm bar (a stale '0%' there) and no measured time."""
    for cell in code_cells(load(path)):
        for output in cell["outputs"]:
            text = "".join(output.get("text", "")) + "".join(
                output.get("data", {}).get("text/plain", "")
            )
            assert not re.search(r"\d+%\|", text), text[:200]
            assert not re.search(r"\b\d+(\.\d+)? ?(s|ms) (wall|per|elapsed)\b", text), text[:200]
