"""helpers.layers.deep (notebook 08): stacked and bidirectional LSTMs built on lstm_forward."""

import numpy as np
import pytest
import torch

from helpers.checks import grad_check
from helpers.layers import (
    bidirectional_lstm_backward,
    bidirectional_lstm_forward,
    lstm_forward,
    lstm_step_forward,
    stacked_lstm_backward,
    stacked_lstm_forward,
)
from helpers.torch_utils import rnn_weights

N, T, D, H = 3, 5, 4, 3


def _module_and_inputs(num_layers, bidirectional, seed=0):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(
        D, H, num_layers=num_layers, bidirectional=bidirectional, batch_first=True
    ).double()
    K = 2 if bidirectional else 1
    layers = [
        rnn_weights(module, layer, reverse)
        for layer in range(num_layers)
        for reverse in ((False, True) if bidirectional else (False,))
    ]
    r = np.random.default_rng(seed)
    x = r.standard_normal((N, T, D))
    h0 = r.standard_normal((num_layers * K, N, H))
    c0 = r.standard_normal((num_layers * K, N, H))
    dout = r.standard_normal((N, T, K * H))
    return module, layers, x, h0, c0, dout


@pytest.mark.parametrize(
    "num_layers, bidirectional", [(1, False), (2, False), (1, True), (2, True), (3, True)]
)
def test_matches_nn_lstm_forward_and_backward(num_layers, bidirectional):
    module, layers, x, h0, c0, dout = _module_and_inputs(num_layers, bidirectional)
    out, h_n, c_n, cache = stacked_lstm_forward(x, h0, c0, layers, bidirectional=bidirectional)
    xt, ht, ct = (torch.tensor(a, requires_grad=True) for a in (x, h0, c0))
    out_t, (hn_t, cn_t) = module(xt, (ht, ct))
    for ours, theirs in [(out, out_t), (h_n, hn_t), (c_n, cn_t)]:
        assert ours.shape == tuple(theirs.shape)
        assert np.max(np.abs(ours - theirs.detach().numpy())) <= 1e-12
    (out_t * torch.from_numpy(dout)).sum().backward()
    dx, dh0, dc0, grads = stacked_lstm_backward(dout, cache)
    for ours, theirs in [(dx, xt.grad), (dh0, ht.grad), (dc0, ct.grad)]:
        assert np.max(np.abs(ours - theirs.numpy())) <= 1e-10
    names = [n for n, _ in module.named_parameters() if n.startswith("weight_ih")]
    assert len(grads) == len(names)
    for g, name in zip(grads, names, strict=True):
        suffix = name[len("weight_ih") :]
        for key, param in [("Wx", "weight_ih"), ("Wh", "weight_hh"), ("b", "bias_hh")]:
            theirs = getattr(module, param + suffix).grad.numpy()
            assert np.max(np.abs(g[key] - theirs)) <= 1e-10


def test_output_layout_forward_then_backward_halves():
    _, layers, x, h0, c0, _ = _module_and_inputs(1, True)
    out, h_n, c_n, _ = bidirectional_lstm_forward(x, h0, c0, layers[0], layers[1])
    h_f, _, _ = lstm_forward(x, h0[0], c0[0], **layers[0])
    h_b, c_b, _ = lstm_forward(x[:, ::-1], h0[1], c0[1], **layers[1])
    np.testing.assert_array_equal(out[..., :H], h_f)
    np.testing.assert_array_equal(out[..., H:], h_b[:, ::-1])
    np.testing.assert_array_equal(h_n[1], out[:, 0, H:])  # backward direction ends at t = 1
    np.testing.assert_array_equal(c_n[1], c_b[:, -1])


def test_forward_half_is_causal_backward_half_is_not():
    _, layers, x, h0, c0, _ = _module_and_inputs(1, True, seed=3)
    full = bidirectional_lstm_forward(x, h0, c0, *layers)[0]
    prefix = bidirectional_lstm_forward(x[:, :3], h0, c0, *layers)[0]
    np.testing.assert_array_equal(prefix[..., :H], full[:, :3, :H])
    assert np.max(np.abs(prefix[..., H:] - full[:, :3, H:])) > 1e-3


