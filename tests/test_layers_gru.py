"""helpers.layers.gru (notebook 07): GRU step and sequence, forward and backward, as nn.GRU."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.checks import grad_check
from helpers.layers import gru_backward, gru_forward, gru_step_backward, gru_step_forward
from helpers.torch_utils import rnn_weights

NAMES = ["x", "h0", "Wx", "Wh", "bx", "bh"]


def _problem(seed=0, N=3, T=5, D=4, H=3, dtype=np.float64):
    r = np.random.default_rng(seed)
    arrays = {
        "x": r.standard_normal((N, T, D)),
        "h0": r.standard_normal((N, H)),
        "Wx": r.standard_normal((3 * H, D)) * 0.5,
        "Wh": r.standard_normal((3 * H, H)) * 0.5,
        "bx": r.standard_normal(3 * H) * 0.5,
        "bh": r.standard_normal(3 * H) * 0.5,
    }
    dh = r.standard_normal((N, T, H))
    return {k: v.astype(dtype) for k, v in arrays.items()}, dh.astype(dtype)


def test_known_answer_with_zero_weights():
    """r = z = 0.5 and n = tanh(0) = 0, so h1 = h0 / 2."""
    H, D = 2, 3
    h1, _ = gru_step_forward(
        np.ones((1, D)),
        np.array([[1.0, -3.0]]),
        np.zeros((3 * H, D)),
        np.zeros((3 * H, H)),
        np.zeros(3 * H),
        np.zeros(3 * H),
    )
    np.testing.assert_array_equal(h1, [[0.5, -1.5]])


def test_z_gates_the_old_state_and_reset_multiplies_b_hn():
    """z = 1 keeps h_prev; with z = 0 and r = 0 the candidate ignores b_hn entirely."""
    h_prev = np.array([[0.3]])
    x = np.ones((1, 1))
    keep, _ = gru_step_forward(
        x, h_prev, np.ones((3, 1)), np.ones((3, 1)), np.zeros(3), np.array([0.0, 50.0, 0.0])
    )
    np.testing.assert_allclose(keep, h_prev, atol=1e-15)
    # r = sigma(-50) ~ 0, z = sigma(-50) ~ 0: h = n = tanh(W_in x + b_in), b_hn = 7 has no effect
    fresh, _ = gru_step_forward(
        x,
        h_prev,
        np.array([[0.0], [0.0], [0.5]]),
        np.zeros((3, 1)),
        np.array([-50.0, -50.0, 0.1]),
        np.array([0.0, 0.0, 7.0]),
    )
    np.testing.assert_allclose(fresh, np.tanh([[0.6]]), atol=1e-12)


def test_shapes_and_cache():
    a, dh = _problem()
    h, cache = gru_forward(**a)
    assert h.shape == (3, 5, 3) and len(cache) == 5
    grads = gru_backward(dh, cache)
    assert [g.shape for g in grads] == [(3, 5, 4), (3, 3), (9, 4), (9, 3), (9,), (9,)]
    step = gru_step_backward(dh[:, 0], cache[0])
    assert [g.shape for g in step] == [(3, 4), (3, 3), (9, 4), (9, 3), (9,), (9,)]


def test_large_inputs_give_no_warning():
    a, _ = _problem(seed=2)
    a["x"] = a["x"] * 1e4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, _ = gru_forward(**a)
    assert np.all(np.isfinite(h))


@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_forward_matches_torch(dtype, tol):
    torch.manual_seed(0)
    module = torch.nn.GRU(4, 6, batch_first=True).to(dtype)
    x = torch.randn(2, 9, 4, dtype=dtype)
    h0 = torch.randn(1, 2, 6, dtype=dtype)
    h, _ = gru_forward(x.numpy(), h0[0].numpy(), **rnn_weights(module))
    out, hT = module(x, h0)
    assert h.dtype == x.numpy().dtype
    assert np.max(np.abs(h - out.detach().numpy())) <= tol
    assert np.max(np.abs(h[:, -1] - hT[0].detach().numpy())) <= tol


def test_backward_matches_autograd():
    torch.manual_seed(1)
    module = torch.nn.GRU(3, 4, batch_first=True).double()
    r = np.random.default_rng(1)
    x, h0, dh = (
        r.standard_normal((2, 6, 3)),
        r.standard_normal((2, 4)),
        r.standard_normal((2, 6, 4)),
    )
    _, cache = gru_forward(x, h0, **rnn_weights(module))
    ours = gru_backward(dh, cache)
    xt, ht = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, _ = module(xt, ht)
    (out * torch.from_numpy(dh)).sum().backward()
    theirs = [
        xt.grad,
        ht.grad[0],
        module.weight_ih_l0.grad,
        module.weight_hh_l0.grad,
        module.bias_ih_l0.grad,
        module.bias_hh_l0.grad,
    ]
    for a, b in zip(ours, theirs, strict=True):
        assert np.max(np.abs(a - b.numpy())) <= 1e-10


def test_step_backward_matches_grucell():
    torch.manual_seed(2)
    cell = torch.nn.GRUCell(3, 4).double()
    r = np.random.default_rng(2)
    x, h0, dh = r.standard_normal((2, 3)), r.standard_normal((2, 4)), r.standard_normal((2, 4))
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    _, cache = gru_step_forward(x, h0, *(p.detach().numpy() for p in params))
    ours = gru_step_backward(dh, cache)
    xt, ht = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
    (cell(xt, ht) * torch.from_numpy(dh)).sum().backward()
    for a, t in zip(ours, [xt.grad, ht.grad, *(p.grad for p in params)], strict=True):
        assert np.max(np.abs(a - t.numpy())) <= 1e-10


@pytest.mark.parametrize("name", NAMES)
def test_gradient_check(name):
    a, dh = _problem(seed=8, N=2, T=3, D=2, H=2)
    _, cache = gru_forward(**a)
    grads = dict(zip(NAMES, gru_backward(dh, cache), strict=True))

    def f(value):
        return gru_forward(**(a | {name: value}))[0]

    assert grad_check(f, a[name].copy(), grads[name], dout=dh, name=name) <= 1e-7


def test_float32_in_float32_out():
    a, dh = _problem(dtype=np.float32)
    h, cache = gru_forward(**a)
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in gru_backward(dh, cache))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"Wh": np.zeros((12, 3))}, "Wh has shape"),
        ({"Wx": np.zeros((9, 5))}, "Wx has shape"),
        ({"Wx": np.zeros((12, 4))}, "Wx has shape"),
        ({"bx": np.zeros(12)}, "bx has shape"),
        ({"bh": np.zeros(6)}, "bh has shape"),
        ({"x": np.zeros((3, 4))}, "x must have 3 dimensions"),
        ({"h0": np.full((3, 3), np.inf)}, "h0 contains NaN"),
        ({"bh": np.zeros(9, dtype=np.float32)}, "bh has dtype"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    a, _ = _problem()
    with pytest.raises(ValueError, match=message):
        gru_forward(**(a | kwargs))


def test_backward_refuses_wrong_upstream_shape():
    a, dh = _problem()
    _, cache = gru_forward(**a)
    with pytest.raises(ValueError, match="dh"):
        gru_backward(dh[:, :-1], cache)
    with pytest.raises(ValueError, match="dh"):
        gru_backward(dh[..., :-1], cache)
    with pytest.raises(ValueError, match="cache"):
        gru_backward(dh, [])


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_step_refuses_any_gate_count_mismatch(n, d, h, wrong):
    """Fuzz: Wh with other than 3H rows is always refused by name."""
    x, h_prev = np.zeros((n, d)), np.zeros((n, h))
    with pytest.raises(ValueError, match="Wh"):
        gru_step_forward(
            x,
            h_prev,
            np.zeros((3 * h, d)),
            np.zeros((3 * h + wrong, h)),
            np.zeros(3 * h),
            np.zeros(3 * h),
        )
