"""Practice: check a learner's own implementation of a course function.

A practice notebook gives the signature and the docstring of a function of
``helpers.layers``; the learner writes the body, and ``check`` runs it on a fixed set of
generated cases against the course's implementation::

    from helpers.practice import check, use

    check("rnn_step_forward", rnn_step_forward)  # one line per failing case, or "all K cases pass"
    rnn_step_forward = use("rnn_step_forward", rnn_step_forward)  # the course's one if yours fails

Every case is float64 and compared at a relative tolerance of ``TOLERANCE``:
error = max |got - expected| / max(1, max |expected|), output by output. A forward function's
cache is not compared (its layout is the learner's choice); a backward function is given the
cache made by the course's forward function, so it must read the layout that the forward's
docstring in ``helpers.layers`` describes. Letters in the case labels: N batch, T steps,
D input, H hidden, C channels or classes, V vocabulary, F filters, K kernel, S stride, P padding.

``EXERCISES`` maps each name to its description and the notebook (in notebooks/) that teaches
it. ``NOTEBOOK_EXERCISES`` adds the end-of-notebook exercises whose answer is a function: their
references are in ``helpers.exercise_solutions`` (the solutions folded in the notebooks), and
``check`` runs them the same way. ``OUTPUTS`` names each function's returned values, as check's
messages do.
"""

from __future__ import annotations

import copy
import traceback
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from helpers import exercise_solutions, layers
from helpers.checks import to_numpy

TOLERANCE = 1e-10
# A literal seed, deliberately NOT shifted by COURSE_SEED (helpers.seeding): the checks must
# be the same for every learner, on every machine and every run.
_CASE_SEED = 20_240_601


class Exercise(NamedTuple):
    """What an exercise asks for, and the notebook (a file in notebooks/) that teaches it."""

    description: str
    notebook: str


class NotebookExercise(NamedTuple):
    """An end-of-notebook exercise whose answer is a function: the notebook and its number."""

    description: str
    notebook: str
    number: int


class Case(NamedTuple):
    """One call of the function: a label naming its shapes, positional and keyword arguments."""

    label: str
    args: tuple
    kwargs: dict


class _Spec(NamedTuple):
    outputs: tuple[str, ...] | str  # a str: the function returns one value
    cases: Callable[[np.random.Generator], list[Case]]
    reference: Callable | None = None  # None: helpers.layers.<name>


_NB02, _NB03, _NB04 = "02_recurrent_step.ipynb", "03_activations_losses.ipynb", "04_bptt.ipynb"
_NB05, _NB06, _NB07 = "05_vanishing_exploding.ipynb", "06_lstm.ipynb", "07_gru.ipynb"
_NB08, _NB10 = "08_deep_bidirectional.ipynb", "10_sentiment.ipynb"
_NB12, _NB14, _NB16 = "12_text_generation.ipynb", "14_attention.ipynb", "16_convolution.ipynb"
_NB13 = "13_seq2seq.ipynb"
_NB15 = "15_rnn_vs_transformer.ipynb"

EXERCISES: dict[str, Exercise] = {
    "rnn_step_forward": Exercise("one tanh RNN step, h_t = tanh(W_x x_t + W_h h_{t-1} + b)", _NB02),
    "rnn_forward": Exercise("the tanh RNN over whole sequences, step after step", _NB02),
    "rnn_step_backward": Exercise("the gradients of one RNN step", _NB04),
    "rnn_backward": Exercise("backpropagation through time over whole sequences", _NB04),
    "softmax": Exercise("softmax along an axis, stable for any finite input", _NB03),
    "cross_entropy": Exercise("mean cross-entropy of softmax(logits) against class indices", _NB03),
    "cross_entropy_backward": Exercise("the cross-entropy's gradient, (p - onehot) / N", _NB03),
    "ctc_loss": Exercise("the CTC loss by the forward algorithm, as F.ctc_loss", _NB03),
    "clip_grad_norm": Exercise("clipping by the joint L2 norm, as clip_grad_norm_", _NB05),
    "lstm_step_forward": Exercise("one LSTM step, gates i, f, g, o", _NB06),
    "lstm_step_backward": Exercise("the gradients of one LSTM step", _NB06),
    "gru_step_forward": Exercise("one GRU step as PyTorch computes it, gates r, z, n", _NB07),
    "gru_step_backward": Exercise("the gradients of one GRU step", _NB07),
    "stacked_lstm_forward": Exercise("a deep LSTM as nn.LSTM(num_layers=L, ...)", _NB08),
    "bidirectional_lstm_forward": Exercise("one bidirectional LSTM layer", _NB08),
    "embedding_backward": Exercise("the gradient of an embedding lookup", _NB10),
    "softmax_temperature": Exercise("softmax(logits / temperature) for sampling", _NB12),
    "attention_scores": Exercise("dot, scaled dot, general and additive scores", _NB14),
    "attention": Exercise("attention weights and context vectors, with masks", _NB14),
    "attention_backward": Exercise("the gradients of scaled dot-product attention", _NB14),
    "positional_encoding": Exercise("sinusoidal positional encodings, shape (T, d)", _NB15),
    "conv2d_forward": Exercise("2-D convolution with stride and padding", _NB16),
    "conv2d_backward": Exercise("the gradients of a 2-D convolution", _NB16),
    "maxpool2d_forward": Exercise("max pooling over square windows", _NB16),
    # beyond the list of issue 20: more of what the notebooks derive
    "sigmoid": Exercise("the logistic sigmoid, stable for any finite input", _NB03),
    "log_softmax": Exercise("log softmax by log-sum-exp", _NB03),
    "lstm_forward": Exercise("the LSTM over whole sequences", _NB06),
    "lstm_backward": Exercise("backpropagation through time for the LSTM", _NB06),
    "gru_forward": Exercise("the GRU over whole sequences", _NB07),
    "gru_backward": Exercise("backpropagation through time for the GRU", _NB07),
    "maxpool2d_backward": Exercise("the gradient of max pooling", _NB16),
    "beam_search": Exercise("beam search over a decoder step, with length normalisation", _NB13),
}

_NB01, _NB17 = "01_sequences.ipynb", "17_cnns_in_practice.ipynb"

