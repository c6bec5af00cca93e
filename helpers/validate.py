"""Argument checks shared by every layer: shapes, dtypes and finite values.

Each check raises ``ValueError`` naming the offending argument and the shapes
involved, so a learner sees *which* array is wrong and *why*::

    check_arrays(x=(x, "N D"), h_prev=(h_prev, "N H"), Wx=(Wx, "H D"),
                 Wh=(Wh, "H H"), b=(b, "H"))

binds each letter to a size the first time it is seen and demands the same
size wherever it appears again. ``"4H"`` means four times ``H`` (LSTM gates);
a plain number demands that exact size.
"""

from __future__ import annotations

import re

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)
_DIM = re.compile(r"^(\d*)([A-Za-z]\w*)$|^(\d+)$")


def as_float_array(name: str, value, *, finite: bool = True) -> np.ndarray:
    """Return ``value`` if it is a float32/float64 array, else raise ``ValueError``.

    Integer, boolean and complex arrays are refused (a silent cast hides bugs);
    with ``finite=True`` an array holding NaN or infinity is refused too.
    """
    if not isinstance(value, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(value).__name__}")
    if value.dtype.type not in FLOAT_DTYPES:
        raise ValueError(
            f"{name} must be float32 or float64, got dtype {value.dtype} (shape {value.shape})"
        )
    if finite and not np.all(np.isfinite(value)):
        raise ValueError(f"{name} contains NaN or infinity (shape {value.shape})")
    return value


def check_int(name: str, value, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int if it is an integer (Python or NumPy, not bool) in [low, high].

    Either bound may be ``None`` (open). Otherwise raise ``ValueError`` naming the argument,
    the range asked for and the value given, e.g. "stride must be an integer >= 1, got 0".
    """
    if low is not None and high is not None:
        wanted = f"an integer in {low}..{high}"
    elif low is not None:
        wanted = f"an integer >= {low}"
    elif high is not None:
        wanted = f"an integer <= {high}"
    else:
        wanted = "an integer"
    is_int = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not is_int or (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return int(value)


def _parse(dim: str) -> tuple[int, str | None]:
    """``"4H"`` -> (4, "H"); ``"H"`` -> (1, "H"); ``"3"`` -> (3, None)."""
    match = _DIM.match(dim)
    if match is None:
        raise ValueError(f"bad dimension {dim!r} in a shape spec")
    if match.group(3):
        return int(match.group(3)), None
    return int(match.group(1) or 1), match.group(2)


def check_arrays(**arrays: tuple[np.ndarray, str]) -> dict[str, int]:
    """Check each ``name=(array, "N T D")`` pair; return the letter sizes bound.

    All arrays must be finite float32/float64 of one dtype, have as many
    dimensions as their spec has entries, and agree on every shared letter.
    Raises ``ValueError`` naming the argument and the shapes on a mismatch.
    """
    sizes: dict[str, int] = {}
    origin: dict[str, str] = {}
    dtype = None
    for name, (value, spec) in arrays.items():
        as_float_array(name, value)
        dims = spec.split()
        if value.ndim != len(dims):
            raise ValueError(
                f"{name} must have {len(dims)} dimensions ({', '.join(dims)}), "
                f"got shape {value.shape}"
            )
        for dim, size in zip(dims, value.shape, strict=True):
            factor, letter = _parse(dim)
            if letter is None:
                expected = factor
            elif letter in sizes:
                expected = factor * sizes[letter]
            elif size % factor == 0:
                sizes[letter], origin[letter] = size // factor, name
                continue
            else:
                expected = None
            if size != expected:
                source = (
                    f" ({letter}={sizes[letter]} from {origin[letter]} of shape "
                    f"{arrays[origin[letter]][0].shape})"
                    if letter in sizes
                    else ""
                )
                raise ValueError(
                    f"{name} has shape {value.shape}, expected ({', '.join(dims)}){source}"
                )
        if dtype is None:
            dtype = value.dtype
        elif value.dtype != dtype:
            raise ValueError(
                f"{name} has dtype {value.dtype} but the arguments before it are {dtype}; "
                "use one float type throughout"
            )
    return sizes
