"""helpers.validate: bad input raises ValueError naming the argument and shapes."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.validate import as_float_array, check_arrays, check_int


def test_binds_letters_and_returns_sizes():
    sizes = check_arrays(x=(np.zeros((2, 3)), "N D"), W=(np.zeros((4, 3)), "H D"))
    assert sizes == {"N": 2, "D": 3, "H": 4}


def test_multiple_of_letter():
    sizes = check_arrays(Wh=(np.zeros((8, 2)), "4H H"))
    assert sizes == {"H": 2}
    with pytest.raises(ValueError, match="Wh has shape"):
        check_arrays(h=(np.zeros((1, 2)), "N H"), Wh=(np.zeros((6, 2)), "4H H"))


def test_mismatch_names_argument_and_origin():
    with pytest.raises(ValueError, match=r"Wh has shape \(2, 3\).*H=2 from h of shape \(1, 2\)"):
        check_arrays(h=(np.zeros((1, 2)), "N H"), Wh=(np.zeros((2, 3)), "H H"))


def test_wrong_number_of_dimensions():
    with pytest.raises(
        ValueError, match=r"x must have 3 dimensions \(N, T, D\), got shape \(2, 3\)"
    ):
        check_arrays(x=(np.zeros((2, 3)), "N T D"))


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros(3, dtype=int), "float32 or float64"),
        (np.array([1.0, np.nan]), "NaN"),
        (np.array([np.inf]), "NaN or infinity"),
        ([1.0, 2.0], "NumPy array"),
    ],
)
def test_as_float_array_refuses(bad, message):
    with pytest.raises(ValueError, match=message):
        as_float_array("x", bad)


def test_mixed_dtypes_refused():
    with pytest.raises(ValueError, match="dtype float32"):
        check_arrays(a=(np.zeros(2), "H"), b=(np.zeros(2, dtype=np.float32), "H"))


@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 4))
def test_any_wrong_size_is_refused(shape, extra):
    """Fuzz: an array whose axis differs from the bound letter is always refused."""
    first = np.zeros(shape)
    second_shape = list(shape)
    second_shape[-1] += extra
    letters = " ".join(f"L{i}" for i in range(len(shape)))
    with pytest.raises(ValueError, match="b has shape"):
        check_arrays(a=(first, letters), b=(np.zeros(second_shape), letters))


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [(3, 1, None, 3), (np.int64(0), 0, 0, 0), (-2, None, -1, -2), (7, None, None, 7)],
)
def test_check_int_accepts_integers_in_range(value, low, high, expected):
    result = check_int("n", value, low, high)
    assert result == expected and type(result) is int


@pytest.mark.parametrize(
    ("value", "low", "high", "message"),
    [
        (0, 1, None, "n must be an integer >= 1, got 0"),
        (4, -3, 3, "n must be an integer in -3..3, got 4"),
        (2, None, 1, "n must be an integer <= 1, got 2"),
        (1.5, 1, None, "n must be an integer >= 1, got 1.5"),
        (2.0, None, None, "n must be an integer, got 2.0"),
        (True, 0, None, "n must be an integer >= 0, got True"),
    ],
)
def test_check_int_names_argument_range_and_value(value, low, high, message):
    with pytest.raises(ValueError, match=f"^{message.replace('.', '[.]')}$"):
        check_int("n", value, low, high)