NOTEBOOK_EXERCISES: dict[str, NotebookExercise] = {
    "running_variance": NotebookExercise("Welford's one-pass running variance", _NB01, 1),
    "relu_rnn_forward": NotebookExercise("the RNN with ReLU in place of tanh", _NB02, 3),
    "bce_with_logits": NotebookExercise(
        "binary cross-entropy from logits, and its gradient", _NB03, 1
    ),
    "softmax_vjp": NotebookExercise("softmax's vector-Jacobian product, no C x C matrix", _NB03, 2),
    "clip_grad_norm_inf": NotebookExercise("clipping by the largest absolute entry", _NB05, 3),
    "cifg_step": NotebookExercise("one LSTM step with coupled gates, i = 1 - f", _NB06, 1),
    "to_cs231n_layout": NotebookExercise("W_x (4H, D), i f g o -> (D, 4H), i f o g", _NB06, 3),
    "from_cs231n_layout": NotebookExercise("W (D, 4H), i f o g -> (4H, D), i f g o", _NB06, 3),
    "merge_biases": NotebookExercise("the GRU's r and z biases moved from bh to bx", _NB07, 3),
    "bidirectional_gru_forward": NotebookExercise("one bidirectional GRU layer", _NB08, 3),
    "masked_rnn_forward": NotebookExercise("an RNN whose state freezes after the end", _NB10, 3),
    "top_m": NotebookExercise("the m largest logits of each row kept, the rest -inf", _NB12, 1),
    "conv2d_im2col": NotebookExercise("convolution as one matrix product (im2col)", _NB16, 2),
}


# ---- checking ----------------------------------------------------------------------------


def check(name: str, fn: Callable) -> bool:
    """Run ``fn`` on every case of exercise ``name`` and compare it with the course's function.

    name: a key of ``EXERCISES`` (compared with ``helpers.layers.<name>``) or of
    ``NOTEBOOK_EXERCISES`` (with ``helpers.exercise_solutions.<name>``); fn: the learner's
    function, with the signature of the course's. Prints one line per failing case (its
    shapes, the output that is wrong, the shapes or the largest error and where), then a
    summary; or "name: all K cases pass".
    A function raising NotImplementedError gets "name: not implemented yet".
    Returns True only when every case passes.
    """
    spec = _spec(name)
    if not callable(fn):
        raise ValueError(f"fn must be a function, got {type(fn).__name__}")
    cases = spec.cases(np.random.default_rng(_CASE_SEED))
    failures = 0
    for k, case in enumerate(cases, start=1):
        try:
            problem = _run_case(name, fn, case, spec.outputs)
        except NotImplementedError:
            print(f"{name}: not implemented yet")
            return False
        if problem is not None:
            print(f"{name}: case {k} ({case.label}){problem}")
            failures += 1
    if failures:
        print(f"{name}: {failures} of {len(cases)} cases fail")
        return False
    print(f"{name}: all {len(cases)} cases pass")
    return True


def use(name: str, fn: Callable) -> Callable:
    """``fn`` if ``check(name, fn)`` passes, else the course's function (see ``check``).

    Lets a practice notebook go on past an unfinished exercise; says so in one line.
    """
    if check(name, fn):
        return fn
    print(f"using the course's {name} so the notebook can go on")
    return _reference(name)


def _spec(name: str) -> _Spec:
    if name not in _SPECS:
        raise ValueError(f"name must be one of {', '.join(_SPECS)}; got {name!r}")
    return _SPECS[name]


def _reference(name: str) -> Callable:
    """The course's function for exercise ``name``: its spec's reference, else helpers.layers'."""
    reference = _spec(name).reference
    return getattr(layers, name) if reference is None else reference


def _run_case(name: str, fn: Callable, case: Case, outputs) -> str | None:
    """None when fn matches the reference on this case, else the rest of the line to print.

    Both functions get their own deep copies of the inputs, so neither can change what the
    other sees. NotImplementedError from fn propagates.
    """
    reference = _reference(name)
    expected = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
    try:
        got = fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
    except NotImplementedError:
        raise
    except Exception as error:  # the learner's bug, shown briefly with the case
        return f" raised {_brief(error, fn)}"
    problem = _mismatch(expected, got, outputs)
    return None if problem is None else f": {problem}"


def _brief(error: Exception, fn: Callable) -> str:
    """'TypeError: message (line L of fn)', the message's first line cut at 200 characters."""
    lines = str(error).strip().splitlines()
    message = lines[0] if lines else ""
    if len(message) > 200:
        message = message[:197] + "..."
    code = getattr(fn, "__code__", None)
    frames = traceback.extract_tb(error.__traceback__)
    mine = [f for f in frames if code is not None and f.filename == code.co_filename]
    where = f" (line {mine[-1].lineno} of {fn.__name__})" if mine else ""
    return f"{type(error).__name__}: {message}{where}"


def _mismatch(expected, got, outputs) -> str | None:
    """The first difference between the reference's results and fn's, or None.

    outputs: the names of the returned values (a str for one value); "cache" is not compared.
    """
    if isinstance(outputs, str):
        if isinstance(got, tuple):
            return f"returned {_count(got)}, expected one ({outputs})"
        return _value_mismatch(outputs, expected, got)
    if not isinstance(got, tuple | list) or len(got) != len(outputs):
        return f"returned {_count(got)}, expected {len(outputs)} values ({', '.join(outputs)})"
    for output, want, have in zip(outputs, expected, got, strict=True):
        problem = None if output == "cache" else _value_mismatch(output, want, have)
        if problem is not None:
            return problem
    return None


def _count(value) -> str:
    if isinstance(value, tuple | list):
        return f"{len(value)} value{'s' if len(value) != 1 else ''}"
    return "None" if value is None else f"one value ({_describe(value)})"


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}, dtype {value.dtype}"
    return "None" if value is None else type(value).__name__


def _value_mismatch(output: str, expected, got) -> str | None:
    """Compare one returned value: an array or a number, or a list of arrays (clip_grad_norm)."""
    if not isinstance(expected, list):
        return _array_mismatch(output, expected, got)
    if not isinstance(got, tuple | list) or len(got) != len(expected):
        return f"{output} should be a list of {len(expected)} arrays, got {_count(got)}"
    for i, (want, have) in enumerate(zip(expected, got, strict=True)):
        problem = _array_mismatch(f"{output}[{i}]", want, have)
        if problem is not None:
            return problem
    return None


def _array_mismatch(output: str, expected, got) -> str | None:
    """Shapes first, then the largest relative error and its index; None within TOLERANCE."""
    if got is None:
        return f"{output} is None (is a return missing?)"
    expected = to_numpy(expected)
    try:
        got = to_numpy(got)
    except (TypeError, ValueError):
        return f"{output} should be an array of shape {expected.shape}, got {type(got).__name__}"
    if got.dtype.kind not in "biuf":
        return f"{output} should be a float array of shape {expected.shape}, got {_describe(got)}"
    if got.shape != expected.shape:
        return f"{output} has shape {got.shape}, expected shape {expected.shape}"
    # the scale and the error over finite values; an infinity must be matched exactly (top_m)
    scale = max(1.0, float(np.max(np.abs(expected[np.isfinite(expected)]), initial=0.0)))
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.abs(got.astype(np.float64) - expected)
        gap = np.where(got == expected, 0.0, gap)
        error = float(np.max(gap, initial=0.0)) / scale  # NaN when any entry is NaN
        if error <= TOLERANCE:
            return None
    gap = np.where(np.isnan(gap), np.inf, gap)  # NaN counts as the worst error
    index = np.unravel_index(np.argmax(gap), gap.shape)
    where = f" at index {tuple(int(i) for i in index)}" if gap.ndim else ""
    dtype = (
        f" (dtype {got.dtype}, expected {expected.dtype})" if got.dtype != expected.dtype else ""
    )
    return (
        f"{output} is off by {error:.1e} (relative; tolerance {TOLERANCE:.0e}){where}: "
        f"expected {float(expected[index]):.10g}, got {float(got[index]):.10g}{dtype}"
    )


