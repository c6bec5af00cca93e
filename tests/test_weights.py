"""The shipped weights (helpers/data/weights/) are what `make weights` produces.

``tools/train_weights.py`` trains the plain and the attention encoder-decoder with
``helpers.seq2seq.train_recipe``, the recipe of notebooks 13 and 14. Here both are retrained
with that recipe and compared with the files that notebook 14 loads.

Tolerance: torch CPU training with one thread and fixed seeds is deterministic, so on the
machine that made the files the retrained weights and losses are bit-for-bit equal (difference
0). A different CPU or torch build may round float32 sums in another order; ``ATOL`` admits
that drift and nothing more: it is a tenth of one Adam update (each update moves a weight by
up to the learning rate, 1e-2), so a changed recipe (seed, data, steps, learning rate) fails.
The held-out exact-match accuracies by input length, the numbers notebook 14 shows, must be
equal exactly.

The retraining takes about a minute on one thread: marked ``slow``.
"""

from __future__ import annotations

import pytest
import torch

from helpers.data import date_splits, make_examples
from helpers.seq2seq import (
    MAX_DATES,
    MULTI_STEPS,
    SINGLE_STEPS,
    Seq2Seq,
    exact_match,
    load_pretrained,
    pretrained_losses,
    train_recipe,
)

ATOL = 1e-3  # a tenth of one Adam step at lr 1e-2; 0 is measured on the machine that made them
BUCKETS = [(6, 20), (21, 30), (31, 40), (41, 50), (51, 65)]  # as in notebooks 13 and 14


@pytest.fixture(autouse=True)
def _threads():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope="module")
def length_tests():
    """The held-out test sets of notebooks 13 and 14, one per input-length bucket."""
    seen = {e.source for e in date_splits(20_000, 0, 0, seed=0)["train"]}
    seen |= {e.source for e in date_splits(20_000, 0, 0, seed=10, max_dates=MAX_DATES)["train"]}
    return [
        make_examples(
            200, seed=100 + lo, max_dates=MAX_DATES, min_length=lo, max_length=hi, exclude=seen
        )
        for lo, hi in BUCKETS
    ]


@pytest.mark.parametrize("attention", [False, True], ids=["plain", "attention"])
def test_shipped_weights_load(attention):
    model = load_pretrained(attention)
    assert isinstance(model, Seq2Seq) and not model.training
    assert model.decoder.attention is attention
    assert all(p.dtype == torch.float32 for p in model.parameters())
    losses = pretrained_losses(attention)
    assert len(losses) == SINGLE_STEPS + MULTI_STEPS
    assert losses[-1] < losses[0]


@pytest.mark.slow
@pytest.mark.parametrize("attention", [False, True], ids=["plain", "attention"])
def test_retraining_reproduces_shipped_weights(attention, length_tests):
    retrained, losses = train_recipe(attention, progress=False)
    shipped = load_pretrained(attention)
    torch.testing.assert_close(losses, pretrained_losses(attention), rtol=0, atol=ATOL)
    ours, theirs = retrained.state_dict(), shipped.state_dict()
    assert ours.keys() == theirs.keys()
    for name, value in ours.items():
        torch.testing.assert_close(value, theirs[name], rtol=0, atol=ATOL, msg=name)
    by_length = [exact_match(retrained, examples)[0] for examples in length_tests]
    assert by_length == [exact_match(shipped, examples)[0] for examples in length_tests]
