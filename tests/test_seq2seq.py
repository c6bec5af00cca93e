"""Tests of helpers.seq2seq: shapes, masking, determinism and a short training run."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers.data import SOURCE_VOCAB, TARGET_VOCAB, batches, make_examples
from helpers.seq2seq import Seq2Seq, exact_match, train_seq2seq, translate


@pytest.fixture(autouse=True)
def _threads():
    torch.set_num_threads(1)


def _batch(n=4, max_dates=2, seed=0):
    batch = next(batches(make_examples(n, seed=seed, max_dates=max_dates), n))
    tgt = torch.from_numpy(batch["tgt"])
    y_in = torch.cat([torch.full_like(tgt[:, :1], TARGET_VOCAB.sos), tgt[:, :-1]], 1)
    return torch.from_numpy(batch["src"]), torch.from_numpy(batch["src_len"]), y_in


@pytest.mark.parametrize("attention", [True, False])
def test_forward_shapes(attention):
    torch.manual_seed(0)
    model = Seq2Seq(attention, embed=8, hidden=16)
    src, src_len, y_in = _batch()
    logits, weights = model(src, src_len, y_in)
    assert logits.shape == (*y_in.shape, len(TARGET_VOCAB))
    assert logits.dtype == torch.float32
    if attention:
        assert weights.shape == (src.shape[0], y_in.shape[1], src.shape[1])
        assert torch.allclose(weights.sum(-1), torch.ones(()), atol=1e-6)
    else:
        assert weights is None


def test_float32_even_with_float64_default():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        model = Seq2Seq(True, embed=8, hidden=16)
        src, src_len, y_in = _batch()
        assert model(src, src_len, y_in)[0].dtype == torch.float32
    finally:
        torch.set_default_dtype(old)


def test_mask_puts_zero_weight_on_padding():
    torch.manual_seed(0)
    model = Seq2Seq(True, embed=8, hidden=16)
    src, src_len, y_in = _batch()
    _, weights = model(src, src_len, y_in)
    pad = (src == SOURCE_VOCAB.pad)[:, None, :].expand_as(weights)
    assert pad.any()
    assert torch.all(weights[pad] == 0)
    _, unmasked = model(src, src_len, y_in, use_mask=False)
    assert torch.all(unmasked[pad] > 0)


def test_padding_does_not_change_a_masked_translation():
    torch.manual_seed(0)
    model = Seq2Seq(True, embed=8, hidden=16)
    alone, _, _ = translate(model, ["3 March 2021"])
    with_long, _, _ = translate(model, ["3 March 2021", "Wednesday, March 3rd, 2021 and 4.5.99"])
    assert alone[0] == with_long[0]


def test_greedy_shapes_and_probabilities():
    torch.manual_seed(0)
    model = Seq2Seq(True, embed=8, hidden=16)
    src, src_len, _ = _batch()
    ids, probs, weights = model.greedy(src, src_len, max_len=7)
    assert ids.shape[0] == 4 and ids.shape[1] <= 7
    assert probs.shape == (*ids.shape, len(TARGET_VOCAB))
    assert torch.allclose(probs.sum(-1), torch.ones(()), atol=1e-5)
    assert weights.shape == (4, ids.shape[1], src.shape[1])


def test_training_is_deterministic_and_learns():
    examples = make_examples(640, seed=1, max_dates=1)
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = Seq2Seq(True, embed=16, hidden=32)
        runs.append(train_seq2seq(model, examples, epochs=2, progress=False))
    assert runs[0] == runs[1]
    assert np.mean(runs[0][-3:]) < np.mean(runs[0][:3])


def test_exact_match_counts_correct_outputs():
    torch.manual_seed(0)
    model = Seq2Seq(False, embed=8, hidden=16)
    examples = make_examples(10, seed=2)
    accuracy, outputs = exact_match(model, examples)
    assert len(outputs) == 10
    assert accuracy == np.mean([o == e.target for o, e in zip(outputs, examples, strict=True)])
    with pytest.raises(ValueError):
        exact_match(model, [])


def test_bad_training_arguments():
    with pytest.raises(ValueError):
        train_seq2seq(Seq2Seq(False, 8, 8), make_examples(4, seed=0), epochs=0)


def test_steps_and_continued_optimizer():
    examples = make_examples(300, seed=3)
    torch.manual_seed(0)
    model = Seq2Seq(True, embed=8, hidden=16)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    first = train_seq2seq(model, examples, steps=5, optimizer=optimizer, progress=False)
    more = train_seq2seq(
        model, examples, steps=4, batch_size=256, optimizer=optimizer, progress=False
    )  # 2 batches per epoch: cycles into a second epoch
    assert len(first) == 5 and len(more) == 4
    assert optimizer.state  # Adam's moments carried over
