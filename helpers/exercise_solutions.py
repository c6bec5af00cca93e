"""Reference answers of the end-of-notebook exercises whose answer is a function.

Each worked notebook folds its solutions into Markdown ``<details>`` blocks; where the answer
to an exercise is a function, the same function is here, so that
``helpers.practice.check(name, fn)`` can run a learner's version against it
(``helpers.practice.NOTEBOOK_EXERCISES`` says which notebook and exercise each one answers).
A test runs the solution printed in the notebook through the same check, so the two cannot
drift apart. The code is kept as the notebooks print it: short, with no argument checks.
"""

from __future__ import annotations

import numpy as np

from helpers.layers import gru_forward, rnn_step_forward, sigmoid

__all__ = [
    "bce_with_logits",
    "bidirectional_gru_forward",
    "cifg_step",
    "clip_grad_norm_inf",
    "conv2d_im2col",
    "from_cs231n_layout",
    "masked_rnn_forward",
    "merge_biases",
    "relu_rnn_forward",
    "running_variance",
    "softmax_vjp",
    "to_cs231n_layout",
    "top_m",
]


def running_variance(x):
    """Welford's one-pass running variance (notebook 01, exercise 1).

    x: (T,) a sequence. Returns (T,): entry t - 1 is the population variance of x_1..x_t,
    as np.var(x[:t]) computes it (0 for t = 1).
    """
    m, s, out = 0.0, 0.0, []
    for t, v in enumerate(x, start=1):
        delta = v - m
        m += delta / t
        s += delta * (v - m)  # sum of squared deviations
        out.append(s / t)
    return np.array(out)


def relu_rnn_forward(x, h0, Wx, Wh, b):
    """The RNN with ReLU in place of tanh, as nn.RNN(nonlinearity="relu")
    (notebook 02, exercise 3).

    x: (N, T, D); h0: (N, H); Wx: (H, D); Wh: (H, H); b: (H,).
    Returns h (N, T, H), h_t = max(0, W_x x_t + W_h h_{t-1} + b) at every step; no cache.
    """
    h, s = np.empty((*x.shape[:2], h0.shape[1])), h0
    for t in range(x.shape[1]):
        s = np.maximum(0, x[:, t] @ Wx.T + s @ Wh.T + b)
        h[:, t] = s
    return h


def bce_with_logits(a, y):
    """Mean binary cross-entropy of sigmoid(a) against y, and its gradient, stable for any
    finite logit (notebook 03, exercise 1).

    a: (N,) logits; y: (N,) labels, 0.0 or 1.0. Returns loss, the mean of
    softplus(a) - y a over the N examples (a number, as F.binary_cross_entropy_with_logits),
    and da (N,) = (sigmoid(a) - y) / N.
    """
    loss = np.mean(np.logaddexp(0, a) - y * a)
    return loss, (sigmoid(a) - y) / a.size


def softmax_vjp(p, p_bar):
    """The vector-Jacobian product of softmax, J^T p_bar = p * (p_bar - (p . p_bar) 1)
    (notebook 03, exercise 2).

    p: (..., C) softmax outputs; p_bar: (..., C) the gradient arriving at them.
    Returns (..., C), the gradient with respect to the logits, row by row along the last axis.
    """
    return p * (p_bar - np.sum(p * p_bar, axis=-1, keepdims=True))


def clip_grad_norm_inf(grads, max_norm):
    """Clipping by the largest absolute entry, as clip_grad_norm_(norm_type=inf)
    (notebook 05, exercise 3).

    grads: a list of arrays of any shapes; max_norm: a float >= 0.
    Returns (clipped, total): new arrays of the same shapes, each times
    max_norm / (total + 1e-6) when that is below 1 (else copies), and total, the largest
    |entry| of all of them.
    """
    total = max(float(np.max(np.abs(g), initial=0.0)) for g in grads)
    scale = max_norm / (total + 1e-6)
    return [g * scale if scale < 1 else g.copy() for g in grads], total


def cifg_step(x, h_prev, c_prev, Wx, Wh, b):
    """One step of the LSTM with coupled input and forget gates, i = 1 - f
    (notebook 06, exercise 1).

    x: (N, D); h_prev, c_prev: (N, H); Wx: (3H, D); Wh: (3H, H); b: (3H,), the rows in
    blocks [f; g; o], each H long. Returns h_next (N, H) and c_next (N, H).
    """
    H = h_prev.shape[1]
    a = x @ Wx.T + h_prev @ Wh.T + b
    f, g, o = sigmoid(a[:, :H]), np.tanh(a[:, H : 2 * H]), sigmoid(a[:, 2 * H :])
    c = f * c_prev + (1 - f) * g
    return o * np.tanh(c), c


