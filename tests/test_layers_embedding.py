"""helpers.layers.embedding (notebook 10): the lookup, its gradient and padded last states."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn.utils.rnn import pack_padded_sequence

from helpers.checks import grad_check
from helpers.layers import (
    embedding_backward,
    embedding_forward,
    last_states,
    last_states_backward,
    rnn_forward,
)


def _tokens(seed=0, shape=(3, 5), V=7):
    return np.random.default_rng(seed).integers(0, V, size=shape)


def test_forward_is_row_lookup():
    E = np.arange(12.0).reshape(4, 3)
    out = embedding_forward(np.array([[2, 0], [3, 3]]), E)
    assert out.shape == (2, 2, 3)
    assert np.array_equal(out[0, 0], [6.0, 7.0, 8.0]) and np.array_equal(out[1, 1], E[3])


def test_backward_sums_repeated_tokens():
    tokens = np.array([1, 1, 1, 2])
    dE = embedding_backward(np.ones((4, 2)), tokens, vocab_size=4)
    assert np.array_equal(dE, [[0, 0], [3, 3], [1, 1], [0, 0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_against_torch_embedding(dtype):
    V, D = 7, 4
    tokens = _tokens(V=V)
    E = np.random.default_rng(1).standard_normal((V, D)).astype(dtype)
    dx = np.random.default_rng(2).standard_normal((*tokens.shape, D)).astype(dtype)
    module = torch.nn.Embedding(V, D, _weight=torch.tensor(E))
    out = module(torch.from_numpy(tokens))
    out.backward(torch.from_numpy(dx))
    tol = 1e-6 if dtype == np.float32 else 1e-12
    assert np.allclose(embedding_forward(tokens, E), out.detach().numpy(), rtol=0, atol=tol)
    dE = embedding_backward(dx, tokens, V)
    assert dE.dtype == dtype
    assert np.allclose(dE, module.weight.grad.numpy(), rtol=0, atol=tol)


def test_gradient_check():
    V, D = 6, 3
    tokens = _tokens(V=V)
    E = np.random.default_rng(3).standard_normal((V, D))
    dx = np.random.default_rng(4).standard_normal((*tokens.shape, D))
    error = grad_check(
        lambda W: embedding_forward(tokens, W), E, embedding_backward(dx, tokens, V), dout=dx
    )
    assert error < 1e-7


def test_last_states_against_packed_rnn():
    torch.manual_seed(0)
    rnn = torch.nn.RNN(3, 4, batch_first=True, dtype=torch.float64)
    x = np.random.default_rng(5).standard_normal((3, 6, 3))
    lengths = np.array([6, 2, 4])
    weights = {
        "Wx": rnn.weight_ih_l0.detach().numpy(),
        "Wh": rnn.weight_hh_l0.detach().numpy(),
        "b": (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().numpy(),
    }
    h, _ = rnn_forward(x, np.zeros((3, 4)), **weights)
    packed = pack_padded_sequence(
        torch.from_numpy(x), torch.from_numpy(lengths), batch_first=True, enforce_sorted=False
    )
    _, h_n = rnn(packed)
    assert np.allclose(last_states(h, lengths), h_n[0].detach().numpy(), rtol=0, atol=1e-12)


def test_last_states_backward_places_gradient_at_each_length():
    dlast = np.arange(6.0).reshape(3, 2)
    dh = last_states_backward(dlast, np.array([1, 3, 2]), T=3)
    assert dh.shape == (3, 3, 2)
    assert np.array_equal(dh[0, 0], [0, 1]) and np.array_equal(dh[1, 2], [2, 3])
    assert np.array_equal(dh[2, 1], [4, 5]) and np.count_nonzero(dh) == 5  # dlast[0, 0] is 0


@pytest.mark.parametrize(
    ("tokens", "E", "match"),
    [
        (np.array([0.0, 1.0]), np.zeros((3, 2)), r"tokens must hold integers, got dtype float64"),
        (np.array([0, 3]), np.zeros((3, 2)), r"tokens must lie in 0..2 \(V=3\)"),
        (np.array([-1, 0]), np.zeros((3, 2)), "tokens must lie in"),
        (np.array([0, 1]), np.zeros(3), "E must have 2 dimensions"),
        (np.array([0, 1]), np.zeros((3, 2), dtype=np.int64), "E must be float32 or float64"),
    ],
)
def test_forward_rejects_bad_input(tokens, E, match):
    with pytest.raises(ValueError, match=match):
        embedding_forward(tokens, E)


def test_backward_rejects_bad_input():
    with pytest.raises(ValueError, match=r"dx must have shape tokens.shape \+ \(D,\)"):
        embedding_backward(np.zeros((3, 2)), np.array([0, 1]), 4)
    with pytest.raises(ValueError, match="tokens must lie in 0..3"):
        embedding_backward(np.zeros((2, 2)), np.array([0, 4]), 4)


@pytest.mark.parametrize(
    ("lengths", "match"),
    [
        (np.array([1, 2]), "lengths must be N=3 integers"),
        (np.array([1.0, 2.0, 3.0]), "lengths must be N=3 integers"),
        (np.array([0, 2, 3]), "lengths must lie in 1..T=4"),
        (np.array([1, 5, 3]), "lengths must lie in 1..T=4"),
    ],
)
def test_last_states_rejects_bad_lengths(lengths, match):
    with pytest.raises(ValueError, match=match):
        last_states(np.zeros((3, 4, 2)), lengths)
    with pytest.raises(ValueError, match=match):
        last_states_backward(np.zeros((3, 2)), lengths, T=4)


@settings(max_examples=30, deadline=None)
@given(V=st.integers(1, 6), extra=st.integers(0, 4))
def test_any_out_of_range_token_is_named(V, extra):
    with pytest.raises(ValueError, match=rf"V={V}"):
        embedding_forward(np.array([V + extra]), np.zeros((V, 2)))


def test_last_states_and_its_backward_are_adjoint():
    rng = np.random.default_rng(6)
    h, g, lengths = rng.standard_normal((4, 5, 3)), rng.standard_normal((4, 3)), [5, 1, 3, 2]
    lhs = np.sum(last_states(h, lengths) * g)
    rhs = np.sum(h * last_states_backward(g, lengths, T=5))
    assert lhs == pytest.approx(rhs, abs=1e-14)


def test_last_states_float32_and_list_lengths():
    h = np.arange(24, dtype=np.float32).reshape(2, 4, 3)
    out = last_states(h, [4, 2])
    assert out.dtype == np.float32 and np.array_equal(out, [h[0, 3], h[1, 1]])


def test_empty_tokens():
    E = np.ones((3, 2))
    assert embedding_forward(np.zeros((0,), dtype=np.int64), E).shape == (0, 2)
    dE = embedding_backward(np.zeros((0, 2)), np.zeros((0,), dtype=np.int64), 3)
    assert dE.shape == (3, 2) and not dE.any()


def test_tokens_may_be_a_list():
    E = np.arange(6.0).reshape(3, 2)
    assert np.array_equal(embedding_forward([2, 0], E), [[4.0, 5.0], [0.0, 1.0]])


@pytest.mark.parametrize("size", [0, -1, 4.0, True])
def test_sizes_must_be_positive_integers(size):
    with pytest.raises(ValueError, match="vocab_size must be an integer >= 1"):
        embedding_backward(np.zeros((1, 2)), np.array([0]), size)
    with pytest.raises(ValueError, match="T must be an integer >= 1"):
        last_states_backward(np.zeros((1, 2)), [1], size)


def test_zero_dimensional_dx_is_refused():
    with pytest.raises(ValueError, match="dx must have shape"):
        embedding_backward(np.array(1.0), np.array(0), 3)