# ---- the cases: recurrent cells ----------------------------------------------------------

_STEP_SIZES = ((3, 4, 5), (1, 3, 2), (4, 1, 1), (2, 6, 3), (1, 1, 1))  # (N, D, H)
_SEQ_SIZES = ((3, 5, 4, 6), (1, 1, 3, 2), (1, 6, 2, 3), (4, 1, 5, 3), (2, 3, 1, 1))  # (N, T, D, H)
_SATURATED = 6.0  # a weight scale that drives tanh and the sigmoids into saturation
# cell -> (gate blocks in Wx, state arrays (h; h and c), bias vectors); cifg: notebook 06's
# exercise 1, an LSTM without the input gate
_CELLS = {"rnn": (1, 1, 1), "lstm": (4, 2, 1), "gru": (3, 1, 2), "cifg": (3, 2, 1)}


def _cell_weights(rng, cell: str, D: int, H: int, scale: float = 1.0) -> list[np.ndarray]:
    """Wx (G H, D), Wh (G H, H) and the bias vectors (G H,) of a cell with G gate blocks."""
    gates, _, biases = _CELLS[cell]
    shapes = [(gates * H, D), (gates * H, H)] + [(gates * H,)] * biases
    return [0.5 * scale * rng.standard_normal(shape) for shape in shapes]


def _cell_inputs(rng, cell: str, sequence: bool) -> list[tuple[str, tuple]]:
    """(label, forward arguments) of every random case of a cell's step or sequence forward.

    Step: x (N, D), states (N, H) each, then the weights; sequence: x (N, T, D) instead.
    The last case has large weights (saturated gates).
    """
    _, states, _ = _CELLS[cell]
    sizes = _SEQ_SIZES if sequence else tuple((N, None, D, H) for N, D, H in _STEP_SIZES)
    cases = []
    for (N, T, D, H), scale in [(s, 1.0) for s in sizes] + [(sizes[0], _SATURATED)]:
        x = rng.standard_normal((N, T, D) if sequence else (N, D))
        state = [rng.standard_normal((N, H)) for _ in range(states)]
        label = f"N={N}, T={T}, D={D}, H={H}" if sequence else f"N={N}, D={D}, H={H}"
        label += ", saturated gates" if scale > 1 else ""
        cases.append((label, (x, *state, *_cell_weights(rng, cell, D, H, scale))))
    return cases


def _forward_cases(cell: str, sequence: bool) -> Callable[[np.random.Generator], list[Case]]:
    def cases(rng):
        return [Case(label, args, {}) for label, args in _cell_inputs(rng, cell, sequence)]

    return cases


def _backward_cases(cell: str, sequence: bool) -> Callable[[np.random.Generator], list[Case]]:
    """Cases (upstream gradients, cache) with the cache of the course's forward function.

    Upstream: dh_next (N, H) for a step (and dc_next for the LSTM), dh (N, T, H) for a sequence.
    """
    forward = getattr(layers, f"{cell}_forward" if sequence else f"{cell}_step_forward")
    n_upstream = 2 if cell == "lstm" and not sequence else 1

    def cases(rng):
        built = []
        for label, args in _cell_inputs(rng, cell, sequence):
            *outs, cache = forward(*args)
            upstream = [rng.standard_normal(outs[0].shape) for _ in range(n_upstream)]
            built.append(Case(label, (*upstream, cache), {}))
        return built

    return cases


def _worked_example() -> tuple[np.ndarray, ...]:
    """Notebook 02's worked example: x (1, 3, 2) = [1, 2], [0, 1], [1, 0]; Wx, Wh (2, 2); b (2,)."""
    x = np.array([[[1.0, 2.0], [0.0, 1.0], [1.0, 0.0]]])
    Wx = np.array([[0.1, 0.2], [0.3, 0.4]])
    Wh = np.array([[0.5, 0.6], [0.7, 0.8]])
    return x, Wx, Wh, np.array([0.1, 0.1])


def _rnn_step_cases(rng) -> list[Case]:
    x, Wx, Wh, b = _worked_example()
    h1 = np.tanh(np.array([[0.6, 1.2]]))  # h_1 of the worked example
    return _forward_cases("rnn", sequence=False)(rng) + [
        Case("notebook 02's worked example, step 1", (x[:, 0], np.zeros((1, 2)), Wx, Wh, b), {}),
        Case("notebook 02's worked example, step 2", (x[:, 1], h1, Wx, Wh, b), {}),
    ]


def _rnn_cases(rng) -> list[Case]:
    x, Wx, Wh, b = _worked_example()
    worked = Case("notebook 02's worked example, 3 steps", (x, np.zeros((1, 2)), Wx, Wh, b), {})
    return [*_forward_cases("rnn", sequence=True)(rng), worked]


def _lstm_params(rng, D: int, H: int, scale: float = 1.0) -> dict[str, np.ndarray]:
    """{"Wx": (4H, D), "Wh": (4H, H), "b": (4H,)}, one LSTM direction of one layer."""
    Wx, Wh, b = _cell_weights(rng, "lstm", D, H, scale)
    return {"Wx": Wx, "Wh": Wh, "b": b}


def _bidirectional_cases(rng) -> list[Case]:
    """x (N, T, D), h0 and c0 (2, N, H), and the two directions' weight dicts."""
    cases = []
    for (N, T, D, H), scale in [(s, 1.0) for s in _SEQ_SIZES] + [(_SEQ_SIZES[0], _SATURATED)]:
        x = rng.standard_normal((N, T, D))
        h0, c0 = rng.standard_normal((2, N, H)), rng.standard_normal((2, N, H))
        fwd, bwd = _lstm_params(rng, D, H, scale), _lstm_params(rng, D, H, scale)
        label = f"N={N}, T={T}, D={D}, H={H}" + (", saturated gates" if scale > 1 else "")
        cases.append(Case(label, (x, h0, c0, fwd, bwd), {}))
    return cases


