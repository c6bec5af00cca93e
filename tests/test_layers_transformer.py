"""Tests of helpers.layers.transformer (exported from notebooks/15_rnn_vs_transformer.ipynb)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.checks import grad_check
from helpers.layers import attention, attention_backward, positional_encoding


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize(("T", "d"), [(1, 2), (7, 4), (50, 16), (3, 64)])
def test_positional_encoding_is_the_sinusoid_formula(T, d):
    pe = positional_encoding(T, d)
    assert pe.shape == (T, d) and pe.dtype == np.float64
    for t in range(T):
        for u in range(d // 2):
            angle = t / 10000 ** (2 * u / d)
            assert pe[t, 2 * u] == pytest.approx(np.sin(angle), abs=1e-14)
            assert pe[t, 2 * u + 1] == pytest.approx(np.cos(angle), abs=1e-14)


def test_positional_encoding_dot_product_depends_only_on_the_offset():
    pe = positional_encoding(40, 12)
    for offset in range(10):
        dots = (pe[: 40 - offset] * pe[offset:]).sum(axis=1)
        np.testing.assert_allclose(dots, dots[0], atol=1e-12)


@pytest.mark.parametrize(
    ("T", "d", "argument"), [(4, 5, "d"), (4, 0, "d"), (0, 4, "T"), (2.0, 4, "T"), (True, 4, "T")]
)
def test_positional_encoding_rejects_bad_sizes(T, d, argument):
    with pytest.raises(ValueError, match=rf"^{argument} must be"):
        positional_encoding(T, d)


@pytest.mark.parametrize("masked", [False, True])
def test_attention_backward_matches_autograd(rng, masked):
    N, Tq, Tk, dk, dv = 2, 3, 5, 4, 6
    q, k = rng.standard_normal((N, Tq, dk)), rng.standard_normal((N, Tk, dk))
    v, grad = rng.standard_normal((N, Tk, dv)), rng.standard_normal((N, Tq, dv))
    mask = None
    if masked:
        mask = rng.random((N, Tq, Tk)) < 0.5
        mask[..., 0] = True
    _, weights = attention(q, k, v, mask=mask)
    ours = attention_backward(grad, q, k, v, weights)
    leaves = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    scores = leaves[0] @ leaves[1].transpose(1, 2) / np.sqrt(dk)
    if masked:
        scores = scores.masked_fill(~torch.from_numpy(mask), float("-inf"))
    (torch.softmax(scores, dim=-1) @ leaves[2] * torch.from_numpy(grad)).sum().backward()
    for mine, leaf in zip(ours, leaves, strict=True):
        np.testing.assert_allclose(mine, leaf.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_attention_backward_passes_central_differences(rng):
    q, k, v = (rng.standard_normal((1, 4, 3)) for _ in range(3))
    grad = rng.standard_normal((1, 4, 3))
    causal = np.tril(np.ones((4, 4), dtype=bool))
    _, weights = attention(q, k, v, mask=causal)
    dq, _, _ = attention_backward(grad, q, k, v, weights)
    grad_check(lambda x: attention(x, k, v, mask=causal)[0], q, dq, dout=grad, name="dq")


def test_attention_backward_names_the_wrong_argument(rng):
    q, k, v = (rng.standard_normal((2, 3, 4)) for _ in range(3))
    _, weights = attention(q, k, v)
    with pytest.raises(ValueError, match="d_context"):
        attention_backward(rng.standard_normal((2, 3, 5)), q, k, v, weights)
    with pytest.raises(ValueError, match="weights"):
        attention_backward(rng.standard_normal((2, 3, 4)), q, k, v, weights[:, :, :2])
