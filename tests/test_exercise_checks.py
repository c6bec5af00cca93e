"""The end-of-notebook exercises whose answer is a function: a stub and a check in the worked
notebook, the reference in helpers.exercise_solutions, the solution folded in the Markdown.

The verdicts every check must give (the reference passes; outputs off by one part in a
million, a transposed output and NotImplementedError fail) are asserted for these exercises
by tests/test_practice.py, with the functions of helpers.layers.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers import exercise_solutions, layers
from helpers.practice import NOTEBOOK_EXERCISES, check

ROOT = Path(__file__).resolve().parent.parent
NAMES = list(NOTEBOOK_EXERCISES)
NOTEBOOKS = sorted({e.notebook for e in NOTEBOOK_EXERCISES.values()})
EXERCISES_TITLE = re.compile(r"^## (\d+ · )?Exercises\b")


def _exercises_cell(notebook) -> int:
    """The index of the notebook's Exercises cell (Markdown, with the folded solutions)."""
    found = [
        i
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "markdown" and EXERCISES_TITLE.match(c.source)
    ]
    assert len(found) == 1
    return found[0]


def _notebook(name: str):
    return nbformat.read(ROOT / "notebooks" / name, as_version=4)


def _by_number(notebook_name: str) -> dict[int, list[str]]:
    """{exercise number: the names checked for it, in the order of NOTEBOOK_EXERCISES}."""
    numbers: dict[int, list[str]] = {}
    for name, exercise in NOTEBOOK_EXERCISES.items():
        if exercise.notebook == notebook_name:
            numbers.setdefault(exercise.number, []).append(name)
    return dict(sorted(numbers.items()))


def _solution_code(notebook_name: str, number: int) -> str:
    """The Python blocks of the folded solution of exercise ``number``, joined."""
    notebook = _notebook(notebook_name)
    text = notebook.cells[_exercises_cell(notebook)].source
    folded = re.findall(
        rf"<details>\s*<summary>\s*Solution {number}\s*</summary>(.*?)</details>", text, re.DOTALL
    )
    assert len(folded) == 1, f"{notebook_name}: no folded solution {number}"
    blocks = re.findall(r"```python\n(.*?)```", folded[0], re.DOTALL)
    assert blocks, f"{notebook_name}: solution {number} has no code"
    return "\n".join(blocks)


def _definitions(code: str) -> dict:
    """The functions a solution defines, run with its imports, NumPy and helpers.layers.

    Only the imports and the function definitions are run: the rest of a solution uses the
    notebook's variables (weights, torch modules) to compare with PyTorch.
    """
    tree = ast.parse(code)
    kept = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom | ast.FunctionDef)]
    namespace = {"np": np} | {n: getattr(layers, n) for n in layers.__all__}
    exec(compile(ast.Module(kept, type_ignores=[]), "<solution>", "exec"), namespace)  # noqa: S102
    return namespace


# ---- the list --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_exercise_has_its_reference_and_notebook(name):
    description, notebook, number = NOTEBOOK_EXERCISES[name]
    assert description and "\n" not in description
    assert name in exercise_solutions.__all__
    reference = getattr(exercise_solutions, name)
    assert inspect.getdoc(reference), f"{name} needs a docstring stating its shapes"
    assert f"(notebook {notebook[:2]}, exercise {number})" in " ".join(reference.__doc__.split())
    exercises = _notebook(notebook).cells[_exercises_cell(_notebook(notebook))].source
    assert re.search(rf"^{number}\. \*\*", exercises, re.MULTILINE), (notebook, number)
    assert f"`{name}(" in exercises, f"exercise {number} of {notebook} does not name {name}"


def test_every_reference_is_registered():
    assert set(exercise_solutions.__all__) == set(NOTEBOOK_EXERCISES)


# ---- the solutions in the notebooks ----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_folded_solution_passes_the_check(name, capsys):
    _, notebook, number = NOTEBOOK_EXERCISES[name]
    solution = _definitions(_solution_code(notebook, number))
    assert name in solution, f"solution {number} of {notebook} does not define {name}"
    assert check(name, solution[name]) is True
    assert capsys.readouterr().out.endswith(" cases pass\n")


@pytest.mark.parametrize("notebook_name", NOTEBOOKS)
def test_solutions_stay_folded(notebook_name):
    notebook = _notebook(notebook_name)
    text = notebook.cells[_exercises_cell(notebook)].source
    shown = re.sub(r"<details>.*?</details>", "", text, flags=re.DOTALL)
    assert "Solution" not in shown and "```" not in shown
    for number in _by_number(notebook_name):
        assert f"<summary>Solution {number}</summary>" in text


