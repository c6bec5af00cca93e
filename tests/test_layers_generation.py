"""helpers.layers.generation (notebook 12): temperature softmax and sampling."""

import warnings

import numpy as np
import pytest
import torch

from helpers.layers import sample_next, softmax, softmax_temperature

Z = np.array([[2.0, 1.0, 0.0, -1.0], [0.5, 0.5, 3.0, -2.0]])


@pytest.mark.parametrize("tau", [0.3, 1.0, 2.5])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_torch_softmax_of_scaled_logits(tau, dtype):
    ours = softmax_temperature(Z.astype(dtype), tau)
    theirs = torch.softmax(torch.from_numpy(Z.astype(dtype)) / tau, dim=-1).numpy()
    assert ours.dtype == dtype
    assert np.allclose(ours, theirs, rtol=0, atol=1e-6 if dtype == np.float32 else 1e-15)


def test_temperature_one_is_softmax_and_rows_sum_to_one():
    assert np.allclose(softmax_temperature(Z, 1.0), softmax(Z), rtol=0, atol=1e-15)
    assert np.allclose(softmax_temperature(Z[None], 0.7).sum(axis=-1), 1.0)


def test_limits_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cold = softmax_temperature(Z * 1000, 1e-6)
        hot = softmax_temperature(Z, 1e9)
    assert np.array_equal(cold.argmax(axis=1), Z.argmax(axis=1))
    assert np.allclose(cold.max(axis=1), 1)
    assert np.allclose(hot, 0.25, atol=1e-8)


def test_minus_infinity_means_probability_zero():
    p = softmax_temperature(np.array([[1.0, -np.inf, 0.0]]), 0.5)
    assert p[0, 1] == 0 and np.isclose(p.sum(), 1)


def test_entropy_grows_with_temperature():
    taus = np.geomspace(0.05, 50, 40)
    entropy = [-(p * np.log(p)).sum() for p in (softmax_temperature(Z[:1], t)[0] for t in taus)]
    assert np.all(np.diff(entropy) > 0)


def test_samples_follow_the_distribution():
    rng = np.random.default_rng(0)
    logits = np.repeat(Z[1:], 200_000, axis=0)
    draws = sample_next(logits, 0.8, rng)
    p = softmax_temperature(Z[1:], 0.8)[0]
    freq = np.bincount(draws, minlength=4) / draws.size
    assert draws.dtype.kind == "i" and draws.min() >= 0 and draws.max() <= 3
    assert np.all(np.abs(freq - p) < 4 * np.sqrt(p * (1 - p) / draws.size) + 1e-12)


def test_temperature_zero_is_argmax_and_needs_no_rng():
    assert np.array_equal(sample_next(Z, 0, rng=None), [0, 2])


def test_sampling_is_reproducible_with_a_seed():
    a = sample_next(np.tile(Z, (50, 1)), 1.0, np.random.default_rng(5))
    b = sample_next(np.tile(Z, (50, 1)), 1.0, np.random.default_rng(5))
    assert np.array_equal(a, b)


@pytest.mark.parametrize(
    ("logits", "tau", "match"),
    [
        (Z, -1.0, "temperature must be a finite number > 0"),
        (Z, 0.0, "temperature must be a finite number > 0"),
        (np.array(1.0), 1.0, r"logits must have shape \(\.\.\., V\)"),
        (np.array([[np.nan, 1.0]]), 1.0, "contain NaN or \\+inf"),
        (np.array([[np.inf, 1.0]]), 1.0, "contain NaN or \\+inf"),
        (np.array([[-np.inf, -np.inf]]), 1.0, "needs a finite entry"),
        (np.array([[1, 2]]), 1.0, "logits must be float32 or float64"),
    ],
)
def test_softmax_temperature_rejects_bad_input(logits, tau, match):
    with pytest.raises(ValueError, match=match):
        softmax_temperature(logits, tau)


def test_sample_next_needs_two_dimensions():
    with pytest.raises(ValueError, match=r"logits must have shape \(N, V\), got \(4,\)"):
        sample_next(Z[0], 1.0, np.random.default_rng(0))


class _AlmostOne:
    """A stand-in generator whose draws are the largest float below 1."""

    def random(self, shape):
        return np.full(shape, np.nextafter(1.0, 0.0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_probability_zero_entry_is_never_drawn(dtype):
    # rounding can leave the cumulative sum below u; the draw must still have p > 0
    logits = np.array([[0.3, 1.7, 0.1, 2.2, 0.9, -np.inf]] * 3, dtype=dtype)
    draws = sample_next(logits, 1.0, _AlmostOne())
    assert np.all(draws == 4)


def test_sample_next_float32():
    draws = sample_next(Z.astype(np.float32), 1.0, np.random.default_rng(1))
    assert draws.shape == (2,) and draws.dtype.kind == "i"


@pytest.mark.parametrize("tau", [np.inf, np.nan, np.array([1.0, 2.0]), -0.5])
def test_temperature_must_be_a_finite_positive_number(tau):
    with pytest.raises(ValueError, match="temperature must be a finite number > 0"):
        softmax_temperature(Z, tau)


def test_extreme_temperatures_stay_finite():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cold = softmax_temperature(Z, 1e-308)
        hot = softmax_temperature(np.array([[1.0, -np.inf, 0.0]]), 1e308)
    assert np.array_equal(cold, [[1, 0, 0, 0], [0, 0, 1, 0]])
    assert np.allclose(hot, [[0.5, 0.0, 0.5]])


def test_rows_need_at_least_one_entry():
    with pytest.raises(ValueError, match=r"at least one entry per row \(V >= 1\), got shape"):
        softmax_temperature(np.zeros((2, 0)), 1.0)
