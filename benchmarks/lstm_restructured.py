"""Not course code: the LSTM of helpers.layers restructured for speed, to measure what the
changes proposed in BENCHMARKS.md buy. Same arguments, results and gradients as
helpers.layers.lstm_forward / lstm_backward (bench_layers.py checks it in float64).

1. the input projection of all T steps is one matrix product before the loop;
2. inside the loop only h_{t-1} W_h^T (forward) and delta a_t W_h (backward) remain;
3. dx, dW_x, dW_h and db are one matrix product (or sum) each, after the loop;
4. every buffer is allocated once, time-major (T, N, .), so each step's slice is contiguous;
5. validation once per call, not per step; the three sigmoids in one ufunc call
   (sigma(a) = (1 + tanh(a / 2)) / 2, stable for any finite a); no Python loop over the batch.
"""

from __future__ import annotations

import numpy as np


def lstm_forward(x, h0, c0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))  # (T, N, D)
    # 1. a_t = x_t Wx^T + b for every t at once: (T, N, 4H)
    gates = (xt.reshape(T * N, D) @ Wx.T + b).reshape(T, N, 4 * H)
    c = np.empty((T, N, H), dtype=x.dtype)
    tanh_c = np.empty_like(c)
    h = np.empty_like(c)
    h_prev, c_prev = h0, c0
    for t in range(T):
        a = gates[t]
        a += h_prev @ Wh.T  # 2. the only product left in the loop
        g = a[:, 2 * H : 3 * H].copy()
        np.multiply(a, 0.5, out=a)  # 5. i, f, o = sigma(a) in one pass over the block
        np.tanh(a, out=a)
        a += 1.0
        a *= 0.5
        np.tanh(g, out=a[:, 2 * H : 3 * H])
        i, f, gg, o = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        np.multiply(f, c_prev, out=c[t])
        c[t] += i * gg
        np.tanh(c[t], out=tanh_c[t])
        np.multiply(o, tanh_c[t], out=h[t])
        h_prev, c_prev = h[t], c[t]
    cache = (xt, h0, c0, Wx, Wh, gates, c, tanh_c, h)
    return h.transpose(1, 0, 2), c.transpose(1, 0, 2), cache


def lstm_backward(dh, cache):
    xt, h0, c0, Wx, Wh, gates, c, tanh_c, h = cache
    T, N, D = xt.shape
    H = h0.shape[1]
    dht = dh.transpose(1, 0, 2)
    da = np.empty_like(gates)  # 4. (T, N, 4H), filled step by step
    dh_next = np.zeros((N, H), dtype=dh.dtype)
    dc_next = np.zeros((N, H), dtype=dh.dtype)
    for t in reversed(range(T)):
        gt = gates[t]
        i, f, g, o = gt[:, :H], gt[:, H : 2 * H], gt[:, 2 * H : 3 * H], gt[:, 3 * H :]
        c_prev = c[t - 1] if t else c0
        d_h = dht[t] + dh_next
        dc = dc_next + d_h * o * (1 - tanh_c[t] ** 2)
        dat = da[t]
        np.multiply(dc * g, i * (1 - i), out=dat[:, :H])
        np.multiply(dc * c_prev, f * (1 - f), out=dat[:, H : 2 * H])
        np.multiply(dc * i, 1 - g * g, out=dat[:, 2 * H : 3 * H])
        np.multiply(d_h * tanh_c[t], o * (1 - o), out=dat[:, 3 * H :])
        dc_next = dc * f
        dh_next = dat @ Wh  # 2. the only product left in the loop
    # 3. everything that does not feed the recursion, once
    da2 = da.reshape(T * N, 4 * H)
    dx = (da2 @ Wx).reshape(T, N, D).transpose(1, 0, 2)
    h_prev = np.concatenate([h0[None], h[:-1]]).reshape(T * N, H)
    dWx = da2.T @ xt.reshape(T * N, D)
    dWh = da2.T @ h_prev
    db = da2.sum(axis=0)
    return dx, dh_next, dc_next, dWx, dWh, db
