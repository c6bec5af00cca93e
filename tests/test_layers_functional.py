"""helpers.layers.functional (notebook 03): activations, cross-entropy, masked loss, CTC."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.checks import grad_check
from helpers.layers import (
    cross_entropy,
    cross_entropy_backward,
    ctc_alpha,
    ctc_loss,
    log_softmax,
    sequence_cross_entropy,
    sigmoid,
    softmax,
)

RNG = np.random.default_rng(0)
EXTREME = np.array(
    [[-1000.0, -50.0, 0.0, 3.0, 50.0, 1000.0], [709.0, 710.0, -745.0, 1e4, -1e4, 0.0]]
)


# ---- activations -------------------------------------------------------------------------


def test_known_answers():
    np.testing.assert_allclose(sigmoid(np.array([0.0, np.log(3.0)])), [0.5, 0.75], atol=1e-15)
    np.testing.assert_allclose(softmax(np.zeros(4)), np.full(4, 0.25), atol=1e-15)
    np.testing.assert_allclose(log_softmax(np.array([0.0, -1000.0])), [0.0, -1000.0], atol=1e-12)
    np.testing.assert_allclose(softmax(np.array([np.log(1.0), np.log(3.0)])), [0.25, 0.75])


def test_stable_on_extreme_inputs_without_warnings():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for f in (sigmoid, softmax, log_softmax):
            out = f(EXTREME)
            assert out.shape == EXTREME.shape and np.all(np.isfinite(out))
    np.testing.assert_allclose(softmax(EXTREME).sum(axis=-1), 1.0, atol=1e-15)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_match_torch(axis):
    x = RNG.standard_normal((5, 7)) * np.array([[0.1], [1.0], [10.0], [100.0], [300.0]])
    t = torch.from_numpy(x)
    assert np.max(np.abs(softmax(x, axis=axis) - torch.softmax(t, dim=axis).numpy())) <= 1e-12
    assert np.max(np.abs(log_softmax(x, axis) - torch.log_softmax(t, dim=axis).numpy())) <= 1e-12
    assert np.max(np.abs(sigmoid(x) - torch.sigmoid(t).numpy())) <= 1e-12
    assert (
        np.max(np.abs(sigmoid(EXTREME) - torch.sigmoid(torch.from_numpy(EXTREME)).numpy())) <= 1e-15
    )


def test_float32_kept():
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    for f in (sigmoid, softmax, log_softmax):
        assert f(x).dtype == np.float32


@pytest.mark.parametrize("f", [sigmoid, softmax, log_softmax])
@pytest.mark.parametrize(
    "bad, message",
    [
        ([1.0, 2.0], "NumPy array"),
        (np.array([1, 2]), "float32 or float64"),
        (np.array([np.nan]), "NaN"),
    ],
)
def test_activations_refuse_bad_input(f, bad, message):
    with pytest.raises(ValueError, match=message):
        f(bad)


def test_softmax_bad_axis_and_scalar():
    with pytest.raises(ValueError):
        softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError, match="at least one dimension"):
        log_softmax(np.array(1.0))


# ---- cross-entropy ------------------------------------------------------------------------


def test_cross_entropy_matches_torch_and_gradient():
    z = RNG.standard_normal((6, 5))
    y = RNG.integers(0, 5, 6)
    zt = torch.tensor(z, requires_grad=True)
    loss = F.cross_entropy(zt, torch.from_numpy(y))
    loss.backward()
    assert abs(cross_entropy(z, y) - loss.item()) <= 1e-12
    dz = cross_entropy_backward(z, y)
    assert dz.shape == z.shape
    assert np.max(np.abs(dz - zt.grad.numpy())) <= 1e-10
    assert grad_check(lambda v: cross_entropy(v, y), z.copy(), dz, name="dlogits") <= 1e-7


def test_cross_entropy_known_answer():
    assert abs(cross_entropy(np.zeros((3, 5)), np.array([0, 2, 4])) - np.log(5)) < 1e-15
    np.testing.assert_allclose(
        cross_entropy_backward(np.zeros((2, 2)), np.array([0, 1])), [[-0.25, 0.25], [0.25, -0.25]]
    )


@pytest.mark.parametrize("f", [cross_entropy, cross_entropy_backward])
@pytest.mark.parametrize(
    "logits, targets, message",
    [
        (np.zeros((2, 3)), np.array([0.0, 1.0]), "integer"),
        (np.zeros((2, 3)), np.array([0, 1, 2]), r"targets has shape \(3,\)"),
        (np.zeros((2, 3)), np.array([0, 3]), "0..2"),
        (np.zeros((2, 3)), np.array([-1, 0]), "0..2"),
        (np.zeros(3), np.array([0]), "logits must have 2 dimensions"),
    ],
)
def test_cross_entropy_refuses_bad_input(f, logits, targets, message):
    with pytest.raises(ValueError, match=message):
        f(logits, targets)


# ---- masked sequence loss -------------------------------------------------------------------


def test_sequence_loss_matches_ignore_index():
    N, T, C = 3, 5, 4
    lengths = np.array([5, 3, 2])
    mask = np.arange(T)[None] < lengths[:, None]
    logits = RNG.standard_normal((N, T, C))
    targets = np.where(mask, RNG.integers(0, C, (N, T)), -100)
    theirs = F.cross_entropy(
        torch.from_numpy(logits).reshape(-1, C),
        torch.from_numpy(targets).reshape(-1),
        ignore_index=-100,
    )
    assert abs(sequence_cross_entropy(logits, targets, mask) - theirs.item()) <= 1e-12
    full = np.ones((N, T), bool)
    targets_full = RNG.integers(0, C, (N, T))
    expected = cross_entropy(logits.reshape(-1, C), targets_full.reshape(-1))
    assert abs(sequence_cross_entropy(logits, targets_full, full) - expected) <= 1e-15


@pytest.mark.parametrize(
    "mask, targets, message",
    [
        (np.ones((2, 3), dtype=np.int64), np.zeros((2, 3), np.int64), "mask must be a bool"),
        (np.ones((3, 2), bool), np.zeros((2, 3), np.int64), "mask must be a bool"),
        (np.zeros((2, 3), bool), np.zeros((2, 3), np.int64), "no True"),
        (np.ones((2, 3), bool), np.full((2, 3), 7), "0..3"),
        (np.ones((2, 3), bool), np.zeros((2, 2), np.int64), "targets has shape"),
    ],
)
def test_sequence_loss_refuses_bad_input(mask, targets, message):
    with pytest.raises(ValueError, match=message):
        sequence_cross_entropy(np.zeros((2, 3, 4)), targets, mask)


# ---- CTC ----------------------------------------------------------------------------------


def _collapse(path, blank=0):
    merged = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
    return tuple(s for s in merged if s != blank)


@pytest.mark.parametrize("target", [(1,), (1, 1), (1, 2), (2, 1, 2)])
def test_ctc_alpha_equals_brute_force(target):
    T, C = 5, 3
    lp = log_softmax(RNG.standard_normal((T, C)))
    total = sum(
        np.exp(sum(lp[t, s] for t, s in enumerate(path)))
        for path in itertools.product(range(C), repeat=T)
        if _collapse(path) == target
    )
    alpha = ctc_alpha(lp, np.array(target))
    assert alpha.shape == (T, 2 * len(target) + 1)
    assert abs(np.logaddexp(alpha[-1, -1], alpha[-1, -2]) - np.log(total)) < 1e-12


def _batch(seed=0, T=12, N=4, C=5, S=6):
    r = np.random.default_rng(seed)
    lp = log_softmax(r.standard_normal((T, N, C)) * 2)
    padded = r.integers(1, C, (N, S))
    padded[0, 1] = padded[0, 0]  # a repeat
    in_lens = np.array([12, 10, 7, 12])[:N]
    tgt_lens = np.array([6, 4, 3, 0])[:N]
    return lp, padded, in_lens, tgt_lens


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("layout", ["padded", "concatenated"])
def test_ctc_matches_torch(reduction, layout):
    lp, padded, in_lens, tgt_lens = _batch()
    targets = padded
    if layout == "concatenated":
        targets = np.concatenate([padded[n, : tgt_lens[n]] for n in range(len(tgt_lens))])
    ours = ctc_loss(lp, targets, in_lens, tgt_lens, reduction=reduction)
    theirs = F.ctc_loss(
        torch.from_numpy(lp),
        torch.from_numpy(targets),
        torch.from_numpy(in_lens),
        torch.from_numpy(tgt_lens),
        reduction=reduction,
    )
    assert np.shape(ours) == tuple(theirs.shape)
    assert np.max(np.abs(ours - theirs.numpy())) <= 1e-10


@pytest.mark.parametrize("blank", [0, 2, 4])
def test_ctc_other_blank_matches_torch(blank):
    r = np.random.default_rng(3)
    lp = log_softmax(r.standard_normal((9, 2, 5)))
    labels = [c for c in range(5) if c != blank]
    targets = r.choice(labels, (2, 4))
    args = (lp, targets, np.array([9, 8]), np.array([4, 2]))
    theirs = F.ctc_loss(*[torch.from_numpy(a) for a in args], blank=blank, reduction="none")
    assert np.max(np.abs(ctc_loss(*args, blank=blank, reduction="none") - theirs.numpy())) <= 1e-10


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_impossible_alignment(zero_infinity):
    lp, padded, _, tgt_lens = _batch()
    in_lens = np.array([12, 10, 2, 12])
    ours = ctc_loss(lp, padded, in_lens, tgt_lens, reduction="none", zero_infinity=zero_infinity)
    theirs = F.ctc_loss(
        *[torch.from_numpy(a) for a in (lp, padded, in_lens, tgt_lens)],
        reduction="none",
        zero_infinity=zero_infinity,
    ).numpy()
    assert np.array_equal(np.isinf(ours), np.isinf(theirs))
    finite = np.isfinite(theirs)
    assert np.max(np.abs(ours[finite] - theirs[finite])) <= 1e-10


def test_ctc_float32():
    lp, padded, in_lens, tgt_lens = _batch()
    out = ctc_loss(lp.astype(np.float32), padded, in_lens, tgt_lens, reduction="none")
    assert out.dtype == np.float32
    assert np.max(np.abs(out - ctc_loss(lp, padded, in_lens, tgt_lens, reduction="none"))) < 1e-3


@pytest.mark.parametrize(
    "change, message",
    [
        ({"log_probs": np.zeros((3, 4))}, "3 dimensions"),
        ({"reduction": "avg"}, "reduction"),
        ({"input_lengths": np.array([13, 1, 1, 1])}, "input_lengths must lie"),
        ({"input_lengths": np.array([1, 1, 1])}, "input_lengths has shape"),
        ({"input_lengths": np.array([1.0, 1, 1, 1])}, "integer"),
        ({"target_lengths": np.array([7, 1, 1, 1])}, "target_lengths <= 6"),
        ({"targets": np.zeros((4, 6))}, "integers"),
        ({"targets": np.zeros((4, 6, 1), np.int64)}, "targets must be"),
        ({"targets": np.ones(5, np.int64)}, "concatenated"),
        ({"targets": np.full((4, 6), 5)}, "target labels"),
        ({"targets": np.zeros((4, 6), np.int64)}, "differ from blank"),
        ({"blank": 5}, "blank must lie"),
    ],
)
def test_ctc_refuses_bad_input(change, message):
    lp, padded, in_lens, tgt_lens = _batch()
    args = {
        "log_probs": lp,
        "targets": padded,
        "input_lengths": in_lens,
        "target_lengths": tgt_lens,
    }
    args.update(change)
    with pytest.raises(ValueError, match=message):
        ctc_loss(**args)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 3), st.integers(2, 5), st.integers(0, 3))
def test_ctc_fuzz_against_torch(T, N, C, S):
    r = np.random.default_rng(T * 100 + N * 10 + C)
    lp = log_softmax(r.standard_normal((T, N, C)))
    targets = r.integers(1, C, (N, max(S, 1)))
    in_lens = r.integers(0, T + 1, N)
    tgt_lens = r.integers(0, S + 1, N)
    ours = ctc_loss(lp, targets, in_lens, tgt_lens, reduction="none")
    theirs = F.ctc_loss(
        *[torch.from_numpy(a) for a in (lp, targets, in_lens, tgt_lens)], reduction="none"
    ).numpy()
    assert np.array_equal(np.isinf(ours), np.isinf(theirs))
    finite = np.isfinite(theirs)
    assert np.max(np.abs(ours[finite] - theirs[finite]), initial=0.0) <= 1e-10