def test_residual_matches_torch_composition():
    torch.manual_seed(4)
    a = torch.nn.LSTM(D, H, bidirectional=True, batch_first=True).double()
    b = torch.nn.LSTM(2 * H, H, bidirectional=True, batch_first=True).double()
    layers = [rnn_weights(m, 0, rev) for m in (a, b) for rev in (False, True)]
    r = np.random.default_rng(4)
    x, h0, c0 = (
        r.standard_normal((N, T, D)),
        r.standard_normal((4, N, H)),
        r.standard_normal((4, N, H)),
    )
    dout = r.standard_normal((N, T, 2 * H))
    out, _, _, cache = stacked_lstm_forward(x, h0, c0, layers, bidirectional=True, residual=True)
    xt = torch.tensor(x, requires_grad=True)
    below = a(xt, (torch.from_numpy(h0[:2]), torch.from_numpy(c0[:2])))[0]
    top = b(below, (torch.from_numpy(h0[2:]), torch.from_numpy(c0[2:])))[0] + below
    assert np.max(np.abs(out - top.detach().numpy())) <= 1e-12
    (top * torch.from_numpy(dout)).sum().backward()
    dx, _, _, grads = stacked_lstm_backward(dout, cache)
    assert np.max(np.abs(dx - xt.grad.numpy())) <= 1e-10
    assert np.max(np.abs(grads[0]["Wh"] - a.weight_hh_l0.grad.numpy())) <= 1e-10


def test_residual_adds_the_skip_upward_only():
    """y^l_t = h^l_t + y^{l-1}_t, h^l_t = LSTM^l(y^{l-1}_t, h^l_{t-1}): the sum is not fed back."""
    _, layers, x, h0, c0, _ = _module_and_inputs(2, False, seed=6)
    out = stacked_lstm_forward(x, h0, c0, layers, residual=True)[0]
    below, _, _ = lstm_forward(x, h0[0], c0[0], **layers[0])  # y^1 = h^1
    h_top, _, _ = lstm_forward(below, h0[1], c0[1], **layers[1])  # h^2 from y^1, its own state
    np.testing.assert_allclose(out, h_top + below, rtol=0, atol=1e-15)
    h, c, fed_back = h0[1], c0[1], []  # the misreading: y^2_t as the next previous state
    for t in range(T):
        h, c, _ = lstm_step_forward(below[:, t], h, c, **layers[1])
        h = h + below[:, t]
        fed_back.append(h)
    assert np.max(np.abs(np.stack(fed_back, axis=1) - out)) > 1e-3


def test_zero_padding_changes_only_the_backward_half():
    _, layers, x, h0, c0, _ = _module_and_inputs(1, True, seed=7)
    zeros = np.zeros_like(h0)
    length = 3
    padded = x.copy()
    padded[0, length:] = 0.0
    out = bidirectional_lstm_forward(padded, zeros, zeros, *layers)[0]
    alone = bidirectional_lstm_forward(x[:1, :length], zeros[:, :1], zeros[:, :1], *layers)[0]
    np.testing.assert_allclose(out[:1, :length, :H], alone[..., :H], rtol=0, atol=1e-15)
    assert np.abs(out[0, :length, H:] - alone[0, :, H:]).max(axis=1).min() > 1e-6
    packed = torch.nn.utils.rnn.pack_padded_sequence(
        torch.from_numpy(padded[:1]), torch.tensor([length]), batch_first=True
    )
    module = torch.nn.LSTM(D, H, bidirectional=True, batch_first=True).double()
    for name, (key, reverse) in {
        "weight_ih_l0": ("Wx", False),
        "weight_hh_l0": ("Wh", False),
        "weight_ih_l0_reverse": ("Wx", True),
        "weight_hh_l0_reverse": ("Wh", True),
    }.items():
        getattr(module, name).data = torch.from_numpy(layers[int(reverse)][key])
    for name, reverse in [("l0", False), ("l0_reverse", True)]:
        getattr(module, "bias_ih_" + name).data = torch.from_numpy(layers[int(reverse)]["b"])
        getattr(module, "bias_hh_" + name).data.zero_()
    ref = torch.nn.utils.rnn.pad_packed_sequence(module(packed)[0], batch_first=True)[0]
    assert np.max(np.abs(ref.detach().numpy() - alone)) <= 1e-12


