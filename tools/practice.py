"""Generate the practice notebooks in practice/ from the worked ones (``make practice``).

For every notebook that teaches a function of ``helpers.practice.EXERCISES`` (in a cell
marked ``#| export``), the practice version is the same notebook with:

- each such function's body replaced by its docstring, ``# your code here`` and
  ``raise NotImplementedError``; the other code of the cell kept;
- after that cell, a cell ``name = use("name", name)``: ``helpers.practice.check`` says what
  is wrong, and until the learner's function passes, the course's own is used, so that the
  rest of the notebook runs on;
- the exercises' solutions (Markdown ``<details>`` blocks whose summary starts "Solution")
  removed, the ``#| export`` / ``#| default_exp`` markers dropped, every output cleared;
- a note under the title with its own Colab badge and a link back to the worked notebook.

    python tools/practice.py           # (re)write practice/
    python tools/practice.py --check   # exit 1 if practice/ differs from what would be written
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.colab import badge_markdown  # noqa: E402
from helpers.practice import EXERCISES  # noqa: E402

NOTEBOOKS, PRACTICE = ROOT / "notebooks", ROOT / "practice"
MARKER = re.compile(r"^#\|\s*(export|default_exp\b.*)\s*\n?", re.MULTILINE)
SOLUTION = re.compile(r"\n*<details>\s*<summary>\s*Solution.*?</details>\n*", re.DOTALL)
STUB = "    # your code here\n    raise NotImplementedError\n"


def exercise_functions(source: str) -> list[ast.FunctionDef]:
    """The top-level functions of a cell that are exercises, in order."""
    tree = ast.parse(source)
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in EXERCISES]


def stub_bodies(source: str) -> str:
    """``source`` with each exercise function's body cut down to its docstring and a stub."""
    lines = source.splitlines(keepends=True)
    for node in reversed(exercise_functions(source)):
        first = node.body[0]
        has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        keep_until = first.end_lineno if has_doc else node.body[0].lineno - 1
        lines[keep_until : node.end_lineno] = [STUB]
    return "".join(lines)


def practice_notebook(path: Path) -> nbformat.NotebookNode | None:
    """The practice version of notebook ``path``, or None when it teaches no exercise."""
    notebook = nbformat.read(path, as_version=4)
    cells, names = [], []
    for cell in notebook.cells:
        cell = nbformat.from_dict(dict(cell))
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if re.match(r"^#\|\s*default_exp\b", cell.source):
                continue
            if cell.source.startswith("#| export"):
                source = MARKER.sub("", cell.source, count=1)
                found = [f.name for f in exercise_functions(source)]
                if found:
                    cell.source = stub_bodies(source).rstrip("\n")
                    cells.append(cell)
                    lines = ["from helpers.practice import use", ""]
                    lines += [f'{name} = use("{name}", {name})' for name in found]
                    cells.append(nbformat.v4.new_code_cell("\n".join(lines)))
                    cells[-1].metadata["tags"] = ["practice-check"]
                    names += found
                    continue
                cell.source = source
        elif cell.cell_type == "markdown":
            cell.source = SOLUTION.sub("\n\n", cell.source).strip("\n")
        cells.append(cell)
    if not names:
        return None
    title = next(i for i, c in enumerate(cells) if c.cell_type == "markdown")
    listed = ", ".join(f"`{n}`" for n in names)
    cells.insert(title + 1, nbformat.v4.new_markdown_cell(
        f"> **Practice version** of [{path.stem}](../notebooks/{path.name}): the derivations "
        f"are the same; the code of {listed} is yours to write. Each function keeps its "
        "signature and docstring; replace `raise NotImplementedError` with your code and run "
        "the cell after it, whose `check` says which case and which output is wrong. Until "
        "your function passes, the course's own is used, so the rest of the notebook runs on. "
        "The solutions to the exercises at the end are in the worked notebook.\n>\n> "
        + badge_markdown(path.name, folder="practice")
    ))  # fmt: skip
    for index, cell in enumerate(cells):
        cell.id = f"p{index:03d}"
    notebook.cells = cells
    notebook.metadata.pop("widgets", None)
    return notebook


def expected() -> dict[str, str]:
    """{practice file name: its JSON text} for every worked notebook with exercises."""
    texts = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = practice_notebook(path)
        if notebook is not None:
            texts[path.name] = nbformat.writes(notebook) + "\n"
    return texts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    texts = expected()
    current = {p.name: p.read_text() for p in PRACTICE.glob("*.ipynb")}
    if args.check:
        stale = sorted(set(texts) ^ set(current) | {n for n in texts if current.get(n) != texts[n]})
        for name in stale:
            print(f"practice/{name} is stale: run `make practice`")
        return 1 if stale else 0
    PRACTICE.mkdir(exist_ok=True)
    for name in set(current) - set(texts):
        (PRACTICE / name).unlink()
    for name, text in texts.items():
        (PRACTICE / name).write_text(text)
        print(f"practice/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
