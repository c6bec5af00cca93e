"""helpers.layers.conv (notebook 16): convolution and max pooling, forward and backward."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.checks import grad_check
from helpers.layers import (
    conv2d_backward,
    conv2d_forward,
    conv_output_size,
    maxpool2d_backward,
    maxpool2d_forward,
)

CONV_CASES = [  # (N, C, H, W), (F, KH, KW), stride, padding
    ((2, 3, 8, 8), (4, 3, 3), 1, 0),
    ((2, 3, 8, 8), (4, 3, 3), 1, 1),
    ((2, 3, 9, 7), (5, 2, 3), 2, 1),
    ((3, 2, 10, 10), (2, 5, 5), 3, 2),
    ((1, 4, 6, 5), (3, 1, 1), 2, 0),
    ((1, 1, 1, 9), (2, 1, 3), 1, 0),  # a sequence as a one-row image
]


def _conv_inputs(shape, kernel, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    (N, C, H, W), (Fn, KH, KW) = shape, kernel
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((Fn, C, KH, KW)).astype(dtype)
    b = rng.standard_normal(Fn).astype(dtype)
    return x, w, b


def test_known_answer():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    out, _ = conv2d_forward(x, w, np.zeros(1))
    assert out.shape == (1, 1, 3, 3) and np.all(out == -5.0)
    out, _ = conv2d_forward(x, w, np.array([2.0]), stride=2)
    assert out.shape == (1, 1, 2, 2) and np.all(out == -3.0)
    out, _ = conv2d_forward(x, w, np.zeros(1), padding=1)
    assert out[0, 0, 0, 0] == 0.0 and out[0, 0, -1, -1] == 15.0 and out[0, 0, 0, 1] == -1.0


@pytest.mark.parametrize(
    ("H", "K", "S", "P"), [(32, 3, 1, 0), (32, 5, 2, 1), (8, 3, 2, 0), (7, 7, 3, 3)]
)
def test_output_size_matches_torch(H, K, S, P):
    expected = F.conv2d(torch.zeros(1, 1, H, H), torch.zeros(1, 1, K, K), stride=S, padding=P)
    assert conv_output_size(H, K, S, P) == expected.shape[-1]


def test_output_size_is_zero_when_nothing_fits():
    assert conv_output_size(2, 3) == 0


@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), CONV_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv_against_torch(shape, kernel, stride, padding, dtype):
    x, w, b = _conv_inputs(shape, kernel, dtype=dtype)
    out, cache = conv2d_forward(x, w, b, stride=stride, padding=padding)
    dout = np.random.default_rng(9).standard_normal(out.shape).astype(dtype)
    dx, dw, db = conv2d_backward(dout, cache)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    expected = F.conv2d(xt, wt, bt, stride=stride, padding=padding)
    expected.backward(torch.from_numpy(dout))
    tol = 1e-4 if dtype == np.float32 else 1e-12
    for ours, theirs in ((out, expected), (dx, xt.grad), (dw, wt.grad), (db, bt.grad)):
        assert ours.dtype == dtype
        assert np.allclose(ours, theirs.detach().numpy(), rtol=0, atol=tol)


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), (3, 2)])
def test_conv_gradient_check(stride, padding):
    x, w, b = _conv_inputs((2, 2, 6, 5), (3, 3, 2), seed=4)
    out, cache = conv2d_forward(x, w, b, stride=stride, padding=padding)
    dout = np.random.default_rng(2).standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)
    for value, grad, which in ((x, dx, 0), (w, dw, 1), (b, db, 2)):

        def f(v, which=which):
            args = [x, w, b]
            args[which] = v
            return conv2d_forward(*args, stride=stride, padding=padding)[0]

        # conv is linear in each argument: a large step has no truncation error, less rounding
        assert grad_check(f, value, grad, dout=dout, eps=1e-3) <= 1e-7


def test_conv_backward_is_conv_with_flipped_kernel():
    x, w, _ = _conv_inputs((2, 3, 7, 7), (4, 3, 3), seed=3)
    out, cache = conv2d_forward(x, w, np.zeros(4))
    dout = np.random.default_rng(4).standard_normal(out.shape)
    dx, _, _ = conv2d_backward(dout, cache)
    flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    dx_as_conv, _ = conv2d_forward(dout, flipped, np.zeros(3), padding=2)
    assert np.allclose(dx, dx_as_conv, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("size", "stride", "ties"),
    [(2, None, False), (3, 2, False), (2, None, True), (3, 1, True), (2, 1, True), (1, 1, False)],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_maxpool_against_torch(size, stride, ties, dtype):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3, size=(2, 3, 7, 8)) if ties else rng.standard_normal((2, 3, 7, 8))
    x = x.astype(dtype)
    out, cache = maxpool2d_forward(x, size, stride)
    dout = rng.standard_normal(out.shape).astype(dtype)
    xt = torch.tensor(x, requires_grad=True)
    expected = F.max_pool2d(xt, size, stride)
    expected.backward(torch.from_numpy(dout))
    dx = maxpool2d_backward(dout, cache)
    assert out.dtype == dtype and dx.dtype == dtype
    assert np.array_equal(out, expected.detach().numpy())
    assert np.allclose(dx, xt.grad.numpy(), rtol=0, atol=1e-6 if dtype == np.float32 else 1e-12)


def test_maxpool_known_answer_and_gradient_routing():
    x = np.array([[1.0, 3, 2, 0], [4, 2, 1, 1], [0, 1, 5, 6], [2, 2, 7, 1]])[None, None]
    out, cache = maxpool2d_forward(x, 2)
    assert np.array_equal(out[0, 0], [[4, 2], [2, 7]])
    dx = maxpool2d_backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    expected = np.zeros((4, 4))
    expected[1, 0], expected[0, 2], expected[3, 0], expected[3, 2] = 1, 2, 3, 4
    assert np.array_equal(dx[0, 0], expected)


def test_maxpool_gradient_check_without_ties():
    x = np.random.default_rng(6).standard_normal((2, 2, 6, 6))
    out, cache = maxpool2d_forward(x, 3, 2)
    dout = np.random.default_rng(7).standard_normal(out.shape)
    dx = maxpool2d_backward(dout, cache)
    assert grad_check(lambda v: maxpool2d_forward(v, 3, 2)[0], x, dx, dout=dout) <= 1e-7


# --- argument checks: ValueError naming the argument and the shapes ---


def test_conv_rejects_channel_mismatch():
    x, w, b = _conv_inputs((2, 3, 8, 8), (4, 3, 3))
    with pytest.raises(ValueError, match=r"w .*C"):
        conv2d_forward(x, w[:, :2], b)


def test_conv_rejects_wrong_bias():
    x, w, _ = _conv_inputs((2, 3, 8, 8), (4, 3, 3))
    with pytest.raises(ValueError, match="b"):
        conv2d_forward(x, w, np.zeros(5))


def test_conv_rejects_kernel_larger_than_input():
    x, w, b = _conv_inputs((1, 1, 2, 2), (1, 3, 3))
    with pytest.raises(ValueError, match=r"does not fit in x of shape \(1, 1, 2, 2\)"):
        conv2d_forward(x, w, b)
    assert conv2d_forward(x, w, b, padding=1)[0].shape == (1, 1, 2, 2)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("stride", {"stride": 0}),
        ("stride", {"stride": 1.5}),
        ("padding", {"padding": -1}),
        ("padding", {"padding": True}),
    ],
)
def test_conv_rejects_bad_stride_and_padding(name, kwargs):
    x, w, b = _conv_inputs((1, 1, 5, 5), (1, 3, 3))
    with pytest.raises(ValueError, match=name):
        conv2d_forward(x, w, b, **kwargs)


def test_conv_rejects_images_without_channel_axis():
    _, w, b = _conv_inputs((1, 1, 5, 5), (1, 3, 3))
    with pytest.raises(ValueError, match=r"x must have 4 dimensions"):
        conv2d_forward(np.zeros((5, 5)), w, b)


def test_conv_rejects_integer_images():
    _, w, b = _conv_inputs((1, 1, 5, 5), (1, 3, 3))
    with pytest.raises(ValueError, match="float32 or float64"):
        conv2d_forward(np.zeros((1, 1, 5, 5), dtype=int), w, b)


def test_conv_backward_rejects_wrong_dout_shape():
    x, w, b = _conv_inputs((2, 3, 8, 8), (4, 3, 3))
    out, cache = conv2d_forward(x, w, b)
    with pytest.raises(ValueError, match=r"dout must have out's shape \(2, 4, 6, 6\)"):
        conv2d_backward(np.zeros((2, 4, 6, 5)), cache)


def test_maxpool_rejects_bad_arguments():
    x = np.zeros((1, 1, 4, 4))
    with pytest.raises(ValueError, match="size"):
        maxpool2d_forward(x, 0)
    with pytest.raises(ValueError, match="stride"):
        maxpool2d_forward(x, 2, stride=0)
    with pytest.raises(ValueError, match=r"do not fit in x of shape \(1, 1, 4, 4\)"):
        maxpool2d_forward(x, 5)
    out, cache = maxpool2d_forward(x, 2)
    with pytest.raises(ValueError, match=r"dout must have out's shape \(1, 1, 2, 2\)"):
        maxpool2d_backward(np.zeros((1, 1, 3, 3)), cache)


@settings(max_examples=40, deadline=None)
@given(
    H=st.integers(1, 9),
    K=st.integers(1, 5),
    S=st.integers(1, 3),
    P=st.integers(0, 2),
)
def test_conv_shapes_match_torch_or_both_refuse(H, K, S, P):
    x = np.ones((1, 1, H, H + 1))
    w = np.ones((2, 1, K, K))
    fits = H + 2 * P >= K
    if not fits:
        with pytest.raises(ValueError, match="does not fit"):
            conv2d_forward(x, w, np.zeros(2), stride=S, padding=P)
        return
    out, _ = conv2d_forward(x, w, np.zeros(2), stride=S, padding=P)
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), stride=S, padding=P)
    assert out.shape == tuple(expected.shape)
    assert np.allclose(out, expected.numpy(), rtol=0, atol=1e-12)
