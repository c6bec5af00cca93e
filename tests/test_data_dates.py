"""Tests of helpers.data.dates: the synthetic date-translation task."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from helpers.data import (
    FORMAT_NAMES,
    SEPARATOR,
    SOURCE_VOCAB,
    TARGET_VOCAB,
    Vocab,
    batches,
    date_splits,
    format_date,
    make_examples,
    pad_batch,
    parse_iso,
    sample_example,
)
from helpers.data.dates import FIRST_DAY, LAST_DAY


def test_the_examples_of_the_docstring():
    d = dt.date(2021, 3, 3)
    assert format_date(d, "dth of Month yyyy") == "3rd of March 2021"
    assert format_date(d, "Mon d, yy") == "Mar 3, 21"
    assert format_date(d, "dd.mm.yyyy") == "03.03.2021"
    assert format_date(d, "Weekday d Month yyyy") == "Wednesday 3 March 2021"


@pytest.mark.parametrize(
    "day, text",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (31, "31st"),
    ],
)
def test_ordinals(day, text):
    assert format_date(dt.date(2000, 1, day), "dth of Month yyyy").startswith(text + " of")


def test_unknown_format_raises():
    with pytest.raises(ValueError, match="fmt must be one of"):
        format_date(dt.date(2000, 1, 1), "yyyy-ww")


def test_every_format_is_unambiguous_on_a_sample():
    """No two different dates are written the same way in the same format."""
    rng = np.random.default_rng(0)
    for name in FORMAT_NAMES:
        seen = {}
        for _ in range(2000):
            d = FIRST_DAY + dt.timedelta(days=int(rng.integers(0, (LAST_DAY - FIRST_DAY).days)))
            text = format_date(d, name)
            assert seen.setdefault(text, d) == d, (name, text)


def test_determinism():
    a = date_splits(300, 50, 50, seed=3, max_dates=3)
    b = date_splits(300, 50, 50, seed=3, max_dates=3)
    assert a == b
    c = date_splits(300, 50, 50, seed=4, max_dates=3)
    assert a["train"] != c["train"]


def test_splits_share_no_source():
    splits = date_splits(2000, 300, 300, seed=0)
    sources = [{e.source for e in splits[k]} for k in ("train", "valid", "test")]
    assert len(sources[0]) == 2000
    assert not (sources[0] & sources[1]) and not (sources[0] & sources[2])
    assert not (sources[1] & sources[2])


@pytest.mark.parametrize("max_dates", [1, 3])
def test_targets_are_correct_iso_dates(max_dates):
    for ex in make_examples(500, seed=1, max_dates=max_dates):
        parsed = [dt.date.fromisoformat(part) for part in ex.target.split(SEPARATOR)]
        assert parsed == list(ex.dates)
        assert parse_iso(ex.target) == list(ex.dates)
        assert all(FIRST_DAY <= d <= LAST_DAY for d in parsed)
        assert 1 <= len(parsed) <= max_dates


def test_multi_date_uses_all_counts():
    counts = {len(e.dates) for e in make_examples(300, seed=2, max_dates=3)}
    assert counts == {1, 2, 3}


def test_length_control():
    exs = make_examples(100, seed=5, max_dates=3, min_length=66, max_length=80)
    assert all(66 <= len(e.source) <= 80 for e in exs)
    with pytest.raises(ValueError, match="could not draw"):
        make_examples(5, seed=0, max_dates=1, min_length=60)
    with pytest.raises(ValueError, match="max_length"):
        make_examples(5, seed=0, min_length=10, max_length=5)


def test_round_trip_through_the_vocabularies():
    for ex in make_examples(300, seed=6, max_dates=3):
        assert SOURCE_VOCAB.decode(SOURCE_VOCAB.encode(ex.source)) == ex.source
        ids = TARGET_VOCAB.encode(ex.target, sos=True)
        assert ids[0] == TARGET_VOCAB.sos and ids[-1] == TARGET_VOCAB.eos
        assert TARGET_VOCAB.decode(ids) == ex.target


def test_vocab_specials_and_errors():
    v = Vocab("ab")
    assert v.itos[:3] == ["<pad>", "<sos>", "<eos>"] and len(v) == 5
    assert v.decode([1, 3, 4, 2, 3]) == "ab"  # stops at <eos>
    assert v.tokens([1, 3]) == ["<sos>", "a"]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        v.encode("abc")


def test_pad_batch():
    ids, lengths = pad_batch(["ab", "a"], Vocab("ab"))
    assert ids.dtype == np.int64 and ids.shape == (2, 3)
    assert lengths.tolist() == [3, 2]
    assert ids.tolist() == [[3, 4, 2], [3, 2, 0]]


def test_batches_cover_every_example_once():
    exs = make_examples(250, seed=7, max_dates=2)
    seen = []
    for batch in batches(exs, 64, shuffle_seed=0):
        assert batch["src"].shape[0] == batch["tgt"].shape[0] == batch["src_len"].shape[0]
        assert batch["src_len"].max() == batch["src"].shape[1]
        seen += [SOURCE_VOCAB.decode(row) for row in batch["src"]]
    assert sorted(seen) == sorted(e.source for e in exs)


def test_sample_example_is_seeded():
    a = sample_example(np.random.default_rng(9), 3)
    b = sample_example(np.random.default_rng(9), 3)
    assert a == b