def to_cs231n_layout(Wx):
    """Our LSTM input weights in CS231n's layout (notebook 06, exercise 3).

    Wx: (4H, D), rows in blocks i, f, g, o (PyTorch's). Returns (D, 4H), columns in blocks
    i, f, o, g.
    """
    i, f, g, o = np.split(Wx, 4, axis=0)  # each (H, D)
    return np.concatenate([i, f, o, g]).T


def from_cs231n_layout(W):
    """CS231n's LSTM input weights in our layout, the inverse of to_cs231n_layout
    (notebook 06, exercise 3).

    W: (D, 4H), columns in blocks i, f, o, g. Returns (4H, D), rows in blocks i, f, g, o.
    """
    i, f, o, g = np.split(W.T, 4, axis=0)  # each (H, D)
    return np.concatenate([i, f, g, o])


def merge_biases(bx, bh):
    """PyTorch's GRU biases with the r and z parts of bh moved into bx (notebook 07, exercise 3).

    bx, bh: (3H,), blocks r, z, n. Returns bx2, bh2 (3H,) with bh2's r and z blocks zero and
    the same GRU outputs: b_hn stays in bh2, since the reset gate multiplies it.
    """
    H = bx.shape[0] // 3
    bx2, bh2 = bx.copy(), bh.copy()
    bx2[: 2 * H] += bh[: 2 * H]
    bh2[: 2 * H] = 0.0
    return bx2, bh2


def bidirectional_gru_forward(x, h0, fwd, bwd):
    """One bidirectional GRU layer, built like bidirectional_lstm_forward
    (notebook 08, exercise 3).

    x: (N, T, D); h0: (2, N, H), [forward, backward]; fwd, bwd: dicts
    {"Wx": (3H, D), "Wh": (3H, H), "bx": (3H,), "bh": (3H,)}.
    Returns out (N, T, 2H) = [forward h_t, backward h_t] at every t, and h_n (2, N, H)
    (the backward direction's final state is the one at t = 1), as nn.GRU(bidirectional=True).
    """
    h_f, _ = gru_forward(x, h0[0], **fwd)
    h_b, _ = gru_forward(x[:, ::-1], h0[1], **bwd)
    h_b = h_b[:, ::-1]
    return np.concatenate([h_f, h_b], axis=2), np.stack([h_f[:, -1], h_b[:, 0]])


def masked_rnn_forward(x, lengths, Wx, Wh, b):
    """A tanh RNN from h_0 = 0 whose state freezes after each sequence's end
    (notebook 10, exercise 3).

    x: (N, T, D), padded; lengths: (N,) ints T_n in 1..T; Wx: (H, D); Wh: (H, H); b: (H,).
    Returns (N, H): row n is h_{T_n} of sequence n, its state after its last real step.
    """
    N, T, _ = x.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        m = (t < lengths)[:, None]  # (N, 1): True while step t is inside the sequence
        h = np.where(m, rnn_step_forward(x[:, t], h, Wx, Wh, b)[0], h)
    return h


def top_m(logits, m):
    """Only the m largest logits of every row kept, the others set to -inf
    (notebook 12, exercise 1).

    logits: (..., V) with no ties among the largest; m: an int in 1..V.
    Returns (..., V): logits where they are among the m largest of their row, else -inf.
    """
    cut = np.sort(logits, axis=-1)[..., -m][..., None]
    return np.where(logits >= cut, logits, -np.inf)


def conv2d_im2col(x, w, b, stride=1, padding=0):
    """conv2d_forward's output as one matrix product over all windows (notebook 16, exercise 2).

    x: (N, C, H, W); w: (F, C, KH, KW); b: (F,); stride, padding: ints.
    Returns out (N, F, Ho, Wo), Ho = (H + 2 padding - KH) // stride + 1 (Wo alike); no cache.
    """
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    Fn = w.shape[0]
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]  # (N, C, Ho, Wo, KH, KW)
    N, _, Ho, Wo = windows.shape[:4]
    cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(N, Ho, Wo, -1)  # (N, Ho, Wo, C*KH*KW)
    return (cols @ w.reshape(Fn, -1).T + b).transpose(0, 3, 1, 2)  # (N, F, Ho, Wo)
