"""tools/build_site.py without a browser: what a notebook becomes on its page, and the
front page's numbers. (tests/test_site.py builds the whole site and reads it in Chromium.)"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_site  # noqa: E402

from helpers.colab import INSTALL_CELL, colab_url  # noqa: E402
from helpers.data import course_notebooks  # noqa: E402


@pytest.fixture(scope="module")
def lstm_page(tmp_path_factory):
    figures = tmp_path_factory.mktemp("figures")
    notebook = nbformat.read(ROOT / "notebooks" / "06_lstm.ipynb", as_version=4)
    return build_site.web_notebook(notebook, "06_lstm.ipynb", figures), figures


def outputs(notebook):
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]


def test_install_cell_goes_and_links_come_under_the_title(lstm_page):
    notebook, _ = lstm_page
    assert all(c.source.strip() != INSTALL_CELL.strip() for c in notebook.cells)
    title = next(c for c in notebook.cells if c.source.startswith("# "))
    assert colab_url("06_lstm.ipynb") in title.source
    assert 'href="downloads/notebooks/06_lstm.ipynb"' in title.source
    assert 'href="downloads/practice/06_lstm.ipynb"' in title.source


def test_figures_become_files_with_alt_text_and_widgets_notes(lstm_page):
    notebook, figures = lstm_page
    committed = nbformat.read(ROOT / "notebooks" / "06_lstm.ipynb", as_version=4)
    n_figures = sum("image/png" in o.get("data", {}) for o in outputs(committed))
    shown = [o["data"].get("text/html", "") for o in outputs(notebook) if "data" in o]
    images = [h for h in shown if h.startswith('<img class="course-figure"')]
    assert len(images) == n_figures == len(list(figures.glob("06-*.png"))) > 0
    assert all('alt="Figure' in h for h in images)
    assert not any(build_site.WIDGET_MIME in o.get("data", {}) for o in outputs(notebook))
    assert sum(h == build_site.WIDGET_NOTE for h in shown) == 1  # the one widget
    assert any("Show the answer" in h for h in shown)  # the quiz, answers folded


def test_a_figure_without_alt_text_stops_the_build():
    with pytest.raises(ValueError, match="no alt text"):
        build_site.figure_html("figures/x.png", {"width": 10}, "notebook 99, cell 1")


def test_tracebacks_lose_their_terminal_colours(tmp_path):
    cell = nbformat.v4.new_code_cell("1 / 0")
    cell.outputs = [
        nbformat.v4.new_output("error", ename="E", evalue="", traceback=["\x1b[31mE\x1b[0m"])
    ]
    (shown,) = build_site.web_outputs(cell, "99", 0, tmp_path)
    assert shown["traceback"] == ["E"]


def test_links_between_notebooks_point_at_pages():
    text = "see [notebook 16](16_convolution.ipynb) and [00](../notebooks/00_course_map.ipynb)"
    assert build_site.NOTEBOOK_LINK.sub(r"](\1.html", text) == (
        "see [notebook 16](16_convolution.html) and [00](00_course_map.html)"
    )


def test_reading_time_is_words_and_cells_rounded_up_to_five_minutes():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("word " * 1001)] + [
        nbformat.v4.new_code_cell("x = 1") for _ in range(4)
    ]
    assert build_site.reading_minutes(notebook) == 15  # 10.01 + 2 minutes -> 15


def test_front_page_lists_every_notebook_with_its_needs(tmp_path):
    pages = [
        {**n, "title": n["label"], "html": n["file"][:-6] + ".html", "you_will": "x", "minutes": 5}
        for n in course_notebooks()
    ]
    text = build_site.front_page(pages, tmp_path)
    assert (tmp_path / "course-map.png").is_file()
    for page in pages:
        assert f"[{page['title']}]({page['html']})" in text
    assert "| 14 | [14 attention](14_attention.html) | x | [13](13_seq2seq.html) | 5 min |" in text
