"""Build the course website (`make site`) from the committed, executed notebooks.

Nothing is executed and nothing is downloaded: MkDocs with the Material theme and
mkdocs-jupyter render the notebooks as they are committed, MathJax 3 (SVG output, so no web
fonts) comes from the `sphinx-mathjax-offline` package, the theme uses the system's fonts, and
search is Material's own (lunr, in the browser). The check is tests/test_site.py.

    python tools/build_site.py                 # -> _build/site/ (open _build/site/index.html)
    python tools/build_site.py --out DIR       # elsewhere

Each notebook is first copied into a staging folder (_build/site-src/) as a web page needs it:

- the Colab install cell goes; under the title come an *Open in Colab* button and download
  links for the notebook and, where one exists, its practice version;
- every figure becomes a PNG file shown at its nominal size (the notebooks store them at twice
  the dpi, for HiDPI screens) with the alt text the notebook recorded
  (``helpers.plots.display``); a figure without alt text stops the build;
- a quiz shows its static view (questions, choices, answers folded away); a widget, which
  needs a kernel, gives way to a note pointing at the static first picture above it;
- tracebacks lose their terminal colours; links between notebooks point at their pages.

After MkDocs, ``repair_anchors`` mends the table-of-contents links that mkdocs-jupyter gets
wrong for headings with inline code.

The front page is the course map, drawn from data/course.json (``helpers.data.course``): the
prerequisite graph, and a table of what each notebook teaches, what it builds on and how long
it takes to read (``reading_minutes``).
"""

from __future__ import annotations

import argparse
import base64
import html
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PRACTICE = ROOT / "practice"
DEFAULT_OUT = ROOT / "_build" / "site"
STAGING = ROOT / "_build" / "site-src"

sys.path.insert(0, str(ROOT))
from helpers.colab import INSTALL_CELL, REPOSITORY_URL, colab_url  # noqa: E402
from helpers.data import course_notebooks, course_parts, prerequisite_edges  # noqa: E402

SITE_NAME = "Recurrent networks and attention, from scratch"
# MathJax 3 (SVG output: no web fonts to fetch) as the sphinx-mathjax-offline package ships it,
# configured for Jupyter's $...$ and $$...$$; mkdocs-jupyter loads MATHJAX on every notebook page.
MATHJAX = "assets/mathjax-setup.js"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WORDS_PER_MINUTE = 100  # derivations are read slowly, pencil in hand
MINUTES_PER_CODE_CELL = 0.5  # to run a cell and read its output
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # terminal colours in tracebacks: unreadable on the page
NOTEBOOK_LINK = re.compile(r"\]\((?:\.\./notebooks/|notebooks/)?(\d\d_[A-Za-z0-9_]+)\.ipynb")
WIDGET_NOTE = (
    '<p class="course-widget-note"><strong>Interactive widget.</strong> It needs a running '
    "kernel: open this notebook in Colab or Jupyter to move its controls. The figure above "
    "is its first picture.</p>"
)
ASSETS = Path(__file__).resolve().parent / "site_assets"  # course.css, course.js, mathjax-setup.js


# ---- what a notebook says about itself ------------------------------------------------------


def title_of(notebook) -> str:
    """The notebook's H1 ("06 · LSTM")."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    raise ValueError("notebook has no '# ' title in a markdown cell")


def you_will(notebook) -> str:
    """The "You will:" paragraph of the title cell, on one line (Markdown kept)."""
    for cell in notebook.cells:
        match = re.search(r"\*\*You will:\*\*(.*?)(?:\n\n|$)", cell.source, re.S)
        if cell.cell_type == "markdown" and match:
            return " ".join(match.group(1).split())
    return ""


def reading_minutes(notebook) -> int:
    """Time to work through the text and run every cell, rounded up to 5 minutes:
    ``WORDS_PER_MINUTE`` for the prose and ``MINUTES_PER_CODE_CELL`` per code cell. The
    exercises come on top."""
    words = sum(len(c.source.split()) for c in notebook.cells if c.cell_type == "markdown")
    code_cells = sum(c.cell_type == "code" for c in notebook.cells)
    minutes = words / WORDS_PER_MINUTE + MINUTES_PER_CODE_CELL * code_cells
    return 5 * math.ceil(minutes / 5)


# ---- a notebook as a web page ---------------------------------------------------------------


def links_html(file: str) -> str:
    """The buttons under a page's title: Colab, the notebook, its practice version."""
    links = [
        (colab_url(file), "Open in Colab", ""),
        (f"downloads/notebooks/{file}", "Download the notebook", " download"),
    ]
    if (PRACTICE / file).exists():
        links.append((f"downloads/practice/{file}", "Download the practice version", " download"))
    buttons = " ".join(
        f'<a class="md-button" href="{html.escape(url)}"{extra}>{text}</a>'
        for url, text, extra in links
    )
    return f'<p class="course-links">{buttons}</p>'


