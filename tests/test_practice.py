"""helpers.practice: check() passes the course's own functions and names what is wrong in others."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from helpers import layers, practice
from helpers.practice import EXERCISES, NOTEBOOK_EXERCISES, OUTPUTS, check, use

ROOT = Path(__file__).resolve().parent.parent
NAMES = list(EXERCISES)
# the verdicts below hold for the end-of-notebook exercises too (tests/test_exercise_checks.py)
CHECKED = [*EXERCISES, *NOTEBOOK_EXERCISES]


def _compared(name: str) -> list[str]:
    """The names of the outputs that check compares, in order (the cache is not compared)."""
    outputs = OUTPUTS[name]
    return [outputs] if isinstance(outputs, str) else [o for o in outputs if o != "cache"]


def _map_outputs(name: str, result, change):
    """result with change(value, output_name) applied to every compared output, in order."""
    outputs = OUTPUTS[name]
    if isinstance(outputs, str):
        return change(result, outputs)
    return tuple(r if o == "cache" else change(r, o) for o, r in zip(outputs, result, strict=True))


def _scale(value, _name):
    """Every array or number times (1 + 1e-6); lists (clip_grad_norm's clipped) item by item."""
    if isinstance(value, list):
        return [_scale(v, _name) for v in value]
    return value * (1 + 1e-6)


def _scaled(name: str):
    reference = practice._reference(name)

    def fn(*args, **kwargs):
        return _map_outputs(name, reference(*args, **kwargs), _scale)

    return fn


def _transposed(name: str, altered: list[str]):
    """The reference, but its first compared output of 2 or more dimensions is transposed.

    Where no output has 2 dimensions (cross_entropy's and ctc_loss's loss are scalars or
    (N,); clip_grad_norm on a single 1-D gradient), the first compared output gets an extra
    leading axis instead: the value as a 1-element array, a wrong shape all the same.
    The names of the outputs changed are appended to ``altered``.
    """
    reference = practice._reference(name)

    def fn(*args, **kwargs):
        result = reference(*args, **kwargs)
        done = []

        def change(value, output, transpose):
            if done:
                return value
            if isinstance(value, list):
                return [change(v, f"{output}[{i}]", transpose) for i, v in enumerate(value)]
            if transpose and np.ndim(value) < 2:
                return value
            done.append(output)
            return np.asarray(value).T if transpose else np.asarray(value)[None]

        changed = _map_outputs(name, result, lambda v, o: change(v, o, True))
        if not done:
            changed = _map_outputs(name, result, lambda v, o: change(v, o, False))
        altered.extend(done)
        return changed

    return fn


def _not_implemented(*args, **kwargs):
    raise NotImplementedError


def _spoil(value) -> None:
    """Overwrite every array inside value (tuples, lists, dicts) in place; empty the lists."""
    if isinstance(value, np.ndarray):
        value[...] = np.nan if value.dtype.kind == "f" else 0
    elif isinstance(value, dict):
        for v in value.values():
            _spoil(v)
    elif isinstance(value, tuple | list):
        for v in value:
            _spoil(v)
        if isinstance(value, list):
            value.clear()


def _mutating(name: str):
    """The reference's right answer, after which every input is overwritten in place."""
    reference = practice._reference(name)

    def fn(*args, **kwargs):
        result = copy.deepcopy(reference(*args, **kwargs))
        _spoil(args)
        _spoil(kwargs)
        return result

    return fn


# ---- the list of exercises ---------------------------------------------------------------


def _exported_source(notebook: str) -> str:
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    sources = ("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return "\n".join(s for s in sources if s.startswith("#| export"))


def test_every_required_exercise_is_listed():
    required = """rnn_step_forward rnn_forward rnn_step_backward rnn_backward softmax cross_entropy
        cross_entropy_backward ctc_loss clip_grad_norm lstm_step_forward lstm_step_backward
        gru_step_forward gru_step_backward stacked_lstm_forward bidirectional_lstm_forward
        embedding_backward attention_scores attention softmax_temperature conv2d_forward
        conv2d_backward maxpool2d_forward""".split()
    assert set(required) <= set(EXERCISES)
    assert set(OUTPUTS) == set(EXERCISES) | set(NOTEBOOK_EXERCISES)
    assert not set(EXERCISES) & set(NOTEBOOK_EXERCISES)


@pytest.mark.parametrize("name", NAMES)
def test_exercise_exists_in_layers_and_in_its_notebook(name):
    description, notebook = EXERCISES[name]
    assert name in layers.__all__ and callable(getattr(layers, name))
    assert description and "\n" not in description
    assert (ROOT / "notebooks" / notebook).is_file(), notebook
    assert f"def {name}(" in _exported_source(notebook), f"{notebook} does not export {name}"


@pytest.mark.parametrize("name", CHECKED)
def test_cases_are_fixed(name, monkeypatch):
    """The same cases on every call, whatever COURSE_SEED says: every learner gets one check."""
    first = practice._SPECS[name].cases(np.random.default_rng(practice._CASE_SEED))
    monkeypatch.setenv("COURSE_SEED", "12345")
    again = practice._SPECS[name].cases(np.random.default_rng(practice._CASE_SEED))
    assert len(first) >= 5
    assert [c.label for c in first] == [c.label for c in again]
    for a, b in zip(first, again, strict=True):
        _assert_same(a.args, b.args)
        _assert_same(a.kwargs, b.kwargs)


def _assert_same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _assert_same(a[key], b[key])
    elif isinstance(a, tuple | list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _assert_same(x, y)
    else:
        np.testing.assert_array_equal(a, b)


# ---- the verdicts demanded by issue 20 -----------------------------------------------------


@pytest.mark.parametrize("name", CHECKED)
def test_reference_passes(name, capsys):
    assert check(name, practice._reference(name)) is True
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith(f"{name}: all ") and out[0].endswith(" cases pass")


@pytest.mark.parametrize("name", CHECKED)
def test_outputs_off_by_one_part_in_a_million_fail(name, capsys):
    assert check(name, _scaled(name)) is False
    lines = capsys.readouterr().out.splitlines()
    first = _compared(name)[0]
    assert any(f"{first} is off by" in line or f"{first}[0] is off by" in line for line in lines)
    assert lines[-1].startswith(f"{name}: ") and lines[-1].endswith(" cases fail")
    # one line per failing case, each naming the case and a compared output
    for line in lines[:-1]:
        assert line.startswith(f"{name}: case ") and " is off by " in line
        assert any(f"): {o}" in line for o in _compared(name)), line


@pytest.mark.parametrize("name", CHECKED)
def test_transposed_output_fails(name, capsys):
    altered: list[str] = []
    assert check(name, _transposed(name, altered)) is False
    out = capsys.readouterr().out
    assert altered
    assert any(f"{a} has shape" in out or f"{a} is off by" in out for a in set(altered)), out


@pytest.mark.parametrize("name", CHECKED)
def test_not_implemented(name, capsys):
    assert check(name, _not_implemented) is False
    assert capsys.readouterr().out == f"{name}: not implemented yet\n"


@pytest.mark.parametrize("name", CHECKED)
def test_fn_that_changes_its_inputs_cannot_change_the_reference(name, capsys):
    assert check(name, _mutating(name)) is True
    assert check(name, practice._reference(name)) is True  # and the next check is unharmed
    assert capsys.readouterr().out.count("cases pass") == 2


# ---- use ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["rnn_step_forward", "attention", "clip_grad_norm", "merge_biases", "top_m"]
)
def test_use_returns_fn_when_right_and_the_reference_otherwise(name, capsys):
    reference = practice._reference(name)

    def mine(*args, **kwargs):
        return reference(*args, **kwargs)

    assert use(name, mine) is mine
    assert "using the course's" not in capsys.readouterr().out
    assert use(name, _scaled(name)) is reference
    assert use(name, _not_implemented) is reference
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"using the course's {name} so the notebook can go on"
    assert lines[-2] == f"{name}: not implemented yet"


# ---- arguments and messages ----------------------------------------------------------------


@pytest.mark.parametrize("function", [check, use])
def test_unknown_name_raises(function):
    with pytest.raises(ValueError, match=r"name must be one of .*rnn_step_forward.*'rnn_step'"):
        function("rnn_step", layers.rnn_step_forward)


def test_fn_must_be_callable():
    with pytest.raises(ValueError, match="fn must be a function, got NoneType"):
        check("softmax", None)


def test_wrong_number_of_values(capsys):
    assert not check("rnn_step_backward", lambda dh, cache: layers.rnn_step_backward(dh, cache)[:4])
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "rnn_step_backward: case 1 (N=3, D=4, H=5): returned 4 values, "
        "expected 5 values (dx, dh_prev, dWx, dWh, db)"
    )


def test_forward_without_its_cache(capsys):
    assert not check("rnn_step_forward", lambda *args: layers.rnn_step_forward(*args)[0])
    out = capsys.readouterr().out
    assert "returned one value (an array of shape (3, 5), dtype float64), expected 2" in out


def test_missing_return(capsys):
    assert not check("softmax", lambda x, axis=-1: None)
    assert "p is None (is a return missing?)" in capsys.readouterr().out


def test_wrong_gradient_is_named_with_its_worst_index(capsys):
    def wrong_dWh(dh_next, cache):
        dx, dh_prev, dWx, dWh, db = layers.rnn_step_backward(dh_next, cache)
        dWh = dWh.copy()
        dWh[-1, 0] += 0.5
        return dx, dh_prev, dWx, dWh, db

    assert not check("rnn_step_backward", wrong_dWh)
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("rnn_step_backward: case 1 (N=3, D=4, H=5): dWh is off by ")
    assert "at index (4, 0)" in first


def test_other_exception_is_brief(capsys):
    def broken(x, h_prev, Wx, Wh, b):
        return np.tanh(x @ Wx + h_prev @ Wh.T + b), None  # Wx not transposed

    assert not check("rnn_step_forward", broken)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("rnn_step_forward: case 1 (N=3, D=4, H=5) raised ValueError: ")
    assert "of broken)" in lines[0] and "Traceback" not in "\n".join(lines)
    assert lines[-1].endswith(" cases fail")


def test_float32_result_is_reported_with_its_dtype(capsys):
    assert not check("softmax", lambda x, axis=-1: layers.softmax(x.astype(np.float32), axis))
    assert "(dtype float32, expected float64)" in capsys.readouterr().out


def test_nan_counts_as_the_largest_error(capsys):
    def naive(x, axis=-1):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(x)
            return e / e.sum(axis=axis, keepdims=True)

    assert not check("softmax", naive)
    out = capsys.readouterr().out
    assert "case 6 (x (2, 6) in [-1000, 1000]): p is off by nan" in out and "got nan" in out
    assert "case 1 " not in out  # small logits: the naive softmax is right there
