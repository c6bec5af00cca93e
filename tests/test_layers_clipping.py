"""helpers.layers.clipping (notebook 05): clipping by norm and by value against PyTorch,
including infinite, NaN, overflowing and underflowing gradients."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.layers import clip_grad_norm, clip_grad_value

SHAPES = [(5, 4), (5, 5), (5,), (5,)]  # an RNN's Wx, Wh, b_ih, b_hh


def _grads(seed, scale, dtype=np.float64, shapes=SHAPES):
    """Random gradients of the given shapes; a scale past float32's range gives +-inf there."""
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore"):  # the overflow to inf is the point of those cases
        return [(rng.standard_normal(s) * scale).astype(dtype) for s in shapes]


def _torch_clip_norm(grads, max_norm):
    params = [
        torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.from_numpy(g).dtype)) for g in grads
    ]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.from_numpy(g.copy())
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return [p.grad.numpy() for p in params], total.item()


def _torch_clip_value(grads, clip_value):
    params = [
        torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.from_numpy(g).dtype)) for g in grads
    ]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.from_numpy(g.copy())
    torch.nn.utils.clip_grad_value_(params, clip_value)
    return [p.grad.numpy() for p in params]


def test_known_answer_3_4_5():
    clipped, total = clip_grad_norm([np.array([3.0]), np.array([[4.0]])], 1.0)
    assert total == 5.0
    scale = 1.0 / (5.0 + 1e-6)
    assert clipped[0][0] == 3.0 * scale and clipped[1][0, 0] == 4.0 * scale
    np.testing.assert_allclose([clipped[0][0], clipped[1][0, 0]], [0.6, 0.8], rtol=1e-6)


def test_shapes_dtypes_and_inputs_untouched():
    grads = _grads(0, 10.0)
    before = [g.copy() for g in grads]
    clipped, _ = clip_grad_norm(grads, 1.0)
    assert [g.shape for g in clipped] == [g.shape for g in grads]
    assert all(g.dtype == np.float64 for g in clipped)
    for g, b in zip(grads, before, strict=True):
        np.testing.assert_array_equal(g, b)


def test_no_clipping_below_threshold_returns_copies():
    grads = _grads(1, 0.01)
    clipped, total = clip_grad_norm(grads, 1.0)
    assert total < 1.0
    for c, g in zip(clipped, grads, strict=True):
        np.testing.assert_array_equal(c, g)
        assert c is not g


def test_clipped_norm_and_direction():
    grads = _grads(2, 10.0)
    clipped, total = clip_grad_norm(grads, 0.5)
    flat = np.concatenate([g.ravel() for g in grads])
    flat_c = np.concatenate([g.ravel() for g in clipped])
    assert total == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    assert np.linalg.norm(flat_c) <= 0.5
    assert np.linalg.norm(flat_c) == pytest.approx(0.5, rel=1e-6)
    cosine = flat @ flat_c / (np.linalg.norm(flat) * np.linalg.norm(flat_c))
    assert cosine == pytest.approx(1.0, abs=1e-14)