def _stacked_cases(rng) -> list[Case]:
    """x (N, T, D), h0 and c0 (L K, N, H), L K weight dicts; K = 2 when bidirectional."""
    settings = (  # N, T, D, H, L, bidirectional, residual
        (2, 4, 3, 5, 2, False, False),
        (1, 1, 2, 3, 1, False, False),
        (3, 5, 4, 2, 2, True, False),
        (1, 3, 3, 4, 3, False, True),
        (2, 1, 2, 3, 2, True, True),
        (1, 6, 1, 1, 1, True, False),
    )
    cases = []
    for N, T, D, H, L, bidirectional, residual in settings:
        K = 2 if bidirectional else 1
        x = rng.standard_normal((N, T, D))
        h0, c0 = rng.standard_normal((L * K, N, H)), rng.standard_normal((L * K, N, H))
        params = [_lstm_params(rng, D if i < K else K * H, H) for i in range(L * K)]
        kwargs = {"bidirectional": True} if bidirectional else {}
        kwargs |= {"residual": True} if residual else {}
        flags = "".join(f", {key}" for key in kwargs)
        cases.append(Case(f"N={N}, T={T}, D={D}, H={H}, L={L}{flags}", (x, h0, c0, params), kwargs))
    return cases


# ---- the cases: activations and losses ---------------------------------------------------


