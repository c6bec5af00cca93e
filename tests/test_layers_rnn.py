"""helpers.layers.rnn (notebook 02): forward pass against a hand answer and nn.RNN."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.layers import rnn_forward, rnn_step_forward
from helpers.torch_utils import rnn_weights

WX = np.array([[0.1, 0.2], [0.3, 0.4]])
WH = np.array([[0.5, 0.6], [0.7, 0.8]])
B = np.array([0.1, 0.1])


def test_worked_example_from_the_notes():
    h1, _ = rnn_step_forward(np.array([[1.0, 2.0]]), np.zeros((1, 2)), WX, WH, B)
    np.testing.assert_allclose(h1[0], [0.53704957, 0.83365461], atol=5e-9)


def test_forward_shapes_and_cache():
    x, h0 = np.zeros((3, 5, 2)), np.zeros((3, 2))
    h, cache = rnn_forward(x, h0, WX, WH, B)
    assert h.shape == (3, 5, 2) and len(cache) == 5


@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_matches_torch(dtype, tol):
    torch.manual_seed(0)
    module = torch.nn.RNN(4, 6, batch_first=True).to(dtype)
    x = torch.randn(2, 9, 4, dtype=dtype)
    h0 = torch.randn(1, 2, 6, dtype=dtype)
    w = rnn_weights(module)
    ours, _ = rnn_forward(x.numpy(), h0[0].numpy(), w["Wx"], w["Wh"], w["b"])
    theirs, _ = module(x, h0)
    assert ours.dtype == x.numpy().dtype
    assert np.max(np.abs(ours - theirs.detach().numpy())) <= tol


def test_float32_in_float32_out():
    f32 = np.float32
    h, _ = rnn_forward(
        np.zeros((1, 2, 2), f32),
        np.zeros((1, 2), f32),
        WX.astype(f32),
        WH.astype(f32),
        B.astype(f32),
    )
    assert h.dtype == np.float32


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"Wh": np.zeros((2, 3))}, "Wh has shape"),
        ({"Wx": np.zeros((2, 5))}, "Wx has shape"),
        ({"b": np.zeros(3)}, "b has shape"),
        ({"x": np.zeros((1, 2))}, "x must have 3 dimensions"),
        ({"x": np.full((1, 1, 2), np.nan)}, "x contains NaN"),
        ({"h0": np.zeros((2, 2))}, "h0 has shape"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    args = {"x": np.zeros((1, 1, 2)), "h0": np.zeros((1, 2)), "Wx": WX, "Wh": WH, "b": B}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        rnn_forward(**args)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_step_refuses_any_hidden_size_mismatch(n, d, h, wrong):
    """Fuzz: a W_h whose size disagrees with h_prev is always refused by name."""
    x, h_prev = np.zeros((n, d)), np.zeros((n, h))
    Wx, b = np.zeros((h, d)), np.zeros(h)
    with pytest.raises(ValueError, match="Wh"):
        rnn_step_forward(x, h_prev, Wx, np.zeros((h, h + wrong)), b)
