"""helpers.layers.lstm (notebook 06): LSTM step and sequence, forward and backward."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.checks import grad_check
from helpers.layers import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from helpers.torch_utils import rnn_weights


def _problem(seed=0, N=3, T=5, D=4, H=3, dtype=np.float64):
    r = np.random.default_rng(seed)
    arrays = {
        "x": r.standard_normal((N, T, D)),
        "h0": r.standard_normal((N, H)),
        "c0": r.standard_normal((N, H)),
        "Wx": r.standard_normal((4 * H, D)) * 0.5,
        "Wh": r.standard_normal((4 * H, H)) * 0.5,
        "b": r.standard_normal(4 * H) * 0.5,
    }
    dh = r.standard_normal((N, T, H))
    return {k: v.astype(dtype) for k, v in arrays.items()}, dh.astype(dtype)


def test_known_answer_with_zero_weights():
    """All gates sigma(0) = 0.5 and g = tanh(0) = 0: c1 = c0 / 2, h1 = tanh(c1) / 2."""
    H, D = 2, 3
    h1, c1, _ = lstm_step_forward(
        np.ones((1, D)),
        np.zeros((1, H)),
        np.array([[2.0, -4.0]]),
        np.zeros((4 * H, D)),
        np.zeros((4 * H, H)),
        np.zeros(4 * H),
    )
    np.testing.assert_allclose(c1, [[1.0, -2.0]], atol=0)
    np.testing.assert_allclose(h1, [[0.5 * np.tanh(1.0), 0.5 * np.tanh(-2.0)]], atol=1e-15)


def test_gate_order_is_i_f_g_o():
    """A large bias on one block only: f = 1 keeps c_prev, i = 0 blocks g, o = 1 shows tanh(c)."""
    H = 1
    b = np.array([-50.0, 50.0, 0.0, 50.0])  # i, f, g, o
    h, c, _ = lstm_step_forward(
        np.ones((1, 1)), np.zeros((1, H)), np.array([[0.7]]), np.ones((4, 1)), np.zeros((4, 1)), b
    )
    np.testing.assert_allclose(c, [[0.7]], atol=1e-15)
    np.testing.assert_allclose(h, np.tanh([[0.7]]), atol=1e-15)


def test_shapes_and_cache():
    a, dh = _problem()
    h, c, cache = lstm_forward(**a)
    assert h.shape == c.shape == (3, 5, 3)
    assert cache[5].shape == (5, 3, 12)  # gates [i, f, g, o] of every step, time first
    grads = lstm_backward(dh, cache)
    assert [g.shape for g in grads] == [(3, 5, 4), (3, 3), (3, 3), (12, 4), (12, 3), (12,)]
    _, _, step_cache = lstm_step_forward(a["x"][:, 0], a["h0"], a["c0"], a["Wx"], a["Wh"], a["b"])
    step = lstm_step_backward(dh[:, 0], dh[:, 1], step_cache)
    assert [g.shape for g in step] == [(3, 4), (3, 3), (3, 3), (12, 4), (12, 3), (12,)]


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_sequence_equals_step_loop(dtype, tol):
    """The batched lstm_forward / lstm_backward equal T calls of the step functions."""
    a, dh = _problem(seed=4, N=3, T=6, D=4, H=5, dtype=dtype)
    h, c, cache = lstm_forward(**a)
    grads = lstm_backward(dh, cache)
    h_prev, c_prev, steps = a["h0"], a["c0"], []
    for t in range(6):
        h_prev, c_prev, step = lstm_step_forward(
            a["x"][:, t], h_prev, c_prev, a["Wx"], a["Wh"], a["b"]
        )
        np.testing.assert_allclose(h[:, t], h_prev, rtol=0, atol=tol)
        np.testing.assert_allclose(c[:, t], c_prev, rtol=0, atol=tol)
        steps.append(step)
    dh_next, dc_next = np.zeros_like(a["h0"]), np.zeros_like(a["c0"])
    sums = [np.zeros_like(a[k]) for k in ["Wx", "Wh", "b"]]
    for t in reversed(range(6)):
        dx_t, dh_next, dc_next, *step_grads = lstm_step_backward(
            dh[:, t] + dh_next, dc_next, steps[t]
        )
        np.testing.assert_allclose(grads[0][:, t], dx_t, rtol=0, atol=tol)
        sums = [total + g for total, g in zip(sums, step_grads, strict=True)]
    for ours, loop in zip(grads[1:], [dh_next, dc_next, *sums], strict=True):
        np.testing.assert_allclose(ours, loop, rtol=0, atol=tol)


def test_large_inputs_give_no_warning():
    a, _ = _problem(seed=2)
    a["x"] = a["x"] * 1e4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, c, _ = lstm_forward(**a)
    assert np.all(np.isfinite(h)) and np.all(np.isfinite(c))


@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_forward_matches_torch(dtype, tol):
    torch.manual_seed(0)
    module = torch.nn.LSTM(4, 6, batch_first=True).to(dtype)
    x = torch.randn(2, 9, 4, dtype=dtype)
    h0, c0 = torch.randn(1, 2, 6, dtype=dtype), torch.randn(1, 2, 6, dtype=dtype)
    w = rnn_weights(module)
    h, c, _ = lstm_forward(x.numpy(), h0[0].numpy(), c0[0].numpy(), w["Wx"], w["Wh"], w["b"])
    out, (hT, cT) = module(x, (h0, c0))
    assert h.dtype == x.numpy().dtype
    assert np.max(np.abs(h - out.detach().numpy())) <= tol
    assert np.max(np.abs(h[:, -1] - hT[0].detach().numpy())) <= tol
    assert np.max(np.abs(c[:, -1] - cT[0].detach().numpy())) <= tol


def test_backward_matches_autograd():
    torch.manual_seed(1)
    module = torch.nn.LSTM(3, 4, batch_first=True).double()
    r = np.random.default_rng(1)
    x, h0, c0 = r.standard_normal((2, 6, 3)), r.standard_normal((2, 4)), r.standard_normal((2, 4))
    dh = r.standard_normal((2, 6, 4))
    w = rnn_weights(module)
    _, _, cache = lstm_forward(x, h0, c0, w["Wx"], w["Wh"], w["b"])
    ours = lstm_backward(dh, cache)
    xt, ht, ct = (torch.tensor(a, requires_grad=True) for a in (x, h0[None], c0[None]))
    out, _ = module(xt, (ht, ct))
    (out * torch.from_numpy(dh)).sum().backward()
    theirs = [
        xt.grad,
        ht.grad[0],
        ct.grad[0],
        module.weight_ih_l0.grad,
        module.weight_hh_l0.grad,
        module.bias_ih_l0.grad,
    ]
    for a, b in zip(ours, theirs, strict=True):
        assert np.max(np.abs(a - b.numpy())) <= 1e-10


def test_step_backward_matches_autograd_with_both_upstream_gradients():
    torch.manual_seed(2)
    cell = torch.nn.LSTMCell(3, 4).double()
    r = np.random.default_rng(2)
    x, h0, c0, dh, dc = (r.standard_normal(s) for s in [(2, 3), (2, 4), (2, 4), (2, 4), (2, 4)])
    b = (cell.bias_ih + cell.bias_hh).detach().numpy()
    _, _, cache = lstm_step_forward(
        x, h0, c0, cell.weight_ih.detach().numpy(), cell.weight_hh.detach().numpy(), b
    )
    ours = lstm_step_backward(dh, dc, cache)
    xt, ht, ct = (torch.tensor(a, requires_grad=True) for a in (x, h0, c0))
    h1, c1 = cell(xt, (ht, ct))
    ((h1 * torch.from_numpy(dh)).sum() + (c1 * torch.from_numpy(dc)).sum()).backward()
    theirs = [
        xt.grad,
        ht.grad,
        ct.grad,
        cell.weight_ih.grad,
        cell.weight_hh.grad,
        cell.bias_ih.grad,
    ]
    for a, t in zip(ours, theirs, strict=True):
        assert np.max(np.abs(a - t.numpy())) <= 1e-10


@pytest.mark.parametrize("name", ["x", "h0", "c0", "Wx", "Wh", "b"])
def test_gradient_check(name):
    a, dh = _problem(seed=3, N=2, T=3, D=2, H=2)
    _, _, cache = lstm_forward(**a)
    grads = dict(zip(["x", "h0", "c0", "Wx", "Wh", "b"], lstm_backward(dh, cache), strict=True))

    def f(value):
        return lstm_forward(**(a | {name: value}))[0]

    assert grad_check(f, a[name].copy(), grads[name], dout=dh, name=name) <= 1e-7


def test_float32_in_float32_out():
    a, dh = _problem(dtype=np.float32)
    h, c, cache = lstm_forward(**a)
    assert h.dtype == c.dtype == np.float32
    assert all(g.dtype == np.float32 for g in lstm_backward(dh, cache))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"Wh": np.zeros((9, 3))}, "Wh has shape"),
        ({"Wx": np.zeros((12, 5))}, "Wx has shape"),
        ({"Wx": np.zeros((10, 4))}, "Wx has shape"),
        ({"b": np.zeros(9)}, "b has shape"),
        ({"x": np.zeros((3, 4))}, "x must have 3 dimensions"),
        ({"c0": np.zeros((3, 2))}, "c0 has shape"),
        ({"h0": np.full((3, 3), np.nan)}, "h0 contains NaN"),
        ({"b": np.zeros(12, dtype=np.float32)}, "b has dtype"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    a, _ = _problem()
    with pytest.raises(ValueError, match=message):
        lstm_forward(**(a | kwargs))


def test_backward_refuses_wrong_upstream_shape():
    a, dh = _problem()
    _, _, cache = lstm_forward(**a)
    with pytest.raises(ValueError, match="dh"):
        lstm_backward(dh[:, :-1], cache)
    with pytest.raises(ValueError, match="dh"):
        lstm_backward(dh[..., :-1], cache)
    with pytest.raises(ValueError, match="cache"):
        lstm_backward(dh, [])


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_step_refuses_any_gate_count_mismatch(n, d, h, wrong):
    """Fuzz: Wh with other than 4H rows is always refused by name."""
    x, h_prev = np.zeros((n, d)), np.zeros((n, h))
    Wx, b = np.zeros((4 * h, d)), np.zeros(4 * h)
    with pytest.raises(ValueError, match="Wh"):
        lstm_step_forward(x, h_prev, h_prev, Wx, np.zeros((4 * h + wrong, h)), b)


def test_changing_the_outputs_does_not_change_the_gradients():
    a, dh = _problem(seed=5)
    h, c, cache = lstm_forward(**a)
    before = lstm_backward(dh, cache)
    h[...], c[...] = 0.0, 0.0
    after = lstm_backward(dh, cache)
    for g0, g1 in zip(before, after, strict=True):
        np.testing.assert_array_equal(g0, g1)