def figure_html(src: str, metadata: dict, where: str) -> str:
    alt = (metadata or {}).get("alt", "").strip()
    if not alt:
        raise ValueError(f"{where}: a figure has no alt text (show figures via helpers.plots)")
    size = "".join(f' {k}="{int(metadata[k])}"' for k in ("width", "height") if k in metadata)
    return f'<img class="course-figure" src="{src}"{size} alt="{html.escape(alt)}">'


def web_outputs(cell, number: str, index: int, figures: Path) -> list:
    """The cell's outputs as the page shows them (figures as files, widgets as notes)."""
    shown = []
    for k, output in enumerate(cell.get("outputs", [])):
        data = output.get("data", {})
        if WIDGET_MIME in data:
            if "text/html" in data:  # a quiz: its static view
                data = {"text/html": data["text/html"]}
                output = nbformat.v4.new_output("display_data", data=data)
            else:
                output = nbformat.v4.new_output("display_data", data={"text/html": WIDGET_NOTE})
        elif output.get("output_type") == "error":
            output["traceback"] = [ANSI.sub("", line) for line in output.get("traceback", [])]
        elif output.get("output_type") == "stream":
            output["text"] = ANSI.sub("", output.get("text", ""))
        elif "image/png" in data:
            name = f"{number}-{index:02d}-{k}.png"
            (figures / name).write_bytes(base64.b64decode(data["image/png"]))
            metadata = output.get("metadata", {}).get("image/png", {})
            where = f"notebook {number}, cell {index}"
            img = figure_html(f"figures/{name}", metadata, where)
            output = nbformat.v4.new_output("display_data", data={"text/html": img})
        shown.append(output)
    return shown


def web_notebook(notebook, file: str, figures: Path):
    """The notebook ``file`` ("06_lstm.ipynb") made for its page, in place (see the module
    docstring); returns it."""
    number = file[:2]
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.source.strip() == INSTALL_CELL.strip():
            continue
        if cell.cell_type == "markdown":
            cell.source = NOTEBOOK_LINK.sub(r"](\1.html", cell.source)
            if cell.source.startswith("# "):
                head, _, rest = cell.source.partition("\n")
                cell.source = f"{head}\n\n{links_html(file)}\n{rest}"
        if cell.cell_type == "code":
            cell.outputs = web_outputs(cell, number, index, figures)
        cells.append(cell)
    notebook.cells = cells
    return notebook


# ---- the front page -------------------------------------------------------------------------


def course_map_figure(figures: Path) -> str:
    """Draw the prerequisite graph from data/course.json into figures/; return its <img>."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers import plots
    from helpers.plots.display import figure_png

    ax = plots.dependency_graph(
        prerequisite_edges(), groups=course_parts(), title="Which notebook builds on which"
    )
    data, metadata = figure_png(ax.figure)  # as a notebook shows it: HiDPI, with its alt text
    plt.close(ax.figure)
    (figures / "course-map.png").write_bytes(base64.b64decode(data))
    metadata["alt"] += (
        " Boxes are notebooks, coloured by part of the course; an arrow from A to B means B"
        " uses what A teaches. The table below lists every arrow."
    )
    img = figure_html("figures/course-map.png", metadata, "the course map")
    link = f'<a href="figures/course-map.png" title="The map at full size">{img}</a>'
    box = f'class="course-map" tabindex="0" role="region" aria-label="{MAP_LABEL}"'
    return f"<div {box}>{link}</div>"


MAP_LABEL = "The course map (scrolls sideways on a narrow screen)"


def front_page(pages: list[dict], figures: Path) -> str:
    html_of = {p["number"]: p["html"] for p in pages}
    rows = []
    for page in pages:
        needs = ", ".join(f"[{n}]({html_of[n]})" for n in page["needs"])
        rows.append(
            f"| {page['number']} | [{page['title']}]({page['html']}) | {page['you_will']} "
            f"| {needs or '—'} | {page['minutes']} min |"
        )
    total_h = sum(p["minutes"] for p in pages) / 60
    return f"""\
# {SITE_NAME}

A course in Jupyter notebooks on recurrent neural networks and attention. Each notebook derives
its equations step by step with the shape of every symbol, implements them in NumPy in a few
readable lines, checks the code against PyTorch in float64 (the largest error printed and
asserted), and makes the idea visible with figures and a widget. It assumes Python, NumPy and a
little calculus and linear algebra.

**How to use it.** Read a notebook here, or run it: *Open in Colab* on each page runs it in your
browser, and *Download* gives you the file for Jupyter. Notebooks with functions to write have a
*practice version*: the same notebook with those bodies left for you, and a check after each that
says which case and which output is wrong. To run everything on your machine, clone the
[repository]({REPOSITORY_URL}) and type `make lab`.

## The course map

{course_map_figure(figures)}

An arrow from A to B means that B uses what A teaches. The map is stored once, in the course's
`data/course.json`; notebook 00 draws the same graph and explains the notation.

