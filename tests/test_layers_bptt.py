"""helpers.layers.bptt (notebook 04): backward pass of the tanh RNN, step and sequence."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.checks import grad_check
from helpers.layers import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from helpers.torch_utils import load_rnn_weights

WX = np.array([[0.1, 0.2], [0.3, 0.4]])
WH = np.array([[0.5, 0.6], [0.7, 0.8]])
B = np.array([0.1, 0.1])


def _problem(seed=0, N=3, T=6, D=4, H=5, dtype=np.float64):
    r = np.random.default_rng(seed)
    arrays = {
        "x": r.standard_normal((N, T, D)),
        "h0": r.standard_normal((N, H)),
        "Wx": r.standard_normal((H, D)) * 0.5,
        "Wh": r.standard_normal((H, H)) * 0.5,
        "b": r.standard_normal(H) * 0.1,
    }
    dh = r.standard_normal((N, T, H))
    return {k: v.astype(dtype) for k, v in arrays.items()}, dh.astype(dtype)


def test_step_backward_known_answer():
    _, cache = rnn_step_forward(np.array([[1.0, 2.0]]), np.zeros((1, 2)), WX, WH, B)
    dx, dh_prev, dWx, dWh, db = rnn_step_backward(np.array([[1.0, 0.0]]), cache)
    da = 1 - np.tanh(0.6) ** 2  # 0.71158...
    np.testing.assert_allclose(db, [da, 0.0], atol=1e-15)
    np.testing.assert_allclose(dWx, [[da, 2 * da], [0.0, 0.0]], atol=1e-15)
    np.testing.assert_allclose(dWh, np.zeros((2, 2)), atol=0)
    np.testing.assert_allclose(dx, [[0.1 * da, 0.2 * da]], atol=1e-15)
    np.testing.assert_allclose(dh_prev, [[0.5 * da, 0.6 * da]], atol=1e-15)
    assert abs(da - 0.71158) < 5e-6


def test_shapes():
    a, dh = _problem()
    _, cache = rnn_forward(**a)
    grads = rnn_backward(dh, cache)
    assert [g.shape for g in grads] == [(3, 6, 4), (3, 5), (5, 4), (5, 5), (5,)]
    step = rnn_step_backward(dh[:, 0], cache[0])
    assert [g.shape for g in step] == [(3, 4), (3, 5), (5, 4), (5, 5), (5,)]


def test_sequence_is_the_sum_of_steps():
    a, dh = _problem(seed=1)
    _, cache = rnn_forward(**a)
    dx, dh0, dWx, dWh, db = rnn_backward(dh, cache)
    carry, total = np.zeros_like(a["h0"]), [np.zeros_like(a["Wx"]), np.zeros_like(a["Wh"]), 0]
    for t in reversed(range(dh.shape[1])):
        dxt, carry, gx, gh, gb = rnn_step_backward(dh[:, t] + carry, cache[t])
        np.testing.assert_array_equal(dxt, dx[:, t])
        total = [total[0] + gx, total[1] + gh, total[2] + gb]
    np.testing.assert_array_equal(carry, dh0)
    np.testing.assert_allclose(total[0], dWx, atol=1e-14)
    np.testing.assert_allclose(total[1], dWh, atol=1e-14)
    np.testing.assert_allclose(total[2], db, atol=1e-14)


@pytest.mark.parametrize("which", ["x", "h0", "Wx", "Wh", "b"])
def test_gradient_check(which):
    a, dh = _problem(seed=2)
    _, cache = rnn_forward(**a)
    grads = dict(zip(["x", "h0", "Wx", "Wh", "b"], rnn_backward(dh, cache), strict=True))

    def f(_):
        return rnn_forward(**a)[0]

    assert grad_check(f, a[which], grads[which], dout=dh, eps=1e-5, name=which) <= 1e-7


@pytest.mark.parametrize("which", ["Wx", "Wh", "b"])
def test_step_gradient_check(which):
    r = np.random.default_rng(4)
    x, h_prev = r.standard_normal((2, 3)), r.standard_normal((2, 4))
    a = {
        "Wx": r.standard_normal((4, 3)) * 0.5,
        "Wh": r.standard_normal((4, 4)) * 0.5,
        "b": r.standard_normal(4) * 0.1,
    }
    dh_next = r.standard_normal((2, 4))
    _, cache = rnn_step_forward(x, h_prev, **a)
    grads = dict(zip(["Wx", "Wh", "b"], rnn_step_backward(dh_next, cache)[2:], strict=True))

    def f(_):
        return rnn_step_forward(x, h_prev, **a)[0]

    assert grad_check(f, a[which], grads[which], dout=dh_next, eps=1e-5) <= 1e-7


def test_matches_torch_autograd():
    a, dh = _problem(seed=3)
    _, cache = rnn_forward(**a)
    dx, dh0, dWx, dWh, db = rnn_backward(dh, cache)
    module = torch.nn.RNN(4, 5, batch_first=True).double()
    load_rnn_weights(module, a)
    x_t = torch.tensor(a["x"], requires_grad=True)
    h0_t = torch.tensor(a["h0"][None], requires_grad=True)
    module(x_t, h0_t)[0].backward(torch.from_numpy(dh))
    pairs = [
        (dx, x_t.grad),
        (dh0, h0_t.grad[0]),
        (dWx, module.weight_ih_l0.grad),
        (dWh, module.weight_hh_l0.grad),
        (db, module.bias_ih_l0.grad),
        (db, module.bias_hh_l0.grad),
    ]
    for ours, theirs in pairs:
        assert np.max(np.abs(ours - theirs.numpy())) <= 1e-10


def test_float32_in_float32_out():
    a, dh = _problem(dtype=np.float32)
    _, cache = rnn_forward(**a)
    grads = rnn_backward(dh, cache)
    assert all(g.dtype == np.float32 for g in grads)
    a64, dh64 = _problem()
    grads64 = rnn_backward(dh64, rnn_forward(**a64)[1])
    for g, g64 in zip(grads, grads64, strict=True):
        assert np.max(np.abs(g - g64)) < 1e-4


def test_bad_arguments_raise():
    a, dh = _problem()
    _, cache = rnn_forward(**a)
    with pytest.raises(ValueError, match="cache has 6"):
        rnn_backward(dh[:, :4], cache)
    with pytest.raises(ValueError, match="dh has shape"):
        rnn_backward(dh[..., :3], cache)
    with pytest.raises(ValueError, match="dh must have 3 dimensions"):
        rnn_backward(dh[:, 0], cache)
    with pytest.raises(ValueError, match="dh contains NaN"):
        rnn_backward(np.full_like(dh, np.nan), cache)
    with pytest.raises(ValueError, match="list of step caches"):
        rnn_backward(dh, tuple(cache))
    with pytest.raises(ValueError, match="list of step caches"):
        rnn_backward(dh, [])
    with pytest.raises(ValueError, match="dh_next has shape"):
        rnn_step_backward(dh[:2, 0], cache[0])
    with pytest.raises(ValueError, match="cache must be the tuple"):
        rnn_step_backward(dh[:, 0], cache[0][:4])
    with pytest.raises(ValueError, match="float32 or float64"):
        rnn_step_backward(dh[:, 0].astype(np.int64), cache[0])


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(1, 4), st.integers(1, 3)
)
def test_refuses_any_hidden_size_mismatch(n, t, d, h, wrong):
    """Fuzz: a dh whose last axis differs from H is always refused, naming dh."""
    x, h0 = np.zeros((n, t, d)), np.zeros((n, h))
    _, cache = rnn_forward(x, h0, np.zeros((h, d)), np.zeros((h, h)), np.zeros(h))
    with pytest.raises(ValueError, match="dh"):
        rnn_backward(np.zeros((n, t, h + wrong)), cache)
