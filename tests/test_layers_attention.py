"""Tests of helpers.layers.attention (exported from notebooks/14_attention.ipynb)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.checks import grad_check
from helpers.layers import attention, attention_scores

N, TQ, TK, DQ, DK, DV, DA = 2, 3, 5, 4, 6, 7, 8


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def _t(x):
    return torch.from_numpy(x)


def _params(rng, score, dq=DQ, dk=DK):
    if score == "general":
        return {"W": rng.standard_normal((dq, dk))}
    if score == "additive":
        return {
            "Wq": rng.standard_normal((DA, dq)),
            "Wk": rng.standard_normal((DA, dk)),
            "v": rng.standard_normal(DA),
        }
    return None


def _torch_reference(q, k, v, score, params, mask=None):
    """Direct PyTorch computation of the same formulas (float64)."""
    q, k, v = _t(q), _t(k), _t(v)
    if score == "dot":
        e = q @ k.transpose(1, 2)
    elif score == "scaled_dot":
        e = q @ k.transpose(1, 2) / k.shape[-1] ** 0.5
    elif score == "general":
        e = torch.einsum("nid,de,nje->nij", q, _t(params["W"]), k)
    else:
        hidden = torch.tanh(
            (q @ _t(params["Wq"]).T).unsqueeze(2) + (k @ _t(params["Wk"]).T).unsqueeze(1)
        )
        e = hidden @ _t(params["v"])
    if mask is not None:
        e = e.masked_fill(~_t(mask), float("-inf"))
    w = torch.softmax(e, dim=-1)
    return w @ v, w


@pytest.mark.parametrize("score", ["dot", "scaled_dot", "general", "additive"])
def test_shapes_and_rows_sum_to_one(rng, score):
    dk = DQ if score in ("dot", "scaled_dot") else DK
    q, k = rng.standard_normal((N, TQ, DQ)), rng.standard_normal((N, TK, dk))
    v = rng.standard_normal((N, TK, DV))
    context, weights = attention(q, k, v, score=score, params=_params(rng, score, DQ, dk))
    assert context.shape == (N, TQ, DV)
    assert weights.shape == (N, TQ, TK)
    assert np.allclose(weights.sum(-1), 1.0, atol=1e-15)
    assert np.all(weights >= 0)


def test_float32_keeps_dtype(rng):
    q, k, v = (rng.standard_normal((N, T, 4)).astype(np.float32) for T in (TQ, TK, TK))
    context, weights = attention(q, k, v)
    assert context.dtype == np.float32 and weights.dtype == np.float32


def test_known_answer_by_hand():
    # one query [1, 0]; keys [1, 0] and [0, 1]; dot scores 1 and 0
    q = np.array([[[1.0, 0.0]]])
    k = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    v = np.array([[[10.0], [20.0]]])
    context, weights = attention(q, k, v, score="dot")
    a = np.e / (np.e + 1.0)  # softmax([1, 0])[0]
    assert np.allclose(weights, [[[a, 1 - a]]], atol=1e-15)
    assert np.allclose(context, [[[10 * a + 20 * (1 - a)]]], atol=1e-13)


def test_equal_keys_give_the_mean_of_values(rng):
    q = rng.standard_normal((1, 2, 3))
    k = np.ones((1, 4, 3))
    v = rng.standard_normal((1, 4, 5))
    context, weights = attention(q, k, v)
    assert np.allclose(weights, 0.25, atol=1e-15)
    assert np.allclose(context, v.mean(axis=1, keepdims=True), atol=1e-14)


@pytest.mark.parametrize("mask_kind", [None, "full", "key_padding", "causal"])
def test_scaled_dot_equals_torch_sdpa(rng, mask_kind):
    q = rng.standard_normal((N, TQ, DQ))
    k = rng.standard_normal((N, TK, DQ))
    v = rng.standard_normal((N, TK, DV))
    mask = None
    if mask_kind == "full":
        mask = rng.random((N, TQ, TK)) > 0.5
        mask[..., 1] = True
    elif mask_kind == "key_padding":
        mask = np.ones((N, 1, TK), dtype=bool)
        mask[0, :, 3:] = False
    elif mask_kind == "causal":
        mask = np.tril(np.ones((TQ, TK), dtype=bool))
    context, _ = attention(q, k, v, mask=mask)
    expected = F.scaled_dot_product_attention(
        _t(q), _t(k), _t(v), attn_mask=None if mask is None else _t(mask)
    )
    assert np.max(np.abs(context - expected.numpy())) <= 1e-12


def test_causal_equals_is_causal(rng):
    x = rng.standard_normal((N, 6, 4))
    mask = np.tril(np.ones((6, 6), dtype=bool))
    context, weights = attention(x, x, x, mask=mask)
    expected = F.scaled_dot_product_attention(_t(x), _t(x), _t(x), is_causal=True)
    assert np.max(np.abs(context - expected.numpy())) <= 1e-12
    assert np.all(np.triu(weights[0], k=1) == 0)


@pytest.mark.parametrize("score", ["dot", "scaled_dot", "general", "additive"])
def test_every_score_equals_direct_torch(rng, score):
    dk = DQ if score in ("dot", "scaled_dot") else DK
    q, k = rng.standard_normal((N, TQ, DQ)), rng.standard_normal((N, TK, dk))
    v = rng.standard_normal((N, TK, DV))
    params = _params(rng, score, DQ, dk)
    mask = rng.random((N, TQ, TK)) > 0.3
    mask[..., 0] = True
    context, weights = attention(q, k, v, mask=mask, score=score, params=params)
    ref_context, ref_weights = _torch_reference(q, k, v, score, params, mask)
    assert np.max(np.abs(context - ref_context.numpy())) <= 1e-12
    assert np.max(np.abs(weights - ref_weights.numpy())) <= 1e-12


def test_value_dimension_is_free_and_additive_needs_no_equal_dims(rng):
    q = rng.standard_normal((1, 2, 3))
    k = rng.standard_normal((1, 4, 9))
    v = rng.standard_normal((1, 4, 11))
    context, _ = attention(q, k, v, score="additive", params=_params(rng, "additive", 3, 9))
    assert context.shape == (1, 2, 11)


def test_stable_for_huge_scores(rng):
    q = rng.standard_normal((1, 2, 3)) * 1e3
    k = rng.standard_normal((1, 4, 3)) * 1e3
    v = rng.standard_normal((1, 4, 2))
    context, weights = attention(q, k, v, score="dot")
    assert np.all(np.isfinite(context)) and np.allclose(weights.sum(-1), 1.0)


@pytest.mark.parametrize("score", ["dot", "general", "additive"])
def test_gradients_by_autograd_match_central_differences(rng, score):
    dk = DQ if score == "dot" else DK
    q, k = rng.standard_normal((1, 2, DQ)), rng.standard_normal((1, 3, dk))
    v = rng.standard_normal((1, 3, 2))
    params = _params(rng, score, DQ, dk)
    dout = rng.standard_normal((1, 2, 2))
    ref_context, _ = _torch_reference(q, k, v, score, params)
    # autograd gradient of sum(dout * context) with respect to q
    qt = _t(q.copy()).requires_grad_()
    context_t, _ = _torch_reference_tensor(qt, k, v, score, params)
    (context_t * _t(dout)).sum().backward()
    error = grad_check(
        lambda x: attention(x, k, v, score=score, params=params)[0],
        q.copy(),
        qt.grad.numpy(),
        dout=dout,
        name=f"dq {score}",
    )
    assert error <= 1e-7
    assert (
        np.max(np.abs(ref_context.numpy() - attention(q, k, v, score=score, params=params)[0]))
        < 1e-12
    )


def _torch_reference_tensor(qt, k, v, score, params):
    k, v = _t(k), _t(v)
    if score == "dot":
        e = qt @ k.transpose(1, 2)
    elif score == "general":
        e = torch.einsum("nid,de,nje->nij", qt, _t(params["W"]), k)
    else:
        hidden = torch.tanh(
            (qt @ _t(params["Wq"]).T).unsqueeze(2) + (k @ _t(params["Wk"]).T).unsqueeze(1)
        )
        e = hidden @ _t(params["v"])
    w = torch.softmax(e, dim=-1)
    return w @ v, w


def test_scores_known_values(rng):
    q, k = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4))
    assert np.allclose(attention_scores(q, k, "dot"), q @ k.transpose(0, 2, 1), atol=1e-15)
    assert np.allclose(attention_scores(q, k), q @ k.transpose(0, 2, 1) / 2.0, atol=1e-15)
    eye = {"W": np.eye(4)}
    assert np.allclose(attention_scores(q, k, "general", eye), attention_scores(q, k, "dot"))


def test_fully_masked_row_raises(rng):
    q, k, v = (rng.standard_normal((1, T, 2)) for T in (2, 3, 3))
    mask = np.ones((1, 2, 3), dtype=bool)
    mask[0, 1] = False
    with pytest.raises(ValueError, match="query 1"):
        attention(q, k, v, mask=mask)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"score": "cosine"}, "score must be one of"),
        ({"score": "general"}, "needs params"),
        ({"score": "additive", "params": {"W": np.ones((2, 2))}}, "needs params"),
        ({"mask": np.ones((1, 2, 3))}, "bool"),
        ({"mask": np.ones((4, 2, 3), dtype=bool)}, "broadcast"),
    ],
)
def test_bad_arguments_raise(rng, kwargs, message):
    q, k, v = (rng.standard_normal((1, T, 2)) for T in (2, 3, 3))
    with pytest.raises(ValueError, match=message):
        attention(q, k, v, **kwargs)


def test_dot_needs_equal_query_and_key_dims(rng):
    q, k, v = (
        rng.standard_normal((1, 2, 3)),
        rng.standard_normal((1, 4, 5)),
        rng.standard_normal((1, 4, 2)),
    )
    with pytest.raises(ValueError, match="k has shape"):
        attention(q, k, v, score="dot")


def test_values_must_match_keys_in_length(rng):
    q, k, v = (
        rng.standard_normal((1, 2, 3)),
        rng.standard_normal((1, 4, 3)),
        rng.standard_normal((1, 5, 2)),
    )
    with pytest.raises(ValueError, match="v has shape"):
        attention(q, k, v)


def test_nan_and_integer_inputs_raise(rng):
    q, k, v = (rng.standard_normal((1, T, 2)) for T in (2, 3, 3))
    bad = q.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        attention(bad, k, v)
    with pytest.raises(ValueError, match="float32 or float64"):
        attention(q.astype(int), k, v)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 4),
)
def test_random_shapes_either_work_or_raise_valueerror(n, tq, tk, dq, dk, dv):
    rng = np.random.default_rng(n * 1000 + tq * 100 + tk * 10 + dq)
    q, k = rng.standard_normal((n, tq, dq)), rng.standard_normal((n, tk, dk))
    v = rng.standard_normal((n, tk, dv))
    if dq == dk:
        context, weights = attention(q, k, v)
        assert context.shape == (n, tq, dv) and weights.shape == (n, tq, tk)
    else:
        with pytest.raises(ValueError):
            attention(q, k, v)
