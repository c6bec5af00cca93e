"""Checks of an implementation: comparison with PyTorch and
gradient checks by central differences.

Both print what they measured and raise when it is over the tolerance:
printing an error without asserting it is not a check.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import numpy as np

from helpers.validate import as_float_array


def to_numpy(value) -> np.ndarray:
    """A NumPy copy of a NumPy array, a torch tensor (detached, on the CPU) or a number."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def max_abs_error(a, b) -> float:
    """Largest absolute difference between two arrays of the same shape."""
    a, b = to_numpy(a), to_numpy(b)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} against {b.shape}")
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0.0))


def compare(numpy_value, torch_value, name: str, tol: float = 1e-12) -> float:
    """Print the largest absolute error between our value and PyTorch's; raise past ``tol``.

    numpy_value: array of any shape; torch_value: tensor or array of the same shape.
    Returns the error. Raises ``ValueError`` on a shape mismatch and
    ``AssertionError`` when the error exceeds ``tol``.
    """
    ours, theirs = to_numpy(numpy_value), to_numpy(torch_value)
    if ours.shape != theirs.shape:
        raise ValueError(
            f"{name}: numpy_value has shape {ours.shape}, torch_value has shape {theirs.shape}"
        )
    return _report(name, "max abs error", max_abs_error(ours, theirs), tol)


def numerical_gradient(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout=None, eps: float = 1e-6
) -> np.ndarray:
    """Gradient of ``sum(dout * f(x))`` with respect to ``x`` by central differences.

    f: maps x (any shape) to an array or a scalar; dout: upstream gradient of
    f(x)'s shape (``None`` for a scalar f). ``x`` is perturbed in place and restored.
    Returns an array of x's shape.
    """
    x = as_float_array("x", x)
    grad = np.zeros_like(x)
    weight = 1.0 if dout is None else dout
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        plus = np.sum(weight * f(x))
        x[index] = saved - eps
        minus = np.sum(weight * f(x))
        x[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic, numeric) -> float:
    """Norm-wise relative error ||a - n|| / (||a|| + ||n||) (Frobenius norms; 0 when both are 0).

    Why not CS231n's element-wise max |a_i - n_i| / max(|a_i| + |n_i|, floor): a central
    difference carries an absolute error of about eps^2 |f^(3)(x)| / 6 + 1e-16 |f| / eps in
    every entry, so the smallest entries of a correct gradient decide the element-wise value,
    and a correct gradient passes or fails depending on the random draw. Relative to the size
    of the whole gradient that error is small on every draw.
    """
    a = to_numpy(analytic).astype(np.float64)
    n = to_numpy(numeric).astype(np.float64)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape} against numeric {n.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)


def grad_check(
    f: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    df: np.ndarray,
    eps: float = 1e-6,
    dout=None,
    name: str = "gradient",
    tol: float = 1e-7,
) -> float:
    """Compare an analytic gradient ``df`` with central differences of ``f`` at ``x``.

    f: function of x returning a scalar, or an array weighted by ``dout``
    (then the scalar is ``sum(dout * f(x))``); x: the point, shape S;
    df: the analytic gradient, shape S. Prints and returns the norm-wise relative
    error (``relative_error``); raises ``AssertionError`` past ``tol`` and ``ValueError``
    on a shape mismatch.
    """
    x = as_float_array("x", x)
    df = as_float_array("df", df)
    if df.shape != x.shape:
        raise ValueError(f"df must have the shape of x {x.shape}, got {df.shape}")
    error = relative_error(df, numerical_gradient(f, x, dout=dout, eps=eps))
    return _report(name, "norm rel error", error, tol)


def _report(name: str, what: str, error: float, tol: float) -> float:
    """Print one line (the digits are sanitized by nbval, the verdict is not); raise past tol."""
    verdict = "ok" if error <= tol else "TOO LARGE"
    print(f"{name:<14} {what} {error:.1e}  (tol {tol:.0e}) {verdict}")
    if not error <= tol:  # also catches NaN
        raise AssertionError(f"{name}: {what} {error:.3e} exceeds {tol:.0e}")
    return error


def describe_bounds(at_least=None, at_most=None) -> str:
    """The bounds of a claim as text: ">= 0.9", "<= 0.1" or ">= 0.3 and <= 0.7"."""
    parts = [f">= {at_least:g}"] if at_least is not None else []
    if at_most is not None:
        parts.append(f"<= {at_most:g}")
    return " and ".join(parts)


def claim(name: str, value, at_least=None, at_most=None) -> float:
    """Assert a result the prose relies on, against a bound that holds on any seed and CPU.

    name: what is measured ("LSTM test accuracy"); value: a number; at_least / at_most: the
    bound(s), chosen from the spread over several seeds (``make robust``). Prints one line,
    ``claim  <name>: <value> (asserted >= <bound>) ok``; nbval masks the value (it differs by
    machine and seed) and compares the bound and the verdict. With ``COURSE_CLAIMS_JSON`` set
    to a path, the claim is also appended to that file as one JSON line (``make robust``
    collects them). Raises ``ValueError`` without a bound, ``AssertionError`` when the value
    breaks one. Returns the value.
    """
    if at_least is None and at_most is None:
        raise ValueError(f"claim {name!r} needs at_least or at_most")
    value = float(value)
    bounds = describe_bounds(at_least, at_most)
    held = (at_least is None or value >= at_least) and (at_most is None or value <= at_most)
    print(f"claim  {name}: {value:.4g} (asserted {bounds}) {'ok' if held else 'BROKEN'}")
    path = os.environ.get("COURSE_CLAIMS_JSON")
    if path:
        record = {"name": name, "value": value, "at_least": at_least, "at_most": at_most}
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(record) + "\n")
    if not held:
        raise AssertionError(f"{name}: {value:.4g} breaks the claim {bounds}")
    return value