def test_bidirectional_gradient_check():
    r = np.random.default_rng(5)
    fwd, bwd = (
        {
            "Wx": r.standard_normal((8, 3)) * 0.5,
            "Wh": r.standard_normal((8, 2)) * 0.5,
            "b": r.standard_normal(8) * 0.5,
        }
        for _ in range(2)
    )
    x, h0, c0 = (
        r.standard_normal((2, 4, 3)),
        r.standard_normal((2, 2, 2)),
        r.standard_normal((2, 2, 2)),
    )
    dout = r.standard_normal((2, 4, 4))
    _, _, _, cache = bidirectional_lstm_forward(x, h0, c0, fwd, bwd)
    dx, dh0, _, grads = bidirectional_lstm_backward(dout, cache)
    assert (
        grad_check(
            lambda v: bidirectional_lstm_forward(v, h0, c0, fwd, bwd)[0], x.copy(), dx, dout=dout
        )
        <= 1e-7
    )
    assert (
        grad_check(
            lambda v: bidirectional_lstm_forward(x, v, c0, fwd, bwd)[0], h0.copy(), dh0, dout=dout
        )
        <= 1e-7
    )
    assert (
        grad_check(
            lambda v: bidirectional_lstm_forward(x, h0, c0, fwd, bwd | {"Wx": v})[0],
            bwd["Wx"].copy(),
            grads[1]["Wx"],
            dout=dout,
        )
        <= 1e-7
    )


def test_float32_in_float32_out():
    _, layers, x, h0, c0, dout = _module_and_inputs(2, True)
    f32 = [{k: v.astype(np.float32) for k, v in w.items()} for w in layers]
    out, h_n, c_n, cache = stacked_lstm_forward(
        x.astype(np.float32), h0.astype(np.float32), c0.astype(np.float32), f32, bidirectional=True
    )
    assert out.dtype == h_n.dtype == c_n.dtype == np.float32
    dx, dh0, _, grads = stacked_lstm_backward(dout.astype(np.float32), cache)
    assert dx.dtype == dh0.dtype == grads[0]["Wx"].dtype == np.float32


def test_bad_arguments_raise():
    _, layers, x, h0, c0, dout = _module_and_inputs(2, True)
    with pytest.raises(ValueError, match="layers holds 3"):
        stacked_lstm_forward(x, h0, c0, layers[:3], bidirectional=True)
    with pytest.raises(ValueError, match="layers holds 4"):
        stacked_lstm_forward(x, h0[:3], c0[:3], layers, bidirectional=True)
    with pytest.raises(ValueError, match="c0 has shape"):
        stacked_lstm_forward(x, h0, c0[:, :, :2], layers, bidirectional=True)
    with pytest.raises(ValueError, match="h0"):
        bidirectional_lstm_forward(x, h0, c0, layers[0], layers[1])  # 4 states, not 2
    with pytest.raises(ValueError, match="Wx has shape"):
        bidirectional_lstm_forward(x, h0[:2], c0[:2], layers[2], layers[3])  # layer 1 reads 2H
    _, _, _, cache = stacked_lstm_forward(x, h0, c0, layers, bidirectional=True)
    with pytest.raises(ValueError, match="dout"):
        stacked_lstm_backward(dout[..., :H], cache)