# ---- the stub and check cells ----------------------------------------------------------------


@pytest.mark.parametrize("notebook_name", NOTEBOOKS)
def test_stub_cells_follow_the_exercises(notebook_name, capsys):
    """One cell per exercise, right after the Exercises cell: the stub of each function
    (the reference's signature and docstring, then ``raise NotImplementedError``) and
    ``_ = check(...)``, whose committed output is "not implemented yet"."""
    notebook = _notebook(notebook_name)
    start = _exercises_cell(notebook) + 1
    numbers = _by_number(notebook_name)
    cells = notebook.cells[start : start + len(numbers)]
    assert notebook.cells[start + len(numbers)].source.startswith("## Summary")
    for cell, names in zip(cells, numbers.values(), strict=True):
        assert cell.cell_type == "code" and "exercise-check" in cell.metadata.get("tags", [])
        tree = ast.parse(cell.source)
        stubs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert [s.name for s in stubs] == names
        for stub in stubs:
            reference = getattr(exercise_solutions, stub.name)
            signature = f"({ast.unparse(stub.args)})"
            assert signature == str(inspect.signature(reference)), stub.name
            assert ast.get_docstring(stub) == inspect.getdoc(reference), stub.name
            assert ast.unparse(stub.body[1:]) == "raise NotImplementedError", stub.name
        calls = [ast.unparse(n) for n in tree.body[-len(names) :]]
        assert calls == [f"_ = check('{n}', {n})" for n in names]
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert text == "".join(f"{n}: not implemented yet\n" for n in names)
        namespace: dict = {}
        exec(cell.source, namespace)  # noqa: S102  the stub as handed out
        assert capsys.readouterr().out == text


# ---- what the checks say about typical mistakes ----------------------------------------------


def _fails_with(name, fn, capsys, *expected):
    assert check(name, fn) is False
    out = capsys.readouterr().out
    for text in expected:
        assert text in out, out
    return out


def test_running_variance_by_mean_of_squares_fails_on_large_values(capsys):
    def naive(x):
        t = np.arange(1, len(x) + 1)
        return np.cumsum(x * x) / t - (np.cumsum(x) / t) ** 2

    out = _fails_with("running_variance", naive, capsys, "near 10^4): var is off by")
    assert out.count("var is off by") == 1  # exact enough everywhere else


def test_top_m_must_set_the_rest_to_minus_infinity(capsys):
    def zeros(logits, m):
        cut = np.sort(logits, axis=-1)[..., -m][..., None]
        return np.where(logits >= cut, logits, 0.0)

    _fails_with("top_m", zeros, capsys, "out is off by inf", "expected -inf, got 0")


def test_top_m_keeping_one_too_many_fails(capsys):
    def one_more(logits, m):
        return exercise_solutions.top_m(logits, min(m + 1, logits.shape[-1]))

    _fails_with("top_m", one_more, capsys, "case 1 (logits (1, 5), m=1): out is off by inf")


def test_cs231n_layout_without_reordering_fails(capsys):
    _fails_with("to_cs231n_layout", lambda Wx: Wx.T, capsys, "W is off by")
    _fails_with("from_cs231n_layout", lambda W: W.T, capsys, "Wx is off by")


def test_merge_biases_must_keep_b_hn_in_bh(capsys):
    def all_moved(bx, bh):
        return bx + bh, np.zeros_like(bh)

    _fails_with("merge_biases", all_moved, capsys, "bx2 is off by")


def test_clip_by_l2_norm_is_not_the_infinity_norm(capsys):
    _fails_with("clip_grad_norm_inf", layers.clip_grad_norm, capsys, "clipped[0] is off by")


def test_cifg_with_an_independent_input_gate_fails(capsys):
    def wrong(x, h_prev, c_prev, Wx, Wh, b):
        H = h_prev.shape[1]
        a = x @ Wx.T + h_prev @ Wh.T + b
        f, g, o = layers.sigmoid(a[:, :H]), np.tanh(a[:, H : 2 * H]), layers.sigmoid(a[:, 2 * H :])
        c = f * c_prev + g  # i = 1, not 1 - f
        return o * np.tanh(c), c

    _fails_with("cifg_step", wrong, capsys, "h_next is off by")


def test_masked_rnn_forward_that_reads_the_padding_fails(capsys):
    def unmasked(x, lengths, Wx, Wh, b):
        return layers.rnn_forward(x, np.zeros((x.shape[0], Wh.shape[0])), Wx, Wh, b)[0][:, -1]

    out = _fails_with("masked_rnn_forward", unmasked, capsys, "h is off by")
    assert "case 3 " not in out  # every length T: right there