@pytest.mark.parametrize("scale, max_norm", [(10.0, 1.0), (0.01, 1.0), (3.0, 0.0), (5.0, 2.5)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_norm_matches_torch_float64(seed, scale, max_norm):
    grads = _grads(seed, scale)
    ours, total = clip_grad_norm(grads, max_norm)
    theirs, torch_total = _torch_clip_norm(grads, max_norm)
    assert abs(total - torch_total) <= 1e-12
    for o, t in zip(ours, theirs, strict=True):
        assert np.max(np.abs(o - t)) <= 1e-12


def test_norm_matches_torch_float32():
    grads = _grads(4, 10.0, dtype=np.float32)
    ours, total = clip_grad_norm(grads, 1.0)
    theirs, torch_total = _torch_clip_norm(grads, 1.0)
    assert all(o.dtype == np.float32 for o in ours)
    assert total == pytest.approx(torch_total, rel=1e-6)
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(o, t, rtol=1e-5, atol=1e-7)


def test_tuple_and_empty():
    clipped, total = clip_grad_norm((np.ones(4),), 1.0)
    assert total == 2.0 and len(clipped) == 1
    assert clip_grad_norm([], 1.0) == ([], 0.0)
    assert clip_grad_value([], 1.0) == []


def test_infinite_max_norm_never_clips():
    grads = _grads(5, 1e6)
    clipped, _ = clip_grad_norm(grads, math.inf)
    for c, g in zip(clipped, grads, strict=True):
        np.testing.assert_array_equal(c, g)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 6), min_size=1, max_size=4),
    scale=st.floats(1e-3, 1e3),
    max_norm=st.floats(0.0, 10.0),
    seed=st.integers(0, 1000),
)
def test_fuzz_against_torch(sizes, scale, max_norm, seed):
    grads = _grads(seed, scale, shapes=[(n,) for n in sizes])
    ours, total = clip_grad_norm(grads, max_norm)
    theirs, torch_total = _torch_clip_norm(grads, max_norm)
    assert total == pytest.approx(torch_total, rel=1e-13, abs=1e-300)
    flat = np.concatenate([o.ravel() for o in ours])
    assert np.linalg.norm(flat) <= max_norm + 1e-12 or np.linalg.norm(flat) == pytest.approx(total)
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(o, t, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("clip_value", [0.0, 0.3, 1.0, 100.0])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_value_matches_torch(clip_value, dtype):
    grads = _grads(6, 2.0, dtype=dtype)
    ours = clip_grad_value(grads, clip_value)
    theirs = _torch_clip_value(grads, clip_value)
    for o, t, g in zip(ours, theirs, grads, strict=True):
        assert o.dtype == g.dtype and o.shape == g.shape
        np.testing.assert_array_equal(o, t)
        assert np.all(np.abs(o) <= clip_value)


def test_value_known_answer_and_inputs_untouched():
    g = np.array([-3.0, -0.2, 0.0, 0.5, 2.0])
    (clipped,) = clip_grad_value([g], 0.5)
    np.testing.assert_array_equal(clipped, [-0.5, -0.2, 0.0, 0.5, 0.5])
    np.testing.assert_array_equal(g, [-3.0, -0.2, 0.0, 0.5, 2.0])


BAD_THRESHOLDS = [-1.0, -1e-9, math.nan, True, "1.0", None, np.array([1.0])]


@pytest.mark.parametrize("value", BAD_THRESHOLDS)
def test_bad_max_norm(value):
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(_grads(0, 1.0), value)


@pytest.mark.parametrize("value", BAD_THRESHOLDS)
def test_bad_clip_value(value):
    with pytest.raises(ValueError, match="clip_value"):
        clip_grad_value(_grads(0, 1.0), value)


@pytest.mark.parametrize(
    "grads, message",
    [
        (np.ones(3), "list or tuple"),
        ([np.ones(3), [1.0, 2.0]], r"grads\[1\] must be a NumPy array"),
        ([np.ones(3, dtype=int)], r"grads\[0\] must be float32 or float64"),
        ([torch.ones(3)], r"grads\[0\] must be a NumPy array"),
    ],
)
@pytest.mark.parametrize(
    "fn", [lambda g: clip_grad_norm(g, 1.0), lambda g: clip_grad_value(g, 1.0)]
)
def test_bad_grads(fn, grads, message):
    with pytest.raises(ValueError, match=message):
        fn(grads)


NONFINITE = {  # each with a second, ordinary array: PyTorch's rules apply to the total
    "1e200 float64": [np.array([1e200, 1.0, -2.0]), np.ones(2)],
    "two 1e160 float64": [np.array([1e160]), np.array([1e160])],
    "one entry 1e200": [np.array([1e200])],
    "inf": [np.array([np.inf, 1.0, -2.0]), np.ones(2)],
    "-inf": [np.array([-np.inf, 1.0, -2.0]), np.ones(2)],
    "nan": [np.array([np.nan, 1.0, -2.0]), np.ones(2)],
    "1e30 float32": [np.array([1e30, 1.0, -2.0], np.float32), np.ones(2, np.float32)],
    "2e19 float32": [np.array([2e19, 1.0], np.float32)],
    "two 1.5e19 float32": [np.array([1.5e19], np.float32), np.array([1.5e19], np.float32)],
    "one entry 1e30 float32": [np.array([1e30], np.float32), np.ones(2, np.float32)],
    "1e30 float32 with float64": [np.array([1e30], np.float32), np.array([4.0])],
    "mixed dtypes": [np.array([3.0], np.float32), np.array([4.0])],
    "1e-200 underflows": [np.array([1e-200, 1e-200])],
    "1e-25 float32 underflows": [np.full(4, 1e-25, np.float32)],
    "empty array": [np.zeros(0), np.array([3.0, 4.0])],
}


def _same(ours, theirs):
    """Equal arrays, dtypes and signs of zero; NaN where the other has NaN."""
    return all(
        o.dtype == t.dtype
        and np.array_equal(o, t, equal_nan=True)
        and np.array_equal(np.signbit(o), np.signbit(t))
        for o, t in zip(ours, theirs, strict=True)
    )


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("max_norm", [0.0, 1.0, 1e300, math.inf])
@pytest.mark.parametrize("name", list(NONFINITE))
def test_nonfinite_and_overflow_match_torch(name, max_norm):
    grads = NONFINITE[name]
    before = [g.copy() for g in grads]
    ours, total = clip_grad_norm(grads, max_norm)
    theirs, torch_total = _torch_clip_norm(grads, max_norm)
    assert total == torch_total or (math.isnan(total) and math.isnan(torch_total))
    assert _same(ours, theirs)
    for g, b in zip(grads, before, strict=True):
        np.testing.assert_array_equal(g, b)


def test_nonfinite_known_answers():
    clipped, total = clip_grad_norm([np.array([np.inf, 1.0, -2.0])], 1.0)
    assert total == math.inf
    np.testing.assert_array_equal(clipped[0], [np.nan, 0.0, -0.0])
    clipped, total = clip_grad_norm([np.array([1e200, 1.0])], 1.0)  # overflow: zeroed
    assert total == math.inf and np.all(clipped[0] == 0)
    clipped, total = clip_grad_norm([np.array([1e30, 1.0], np.float32)], 1.0)  # float32 overflow
    assert total == math.inf and np.all(clipped[0] == 0)
    clipped, total = clip_grad_norm([np.array([1e30, 1.0], np.float64)], 1.0)  # fits in float64
    assert total == pytest.approx(1e30) and np.linalg.norm(clipped[0]) == pytest.approx(1.0)
    clipped, total = clip_grad_norm([np.array([np.nan, 1.0])], 1.0)
    assert math.isnan(total) and np.all(np.isnan(clipped[0]))
    clipped, _ = clip_grad_norm([np.array([np.inf, 1.0])], math.inf)  # inf / inf: NaN
    assert np.all(np.isnan(clipped[0]))


@pytest.mark.parametrize(
    "grads", [[np.array([np.inf, 1.0])], [np.array([np.nan])], [np.full(3, 1e200)]]
)
def test_error_if_nonfinite(grads):
    with pytest.raises(ValueError, match="total norm of grads is (inf|nan)"):
        clip_grad_norm(grads, 1.0, error_if_nonfinite=True)
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.from_numpy(g.copy())
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    _, total = clip_grad_norm([np.ones(3)], 1.0, error_if_nonfinite=True)  # finite: no error
    assert total == pytest.approx(math.sqrt(3))


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 6), min_size=1, max_size=4),
    log_scale=st.floats(-30, 40),
    max_norm=st.sampled_from([0.0, 0.5, 1.0, math.inf]),
    special=st.sampled_from([None, np.inf, -np.inf, np.nan]),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 1000),
)
def test_fuzz_extreme_against_torch(sizes, log_scale, max_norm, special, dtype, seed):
    grads = _grads(seed, 10.0**log_scale, dtype=dtype, shapes=[(n,) for n in sizes])
    if special is not None and grads[0].size:
        grads[0][0] = special
    with np.errstate(all="raise"):  # no floating-point warning may escape
        ours, total = clip_grad_norm(grads, max_norm)
    theirs, torch_total = _torch_clip_norm(grads, max_norm)
    if math.isfinite(torch_total):
        assert total == pytest.approx(torch_total, rel=1e-5 if dtype == np.float32 else 1e-13)
        for o, t in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(o, t, rtol=1e-5 if dtype == np.float32 else 1e-13, atol=0)
    else:
        assert total == torch_total or (math.isnan(total) and math.isnan(torch_total))
        assert _same(ours, theirs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_value_nonfinite_matches_torch(dtype):
    grads = [np.array([np.inf, -np.inf, np.nan, 3.0, -0.2], dtype)]
    ours = clip_grad_value(grads, 0.5)
    theirs = _torch_clip_value(grads, 0.5)
    assert _same(ours, theirs)
    np.testing.assert_array_equal(ours[0], np.array([0.5, -0.5, np.nan, 0.5, -0.2], dtype))
