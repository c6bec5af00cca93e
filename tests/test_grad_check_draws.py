"""A correct gradient passes ``grad_check`` on every random draw, not on most of them.

For each function the course checks by central differences, 50 random draws (shapes and
values), each with the tolerance the notebooks use (1e-7, norm-wise). The element-wise
metric this replaced failed notebook 14's correct attention gradient on 7 of 20 draws.
"""

import numpy as np
import pytest
import torch

from helpers.checks import numerical_gradient, relative_error
from helpers.layers import (
    attention,
    conv2d_backward,
    conv2d_forward,
    cross_entropy,
    cross_entropy_backward,
    gru_backward,
    gru_forward,
    lstm_backward,
    lstm_forward,
    rnn_backward,
    rnn_forward,
)

DRAWS = 50
TOL = 1e-7


def error(f, x, analytic, dout=None) -> float:
    return relative_error(analytic, numerical_gradient(f, x, dout=dout))


def recurrent_draw(kind, seed):
    """Errors of dx and of one weight's gradient for one random draw."""
    r = np.random.default_rng(seed)
    N, T, D, H = r.integers(1, 3), r.integers(1, 4), r.integers(1, 4), r.integers(1, 4)
    G = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    x = r.standard_normal((N, T, D))
    h0 = r.standard_normal((N, H))
    Wx, Wh = r.standard_normal((G * H, D)), r.standard_normal((G * H, H)) * 0.5
    b = r.standard_normal(G * H)
    dh = r.standard_normal((N, T, H))
    if kind == "rnn":
        _, cache = rnn_forward(x, h0, Wx, Wh, b)
        dx, _, dWx, _, _ = rnn_backward(dh, cache)
        return [
            error(lambda v: rnn_forward(v, h0, Wx, Wh, b)[0], x, dx, dh),
            error(lambda v: rnn_forward(x, h0, v, Wh, b)[0], Wx.copy(), dWx, dh),
        ]
    if kind == "lstm":
        c0 = r.standard_normal((N, H))
        _, _, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
        dx, _, _, _, dWh, _ = lstm_backward(dh, cache)
        return [
            error(lambda v: lstm_forward(v, h0, c0, Wx, Wh, b)[0], x, dx, dh),
            error(lambda v: lstm_forward(x, h0, c0, Wx, v, b)[0], Wh.copy(), dWh, dh),
        ]
    bh = r.standard_normal(G * H)
    _, cache = gru_forward(x, h0, Wx, Wh, b, bh)
    dx, _, _, _, _, dbh = gru_backward(dh, cache)
    return [
        error(lambda v: gru_forward(v, h0, Wx, Wh, b, bh)[0], x, dx, dh),
        error(lambda v: gru_forward(x, h0, Wx, Wh, b, v)[0], bh.copy(), dbh, dh),
    ]


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_recurrent_backward_passes_on_every_draw(kind):
    assert max(max(recurrent_draw(kind, seed)) for seed in range(DRAWS)) <= TOL


def conv_draw(seed):
    r = np.random.default_rng(seed)
    S, P, K = r.integers(1, 3), r.integers(0, 2), r.integers(1, 4)
    x = r.standard_normal((r.integers(1, 3), 2, 5, 5))
    w, b = r.standard_normal((2, 2, K, K)), r.standard_normal(2)
    out, cache = conv2d_forward(x, w, b, S, P)
    dout = r.standard_normal(out.shape)
    dx, dw, _ = conv2d_backward(dout, cache)
    return max(
        error(lambda v: conv2d_forward(v, w, b, S, P)[0], x, dx, dout),
        error(lambda v: conv2d_forward(x, v, b, S, P)[0], w.copy(), dw, dout),
    )


def test_conv2d_backward_passes_on_every_draw():
    assert max(conv_draw(seed) for seed in range(DRAWS)) <= TOL


def cross_entropy_draw(seed):
    r = np.random.default_rng(seed)
    N, C = r.integers(1, 5), r.integers(2, 6)
    z, y = r.standard_normal((N, C)) * 3, r.integers(0, C, N)
    return error(lambda v: cross_entropy(v, y), z, cross_entropy_backward(z, y))


def test_cross_entropy_backward_passes_on_every_draw():
    assert max(cross_entropy_draw(seed) for seed in range(DRAWS)) <= TOL


def attention_draw(score, seed):
    """dQ of attention by autograd (an independent torch version) against central differences."""
    r = np.random.default_rng(seed)
    N, Tq, Tk, d, dv, da = 2, r.integers(1, 4), r.integers(1, 5), 3, 2, 4
    q, k, v = (r.standard_normal(s) for s in [(N, Tq, d), (N, Tk, d), (N, Tk, dv)])
    params = {
        "general": {"W": r.standard_normal((d, d))},
        "additive": {
            "Wq": r.standard_normal((da, d)),
            "Wk": r.standard_normal((da, d)),
            "v": r.standard_normal(da),
        },
    }.get(score)
    dout = r.standard_normal((N, Tq, dv))
    qt = torch.from_numpy(q.copy()).requires_grad_()
    e = torch_scores(qt, torch.from_numpy(k), score, params)
    ((torch.softmax(e, -1) @ torch.from_numpy(v)) * torch.from_numpy(dout)).sum().backward()
    return error(lambda x: attention(x, k, v, None, score, params)[0], q, qt.grad.numpy(), dout)


@pytest.mark.parametrize("score", ["dot", "scaled_dot", "general", "additive"])
def test_attention_gradient_by_autograd_passes_on_every_draw(score):
    assert max(attention_draw(score, seed) for seed in range(DRAWS)) <= TOL


def torch_scores(q, k, score, params):
    """Attention scores in torch, written independently of helpers.layers.attention."""
    t = {name: torch.from_numpy(value) for name, value in (params or {}).items()}
    if score == "dot":
        return q @ k.transpose(1, 2)
    if score == "scaled_dot":
        return q @ k.transpose(1, 2) / q.shape[-1] ** 0.5
    if score == "general":
        return q @ t["W"] @ k.transpose(1, 2)
    hidden = torch.tanh((q @ t["Wq"].T)[:, :, None, :] + (k @ t["Wk"].T)[:, None, :, :])
    return hidden @ t["v"]