## The notebooks

Times are for reading the text at {WORDS_PER_MINUTE} words a minute and running each code cell
({MINUTES_PER_CODE_CELL} min a cell), rounded up to 5 minutes; the exercises come on top. The
whole course: about {total_h:.0f} hours.

| # | notebook | you will | builds on | time |
|---|---|---|---|---|
{chr(10).join(rows)}
"""


# ---- the build ------------------------------------------------------------------------------


def mkdocs_config(pages: list[dict], docs: Path, out: Path) -> dict:
    return {
        "site_name": SITE_NAME,
        "docs_dir": str(docs),
        "site_dir": str(out),
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "font": False,  # the system's fonts: Material would fetch Google's
            "language": "en",
            "features": ["navigation.footer", "search.highlight", "toc.follow"],
            "palette": [
                {
                    "media": "(prefers-color-scheme: light)",
                    "scheme": "default",
                    "toggle": {"icon": "material/brightness-4", "name": "Dark colour scheme"},
                },
                {
                    "media": "(prefers-color-scheme: dark)",
                    "scheme": "slate",
                    "toggle": {"icon": "material/brightness-7", "name": "Light colour scheme"},
                },
            ],
        },
        "extra_css": ["assets/course.css"],
        "extra_javascript": ["assets/course.js"],
        "markdown_extensions": ["tables", "toc"],
        "plugins": [
            "search",
            {
                "mkdocs-jupyter": {
                    "execute": False,
                    "include": ["[0-9][0-9]_*.ipynb"],
                    "ignore": ["downloads/*/*.ipynb"],  # files to download, not pages
                    "no_prompt": True,
                    "cache": False,
                    "custom_mathjax_url": MATHJAX,
                }
            },
        ],
        "nav": [{"Course map": "index.md"}] + [{p["title"]: p["file"]} for p in pages],
        "validation": {"links": {"absolute_links": "ignore", "unrecognized_links": "ignore"}},
    }


def stage(docs: Path) -> list[dict]:
    """Write the staging folder ``docs``; return one dict per page."""
    import importlib.util

    shutil.rmtree(docs, ignore_errors=True)
    figures = docs / "figures"
    for folder in (figures, docs / "assets", docs / "downloads" / "notebooks"):
        folder.mkdir(parents=True)
    mathjax = Path(importlib.util.find_spec("sphinx-mathjax-offline").origin).parent
    shutil.copy2(mathjax / "static" / "mathjax" / "tex-svg-full.js", docs / "assets")
    for asset in ASSETS.iterdir():
        shutil.copy2(asset, docs / "assets")
    shutil.copytree(PRACTICE, docs / "downloads" / "practice", ignore=shutil.ignore_patterns(".*"))
    pages = []
    for entry in course_notebooks():
        path = NOTEBOOKS / entry["file"]
        shutil.copy2(path, docs / "downloads" / "notebooks" / path.name)
        notebook = nbformat.read(path, as_version=4)
        pages.append(
            {
                **entry,
                "title": title_of(notebook),
                "html": path.with_suffix(".html").name,
                "you_will": you_will(notebook),
                "minutes": reading_minutes(notebook),
            }
        )
        nbformat.write(web_notebook(notebook, path.name, figures), docs / path.name)
    (docs / "index.md").write_text(front_page(pages, figures), encoding="utf-8")
    return pages


def build(out: Path = DEFAULT_OUT, staging: Path = STAGING) -> list[dict]:
    """Stage the pages, then run ``mkdocs build --strict`` into ``out``; return the pages."""
    pages = stage(staging / "docs")
    config = staging / "mkdocs.yml"
    config.write_text(yaml.safe_dump(mkdocs_config(pages, staging / "docs", out), sort_keys=False))
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)]
    subprocess.run(mkdocs, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    repair_anchors(out)
    return pages


def repair_anchors(out: Path) -> None:
    """mkdocs-jupyter's table of contents (and so the search index) drops inline code from a
    heading's anchor ("#5-check-against-autograd-on" for the heading whose id ends "-nnrnn"):
    point each such link at the one heading id it is the start of."""
    index_path = out / "search" / "search_index.json"
    index = index_path.read_text(encoding="utf-8")
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        for anchor in set(re.findall(r'href="#([^"]+)"', text)) - ids:
            matches = [i for i in ids if i.startswith(anchor)]
            if len(matches) == 1:
                text = text.replace(f'href="#{anchor}"', f'href="#{matches[0]}"')
                index = index.replace(f'"{page.name}#{anchor}"', f'"{page.name}#{matches[0]}"')
        page.write_text(text, encoding="utf-8")
    index_path.write_text(index, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the site")
    args = parser.parse_args()
    pages = build(args.out.resolve())
    print(f"built {len(pages)} notebook pages and the course map into {args.out}")


if __name__ == "__main__":
    main()