def _softmax_cases(rng) -> list[Case]:
    """x of several shapes and axes; logits up to +-1000 (a naive exp overflows)."""
    ties = np.array([[1000.0, 1000.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    return [
        Case("x (3, 5)", (rng.standard_normal((3, 5)),), {}),
        Case("x (1, 1)", (rng.standard_normal((1, 1)),), {}),
        Case("x (4,)", (rng.standard_normal(4),), {}),
        Case("x (2, 3, 4), axis=1", (rng.standard_normal((2, 3, 4)),), {"axis": 1}),
        Case("x (3, 4), axis=0", (rng.standard_normal((3, 4)),), {"axis": 0}),
        Case("x (2, 6) in [-1000, 1000]", (rng.uniform(-1000, 1000, (2, 6)),), {}),
        Case("x (2, 3), ties at +-1000", (ties,), {}),
    ]


def _sigmoid_cases(rng) -> list[Case]:
    """x of several shapes, values up to +-1000 (a naive exp(-x) overflows)."""
    return [
        Case("x (3, 5)", (rng.standard_normal((3, 5)),), {}),
        Case("x (1, 1)", (rng.standard_normal((1, 1)),), {}),
        Case("x (4,)", (rng.standard_normal(4),), {}),
        Case("x (2, 3, 4)", (3.0 * rng.standard_normal((2, 3, 4)),), {}),
        Case("x (2, 6) in [-1000, 1000]", (rng.uniform(-1000, 1000, (2, 6)),), {}),
    ]


def _class_cases(rng) -> list[Case]:
    """logits (N, C) and targets (N,) int64; large logits; C = 1; one class for every target."""
    sizes = ((4, 5, 3.0), (1, 3, 1.0), (6, 2, 1.0), (3, 1, 1.0), (5, 7, 1000.0), (4, 3, 1.0))
    cases = []
    for N, C, scale in sizes:
        logits = rng.uniform(-scale, scale, (N, C))
        same = (N, C) == (4, 3)
        targets = np.full(N, 2) if same else rng.integers(0, C, N)
        label = f"N={N}, C={C}" + (f", logits in [-{scale:g}, {scale:g}]" if scale > 10 else "")
        cases.append(Case(label + (", every target 2" if same else ""), (logits, targets), {}))
    return cases


def _log_probs(rng, T: int, N: int, C: int, scale: float = 1.0) -> np.ndarray:
    return layers.log_softmax(scale * rng.standard_normal((T, N, C)), axis=2)


def _ctc_cases(rng) -> list[Case]:
    """log_probs (T, N, C), targets (N, U_max) padded or 1-D, input_lengths, target_lengths (N,).

    Every input is long enough for its target (2 L frames), so every loss is finite.
    """
    ints = np.array
    return [
        Case(
            "T=8, N=3, C=5, targets (3, 3) padded",
            (
                _log_probs(rng, 8, 3, 5),
                rng.integers(1, 5, (3, 3)),
                ints([8, 7, 8]),
                ints([3, 2, 1]),
            ),
            {},
        ),
        Case("T=1, N=1, C=3", (_log_probs(rng, 1, 1, 3), ints([[2]]), ints([1]), ints([1])), {}),
        Case(
            "T=6, N=2, C=4, repeated labels, reduction='none'",
            (_log_probs(rng, 6, 2, 4), ints([[1, 1, 2], [3, 3, 0]]), ints([6, 5]), ints([3, 2])),
            {"reduction": "none"},
        ),
        Case(
            "T=7, N=3, C=6, targets 1-D (concatenated), an empty target, reduction='sum'",
            (_log_probs(rng, 7, 3, 6), ints([4, 1, 2, 5, 2]), ints([7, 7, 6]), ints([2, 0, 3])),
            {"reduction": "sum"},
        ),
        Case(
            "T=6, N=2, C=5, blank=4",
            (_log_probs(rng, 6, 2, 5), rng.integers(0, 4, (2, 2)), ints([6, 6]), ints([2, 2])),
            {"blank": 4},
        ),
        Case(
            "T=7, N=2, C=4, peaked log_probs (down to about -1000)",
            (
                _log_probs(rng, 7, 2, 4, 200.0),
                rng.integers(1, 4, (2, 2)),
                ints([7, 5]),
                ints([2, 2]),
            ),
            {},
        ),
    ]


def _clip_cases(rng) -> list[Case]:
    """grads: lists of arrays of several shapes (norm about 5); max_norm below, at, above it."""
    grads = [rng.standard_normal(shape) for shape in ((3, 4), (4,), (2, 2, 2))]
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    single = [3.0 * rng.standard_normal(5)]
    mixed = [rng.standard_normal((1, 1)), rng.standard_normal((2, 3))]
    return [
        Case("grads (3, 4), (4,), (2, 2, 2), max_norm=1 (clipped)", (grads, 1.0), {}),
        Case("grads (3, 4), (4,), (2, 2, 2), max_norm=100 (unchanged)", (grads, 100.0), {}),
        Case("grads (5,), max_norm=0.5", (single, 0.5), {}),
        Case("grads (3, 4), (4,), (2, 2, 2), max_norm equal to their norm", (grads, norm), {}),
        Case("grads (3, 4), (4,), (2, 2, 2), max_norm=0", (grads, 0.0), {}),
        Case("grads (1, 1), (2, 3), max_norm=inf", (mixed, float("inf")), {}),
    ]


def _temperature_cases(rng) -> list[Case]:
    """logits (..., V) with temperatures from 0.01 to 10; -inf entries (probability 0)."""
    with_minus_inf = rng.standard_normal((3, 5))
    with_minus_inf[:, 1:][rng.random((3, 4)) < 0.4] = -np.inf  # column 0 stays finite
    return [
        Case("logits (3, 5), default temperature", (rng.standard_normal((3, 5)),), {}),
        Case(
            "logits (1, 1), temperature=0.7", (rng.standard_normal((1, 1)),), {"temperature": 0.7}
        ),
        Case(
            "logits (4, 6), temperature=0.5", (rng.standard_normal((4, 6)),), {"temperature": 0.5}
        ),
        Case(
            "logits (2, 3, 7), temperature=2",
            (rng.standard_normal((2, 3, 7)),),
            {"temperature": 2.0},
        ),
        Case("logits (5,), temperature=10", (rng.standard_normal(5),), {"temperature": 10.0}),
        Case(
            "logits (3, 6) in [-1000, 1000], temperature=0.01",
            (rng.uniform(-1000, 1000, (3, 6)),),
            {"temperature": 0.01},
        ),
        Case(
            "logits (3, 5) with -inf entries, temperature=1.5",
            (with_minus_inf,),
            {"temperature": 1.5},
        ),
    ]


def _embedding_cases(rng) -> list[Case]:
    """dx (*S, D), tokens (*S) int64 in 0..V-1, V; repeated tokens must add up."""
    settings = (  # tokens shape, V, D, note
        ((3, 5), 10, 4, ""),
        ((1, 1), 1, 3, ""),
        ((7,), 5, 2, ""),
        ((2, 3, 4), 6, 2, ""),
        ((4, 6), 8, 3, ", every token 3"),
        ((2, 4), 20, 3, ", most rows unused"),
    )
    cases = []
    for shape, V, D, note in settings:
        tokens = np.full(shape, 3) if "every" in note else rng.integers(0, V, shape)
        dx = rng.standard_normal((*shape, D))
        cases.append(Case(f"tokens {shape}, V={V}, D={D}{note}", (dx, tokens, V), {}))
    return cases


# ---- the cases: attention ----------------------------------------------------------------


def _score_params(rng, score: str, dq: int, dk: int, da: int = 5) -> dict:
    """The keyword arguments of a score: score, and params {"W": (dq, dk)} for "general",
    {"Wq": (da, dq), "Wk": (da, dk), "v": (da,)} for "additive"."""
    if score in ("dot", "scaled_dot"):
        return {"score": score}
    if score == "general":
        return {"score": score, "params": {"W": rng.standard_normal((dq, dk))}}
    params = {
        "Wq": rng.standard_normal((da, dq)),
        "Wk": rng.standard_normal((da, dk)),
        "v": rng.standard_normal(da),
    }
    return {"score": score, "params": params}


def _qkv(rng, N, Tq, Tk, dq, dk, dv=None, scale=1.0) -> tuple[np.ndarray, ...]:
    """q (N, Tq, dq), k (N, Tk, dk) and, when dv is given, v (N, Tk, dv)."""
    q, k = scale * rng.standard_normal((N, Tq, dq)), scale * rng.standard_normal((N, Tk, dk))
    return (q, k) if dv is None else (q, k, rng.standard_normal((N, Tk, dv)))


def _dims(score: str) -> tuple[int, int]:
    """(dq, dk): equal for the dot products, different where params map between them."""
    return (4, 4) if score in ("dot", "scaled_dot") else (3, 5)


def _scores_cases(rng) -> list[Case]:
    """Every score type on q (N, Tq, dq), k (N, Tk, dk); the default score; scores near +-1000."""
    cases = []
    for score in layers.ATTENTION_SCORES:
        dq, dk = _dims(score)
        for N, Tq, Tk in ((2, 3, 4), (1, 1, 5)):
            label = f"N={N}, Tq={Tq}, Tk={Tk}, dq={dq}, dk={dk}, score={score!r}"
            kwargs = _score_params(rng, score, dq, dk)
            cases.append(Case(label, _qkv(rng, N, Tq, Tk, dq, dk), kwargs))
    cases.append(Case("N=3, Tq=4, Tk=1, dq=dk=2, default score", _qkv(rng, 3, 4, 1, 2, 2), {}))
    large = _qkv(rng, 2, 3, 4, 4, 4, scale=20.0)
    cases.append(
        Case("N=2, Tq=3, Tk=4, dq=dk=4, score='dot', scores near +-1000", large, {"score": "dot"})
    )
    return cases


def _random_mask(rng, N: int, Tq: int, Tk: int) -> np.ndarray:
    """(N, Tq, Tk) bool, True = may attend, at least one True in every row."""
    mask = rng.random((N, Tq, Tk)) < 0.5
    np.put_along_axis(mask, rng.integers(0, Tk, (N, Tq, 1)), True, axis=-1)
    return mask


def _attention_cases(rng) -> list[Case]:
    """Every score type with and without a mask; padding and causal masks; default arguments;
    batch 1 with one query and one key; scores near +-1000 (a naive softmax overflows)."""
    cases = []
    for score in layers.ATTENTION_SCORES:
        dq, dk = _dims(score)
        for masked in (False, True):
            N, Tq, Tk, dv = 2, 3, 4, 6
            kwargs = _score_params(rng, score, dq, dk)
            kwargs |= {"mask": _random_mask(rng, N, Tq, Tk)} if masked else {}
            label = f"N={N}, Tq={Tq}, Tk={Tk}, dq={dq}, dk={dk}, dv={dv}, score={score!r}"
            label += ", mask (N, Tq, Tk)" if masked else ""
            cases.append(Case(label, _qkv(rng, N, Tq, Tk, dq, dk, dv), kwargs))
    lengths = np.array([5, 2, 3])
    padding = (np.arange(5) < lengths[:, None])[:, None, :]  # (N, 1, Tk)
    causal = np.tril(np.ones((4, 4), dtype=bool))  # (Tq, Tk)
    large_mask = _random_mask(rng, 2, 3, 4)
    return cases + [
        Case("N=3, Tq=2, Tk=5, dq=dk=dv=3, default arguments", _qkv(rng, 3, 2, 5, 3, 3, 3), {}),
        Case(
            "N=1, Tq=1, Tk=1, dq=3, dk=5, dv=2, score='general'",
            _qkv(rng, 1, 1, 1, 3, 5, 2),
            _score_params(rng, "general", 3, 5),
        ),
        Case(
            "N=3, Tq=2, Tk=5, dq=dk=4, dv=3, padding mask (N, 1, Tk), score='dot'",
            _qkv(rng, 3, 2, 5, 4, 4, 3),
            {"mask": padding, "score": "dot"},
        ),
        Case(
            "N=2, Tq=Tk=4, dq=dk=dv=3, causal mask (Tq, Tk)",
            _qkv(rng, 2, 4, 4, 3, 3, 3),
            {"mask": causal},
        ),
        Case(
            "N=2, Tq=3, Tk=4, dq=dk=4, dv=2, score='dot', scores near +-1000, mask (N, Tq, Tk)",
            _qkv(rng, 2, 3, 4, 4, 4, 2, scale=20.0),
            {"mask": large_mask, "score": "dot"},
        ),
    ]


def _attention_backward_cases(rng) -> list[Case]:
    """d_context and the forward's q, k, v and weights (from helpers.layers.attention with scaled
    dot scores): no mask, a causal and a padding mask, Tq != Tk, batch 1 with one key."""
    settings = (  # N, Tq, Tk, dk, dv, mask kind
        (2, 3, 4, 4, 5, None),
        (2, 4, 4, 3, 3, "causal"),
        (3, 2, 5, 4, 2, "padding"),
        (1, 1, 1, 2, 3, None),
        (1, 5, 3, 6, 1, "random"),
    )
    cases = []
    for N, Tq, Tk, dk, dv, kind in settings:
        q, k, v = _qkv(rng, N, Tq, Tk, dk, dk, dv)
        mask = {
            None: None,
            "causal": np.tril(np.ones((Tq, Tk), dtype=bool)),
            "padding": (np.arange(Tk) < rng.integers(1, Tk + 1, N)[:, None])[:, None, :],
            "random": _random_mask(rng, N, Tq, Tk),
        }[kind]
        _, weights = layers.attention(q, k, v, mask=mask)
        d_context = rng.standard_normal((N, Tq, dv))
        label = f"N={N}, Tq={Tq}, Tk={Tk}, dk={dk}, dv={dv}" + (f", {kind} mask" if kind else "")
        cases.append(Case(label, (d_context, q, k, v, weights), {}))
    return cases


def _positional_cases(rng) -> list[Case]:
    """Several (T, d): one position, the smallest width, a long sequence, a wide model."""
    shapes = ((1, 2), (6, 8), (50, 4), (3, 64), (128, 16))
    return [Case(f"T={T}, d={d}", (T, d), {}) for T, d in shapes]


# ---- the cases: convolution --------------------------------------------------------------

_CONV_SETTINGS = (  # N, C, H, W, F, KH, KW, stride, padding (None: the defaults, not passed)
    (2, 3, 5, 5, 4, 3, 3, 1, 0),
    (1, 1, 4, 4, 1, 1, 1, 1, 0),
    (2, 2, 7, 6, 3, 3, 2, 2, 1),
    (1, 3, 5, 5, 2, 5, 5, 1, 2),
    (3, 2, 7, 7, 2, 3, 3, 3, 0),
    (1, 2, 6, 5, 3, 2, 3, 2, 0),
    (2, 1, 4, 5, 2, 2, 2, None, None),
)


def _conv_inputs(rng) -> list[tuple[str, tuple, dict]]:
    """(label, (x (N, C, H, W), w (F, C, KH, KW), b (F,)), stride/padding keywords)."""
    built = []
    for N, C, H, W, F, KH, KW, S, P in _CONV_SETTINGS:
        x, w, b = (rng.standard_normal(s) for s in ((N, C, H, W), (F, C, KH, KW), (F,)))
        kwargs = {} if S is None else {"stride": S, "padding": P}
        geometry = "default stride and padding" if S is None else f"S={S}, P={P}"
        label = f"x ({N}, {C}, {H}, {W}), w ({F}, {C}, {KH}, {KW}), {geometry}"
        built.append((label, (x, w, b), kwargs))
    return built


def _conv_cases(rng) -> list[Case]:
    return [Case(label, args, kwargs) for label, args, kwargs in _conv_inputs(rng)]


def _conv_backward_cases(rng) -> list[Case]:
    """dout of out's shape (N, F, Ho, Wo) and the cache of the course's conv2d_forward."""
    cases = []
    for label, args, kwargs in _conv_inputs(rng):
        out, cache = layers.conv2d_forward(*args, **kwargs)
        cases.append(Case(label, (rng.standard_normal(out.shape), cache), {}))
    return cases


def _pool_cases(rng) -> list[Case]:
    """x (N, C, H, W), size and stride (overlapping windows, one window, size 1); all
    negative values (a maximum started at 0 is wrong); ties."""
    settings = (  # N, C, H, W, size, stride (None: not passed), note
        (2, 3, 4, 4, 2, None, ""),
        (1, 1, 5, 5, 2, 1, ", overlapping windows"),
        (2, 2, 7, 6, 3, 2, ""),
        (1, 2, 3, 3, 3, None, ", one window"),
        (3, 1, 4, 5, 1, 1, ""),
        (2, 2, 6, 6, 2, 2, ", every value negative"),
        (2, 1, 4, 4, 2, None, ", ties"),
    )
    cases = []
    for N, C, H, W, size, stride, note in settings:
        x = rng.standard_normal((N, C, H, W))
        if "negative" in note:
            x = -np.abs(x) - 1.0
        if "ties" in note:
            x = rng.integers(0, 2, (N, C, H, W)).astype(np.float64)
        kwargs = {} if stride is None else {"stride": stride}
        geometry = f"size={size}" + ("" if stride is None else f", stride={stride}")
        cases.append(Case(f"x ({N}, {C}, {H}, {W}), {geometry}{note}", (x, size), kwargs))
    return cases


def _pool_backward_cases(rng) -> list[Case]:
    """dout of out's shape (N, C, Ho, Wo) and the cache of the course's maxpool2d_forward."""
    cases = []
    for label, args, kwargs in _pool_cases(rng):
        out, cache = layers.maxpool2d_forward(*args, **kwargs)
        cases.append(Case(label, (rng.standard_normal(out.shape), cache), {}))
    return cases


# ---- the cases: decoding -----------------------------------------------------------------


class _ToyDecoder:
    """A random decoder step for beam_search: s_t = tanh(E[y_{t-1}] + W s_{t-1}),
    log p_t = log_softmax(W_o s_t + b_o). Symbols 0..V-1 (<sos> = 0, <eos> = 1), states (B, H).

    Equal to another _ToyDecoder with the same weights, so that cases compare equal.
    """

    def __init__(self, rng, V: int, H: int, eos_bias: float = 0.0):
        self.E = rng.standard_normal((V, H))
        self.W = 0.8 * rng.standard_normal((H, H))
        self.W_o = 2.0 * rng.standard_normal((V, H))
        self.b_o = np.zeros(V)
        self.b_o[1] = eos_bias  # < 0: <eos> unlikely, outputs run to max_len

    def __call__(self, tokens, states):
        s = np.tanh(self.E[tokens] + states @ self.W.T)
        return layers.log_softmax(s @ self.W_o.T + self.b_o), s

    def _arrays(self):
        return (self.E, self.W, self.W_o, self.b_o)

    def __eq__(self, other):
        return isinstance(other, _ToyDecoder) and all(
            a.shape == b.shape and np.array_equal(a, b)
            for a, b in zip(self._arrays(), other._arrays(), strict=True)
        )

    __hash__ = None


def _beam_cases(rng) -> list[Case]:
    """step_fn, state (H,), sos=0, eos=1, width, max_len, alpha: greedy (width 1), narrow and
    wide beams, length normalisation, <eos> unlikely (cut at max_len), max_len=1."""
    settings = (  # V, H, width, max_len, alpha, eos_bias, note
        (5, 3, 1, 8, 0.0, 1.0, ", greedy"),
        (5, 3, 2, 8, 0.0, 1.0, ""),
        (6, 4, 3, 10, 0.0, 1.0, ""),
        (4, 2, 8, 6, 0.0, 1.0, ", width > V"),
        (5, 3, 3, 8, 1.0, 1.0, ", mean per symbol"),
        (6, 3, 4, 10, 0.6, 1.0, ""),
        (5, 3, 3, 5, 0.0, -20.0, ", <eos> unlikely: cut at max_len"),
        (5, 3, 2, 1, 0.0, 1.0, ", one step"),
    )
    cases = []
    for V, H, width, max_len, alpha, eos_bias, note in settings:
        step_fn = _ToyDecoder(rng, V, H, eos_bias)
        state = rng.standard_normal(H)
        kwargs = {"sos": 0, "eos": 1, "width": width, "max_len": max_len}
        kwargs |= {"alpha": alpha} if alpha else {}
        label = f"V={V}, H={H}, width={width}, max_len={max_len}"
        label += (f", alpha={alpha:g}" if alpha else "") + note
        cases.append(Case(label, (step_fn, state), kwargs))
    return cases


# ---- the cases: end-of-notebook exercises (references in helpers.exercise_solutions) --------


def _running_variance_cases(rng) -> list[Case]:
    """x (T,): one value, two, short and long sequences; constant; values near 10^4 (a mean of
    squares minus the squared mean loses about 7 digits there)."""
    return [
        Case("x (1,)", (rng.standard_normal(1),), {}),
        Case("x (2,)", (rng.standard_normal(2),), {}),
        Case("x (7,)", (3.0 * rng.standard_normal(7),), {}),
        Case("x (200,)", (rng.standard_normal(200),), {}),
        Case("x (5,), constant", (np.full(5, 2.5),), {}),
        Case("x (100,) near 10^4", (1e4 + rng.standard_normal(100),), {}),
    ]


def _bce_cases(rng) -> list[Case]:
    """a (N,) logits, y (N,) floats 0 or 1: large logits, one example, every label 0 or 1, logits
    of +-1000 (log sigmoid(a) overflows there when computed naively)."""
    settings = ((5, 50.0, ""), (1, 1.0, ""), (8, 1.0, "every label 0"), (6, 3.0, "every label 1"))
    settings += ((6, 1000.0, ""),)
    cases = []
    for N, scale, note in settings:
        a = rng.uniform(-scale, scale, N)
        y = {"every label 0": np.zeros(N), "every label 1": np.ones(N)}.get(note)
        y = rng.integers(0, 2, N).astype(np.float64) if y is None else y
        label = f"a, y ({N},)" + (f", a in [-{scale:g}, {scale:g}]" if scale > 1 else "")
        cases.append(Case(label + (f", {note}" if note else ""), (a, y), {}))
    return cases


def _softmax_vjp_cases(rng) -> list[Case]:
    """p = softmax of random logits (..., C) and p_bar of p's shape; one class; peaked p."""
    cases = []
    for shape, scale in (((4,), 1.0), ((1, 1), 1.0), ((3, 5), 1.0), ((2, 3, 4), 1.0)):
        p = layers.softmax(scale * rng.standard_normal(shape))
        cases.append(Case(f"p, p_bar {shape}", (p, rng.standard_normal(shape)), {}))
    peaked = layers.softmax(50.0 * rng.standard_normal((3, 6)))
    cases.append(
        Case("p, p_bar (3, 6), p nearly one-hot", (peaked, rng.standard_normal((3, 6))), {})
    )
    return cases


def _clip_inf_cases(rng) -> list[Case]:
    """grads: lists of arrays (largest |entry| about 3, once negative); max_norm below, at,
    above it; 0 and inf."""
    grads = [rng.standard_normal(shape) for shape in ((3, 4), (4,), (2, 2, 2))]
    largest = float(max(np.max(np.abs(g)) for g in grads))
    negative = [rng.standard_normal((2, 3)), rng.standard_normal(4)]
    negative[1][2] = -10.0  # the largest |entry| is negative
    shapes = "grads (3, 4), (4,), (2, 2, 2)"
    return [
        Case(f"{shapes}, max_norm=1 (clipped)", (grads, 1.0), {}),
        Case(f"{shapes}, max_norm=100 (unchanged)", (grads, 100.0), {}),
        Case(f"{shapes}, max_norm equal to their largest |entry|", (grads, largest), {}),
        Case("grads (1, 1), max_norm=0.5", ([rng.standard_normal((1, 1))], 0.5), {}),
        Case("grads (2, 3), (4,) with an entry -10, max_norm=2", (negative, 2.0), {}),
        Case(f"{shapes}, max_norm=0", (grads, 0.0), {}),
        Case(f"{shapes}, max_norm=inf", (grads, float("inf")), {}),
    ]


def _cs231n_cases(to_cs231n: bool) -> Callable[[np.random.Generator], list[Case]]:
    """Wx (4H, D) going to CS231n's layout, or W (D, 4H) coming back; H = 1 and D = 1 among them."""

    def cases(rng):
        built = []
        for H, D in ((3, 5), (1, 1), (2, 1), (1, 4), (5, 3), (2, 8)):
            shape = (4 * H, D) if to_cs231n else (D, 4 * H)
            name = "Wx" if to_cs231n else "W"
            built.append(Case(f"{name} {shape}, H={H}, D={D}", (rng.standard_normal(shape),), {}))
        return built

    return cases


def _merge_biases_cases(rng) -> list[Case]:
    """bx, bh (3H,) for several H, H = 1 among them."""
    return [
        Case(
            f"bx, bh ({3 * H},), H={H}",
            (rng.standard_normal(3 * H), rng.standard_normal(3 * H)),
            {},
        )
        for H in (1, 2, 4, 6, 3)
    ]


def _bigru_cases(rng) -> list[Case]:
    """x (N, T, D), h0 (2, N, H), the two directions' GRU weight dicts; T = 1, N = 1, H = 1."""
    cases = []
    for (N, T, D, H), scale in [(s, 1.0) for s in _SEQ_SIZES] + [(_SEQ_SIZES[0], _SATURATED)]:
        x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((2, N, H))
        fwd, bwd = (
            dict(zip(("Wx", "Wh", "bx", "bh"), _cell_weights(rng, "gru", D, H, scale), strict=True))
            for _ in range(2)
        )
        label = f"N={N}, T={T}, D={D}, H={H}" + (", saturated gates" if scale > 1 else "")
        cases.append(Case(label, (x, h0, fwd, bwd), {}))
    return cases


def _masked_rnn_cases(rng) -> list[Case]:
    """x (N, T, D), lengths (N,) in 1..T, Wx (H, D), Wh (H, H), b (H,); every length T; T = 1."""
    cases = []
    sizes = ((3, 5, 4, 6), (1, 1, 3, 2), (4, 6, 2, 3), (2, 3, 1, 1), (2, 7, 3, 4))
    for k, (N, T, D, H) in enumerate(sizes):
        lengths = np.full(N, T) if k == 2 else rng.integers(1, T + 1, N)
        lengths[0] = 1 if k == 0 else lengths[0]  # one sequence of one step
        x = rng.standard_normal((N, T, D))
        weights = _cell_weights(rng, "rnn", D, H)
        label = f"N={N}, T={T}, D={D}, H={H}, lengths {lengths.tolist()}"
        cases.append(Case(label, (x, lengths, *weights), {}))
    return cases


def _top_m_cases(rng) -> list[Case]:
    """logits (..., V) without ties, m from 1 to V; logits near +-1000."""
    settings = (((1, 5), 1, 1.0), ((3, 6), 3, 1.0), ((2, 4, 7), 2, 1.0), ((5,), 5, 1.0))
    settings += (((4, 10), 1, 1.0), ((3, 8), 4, 1000.0))
    cases = []
    for shape, m, scale in settings:
        note = f" in [-{scale:g}, {scale:g}]" if scale > 1 else ""
        logits = rng.uniform(-scale, scale, shape) if scale > 1 else rng.standard_normal(shape)
        cases.append(Case(f"logits {shape}{note}, m={m}", (logits, m), {}))
    return cases


_STEP_GRADS = ("dx", "dh_prev", "dWx", "dWh")
_SPECS: dict[str, _Spec] = {
    "rnn_step_forward": _Spec(("h_next", "cache"), _rnn_step_cases),
    "rnn_forward": _Spec(("h", "cache"), _rnn_cases),
    "rnn_step_backward": _Spec((*_STEP_GRADS, "db"), _backward_cases("rnn", sequence=False)),
    "rnn_backward": _Spec(("dx", "dh0", "dWx", "dWh", "db"), _backward_cases("rnn", sequence=True)),
    "softmax": _Spec("p", _softmax_cases),
    "cross_entropy": _Spec("loss", _class_cases),
    "cross_entropy_backward": _Spec("dlogits", _class_cases),
    "ctc_loss": _Spec("loss", _ctc_cases),
    "clip_grad_norm": _Spec(("clipped", "total_norm"), _clip_cases),
    "lstm_step_forward": _Spec(("h_next", "c_next", "cache"), _forward_cases("lstm", False)),
    "lstm_step_backward": _Spec(
        ("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db"), _backward_cases("lstm", sequence=False)
    ),
    "gru_step_forward": _Spec(("h_next", "cache"), _forward_cases("gru", sequence=False)),
    "gru_step_backward": _Spec(
        (*_STEP_GRADS, "dbx", "dbh"), _backward_cases("gru", sequence=False)
    ),
    "stacked_lstm_forward": _Spec(("out", "h_n", "c_n", "cache"), _stacked_cases),
    "bidirectional_lstm_forward": _Spec(("out", "h_n", "c_n", "cache"), _bidirectional_cases),
    "embedding_backward": _Spec("dE", _embedding_cases),
    "softmax_temperature": _Spec("p", _temperature_cases),
    "attention_scores": _Spec("e", _scores_cases),
    "attention": _Spec(("context", "weights"), _attention_cases),
    "attention_backward": _Spec(("grad_q", "grad_k", "grad_v"), _attention_backward_cases),
    "positional_encoding": _Spec("pe", _positional_cases),
    "conv2d_forward": _Spec(("out", "cache"), _conv_cases),
    "conv2d_backward": _Spec(("dx", "dw", "db"), _conv_backward_cases),
    "maxpool2d_forward": _Spec(("out", "cache"), _pool_cases),
    "sigmoid": _Spec("s", _sigmoid_cases),
    "log_softmax": _Spec("log_p", _softmax_cases),
    "lstm_forward": _Spec(("h", "c", "cache"), _forward_cases("lstm", sequence=True)),
    "lstm_backward": _Spec(
        ("dx", "dh0", "dc0", "dWx", "dWh", "db"), _backward_cases("lstm", sequence=True)
    ),
    "gru_forward": _Spec(("h", "cache"), _forward_cases("gru", sequence=True)),
    "gru_backward": _Spec(
        ("dx", "dh0", "dWx", "dWh", "dbx", "dbh"), _backward_cases("gru", sequence=True)
    ),
    "maxpool2d_backward": _Spec("dx", _pool_backward_cases),
    "beam_search": _Spec(("tokens", "log_prob"), _beam_cases),
}

_solutions = exercise_solutions
_SPECS |= {
    "running_variance": _Spec("var", _running_variance_cases, _solutions.running_variance),
    "relu_rnn_forward": _Spec(
        "h", _forward_cases("rnn", sequence=True), _solutions.relu_rnn_forward
    ),
    "bce_with_logits": _Spec(("loss", "da"), _bce_cases, _solutions.bce_with_logits),
    "softmax_vjp": _Spec("grad", _softmax_vjp_cases, _solutions.softmax_vjp),
    "clip_grad_norm_inf": _Spec(
        ("clipped", "total_norm"), _clip_inf_cases, _solutions.clip_grad_norm_inf
    ),
    "cifg_step": _Spec(
        ("h_next", "c_next"), _forward_cases("cifg", sequence=False), _solutions.cifg_step
    ),
    "to_cs231n_layout": _Spec("W", _cs231n_cases(True), _solutions.to_cs231n_layout),
    "from_cs231n_layout": _Spec("Wx", _cs231n_cases(False), _solutions.from_cs231n_layout),
    "merge_biases": _Spec(("bx2", "bh2"), _merge_biases_cases, _solutions.merge_biases),
    "bidirectional_gru_forward": _Spec(
        ("out", "h_n"), _bigru_cases, _solutions.bidirectional_gru_forward
    ),
    "masked_rnn_forward": _Spec("h", _masked_rnn_cases, _solutions.masked_rnn_forward),
    "top_m": _Spec("out", _top_m_cases, _solutions.top_m),
    "conv2d_im2col": _Spec("out", _conv_cases, _solutions.conv2d_im2col),
}
assert set(_SPECS) == set(EXERCISES) | set(NOTEBOOK_EXERCISES)

# The names of each exercise's returned values, in order ("cache" is never compared).
OUTPUTS: dict[str, tuple[str, ...] | str] = {name: spec.outputs for name, spec in _SPECS.items()}
