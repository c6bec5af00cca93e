"""A synthetic translation task that needs no download: human-written dates to ISO 8601.

    "3rd of March 2021", "Mar 3, 21", "03.03.2021", "Wednesday 3 March 2021"  ->  "2021-03-03"

Everything is generated from a seed, so every run and every machine sees the same data.
Conventions the model must learn (each format is unambiguous):

- ``dd.mm.yyyy`` and ``d.m.yy`` (dots) are day first; ``mm/dd/yyyy`` (slashes) is month first;
- a two-digit year ``yy`` means 19yy for yy >= 50 and 20yy for yy < 50 (dates lie in 1950-2049).

The multi-date variant joins 1 to ``max_dates`` dates with words such as " and ", and its
target joins the ISO dates with ``SEPARATOR`` (";"), so the output grows with the input.

Characters become integer ids with a ``Vocab`` (``<pad>`` = 0, ``<sos>`` = 1, ``<eos>`` = 2);
``pad_batch`` turns a list of strings into a padded (N, T) int64 array plus lengths.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from helpers.seeding import course_rng

PAD, SOS, EOS = "<pad>", "<sos>", "<eos>"
SEPARATOR = ";"
JOINERS = (" and ", " & ", " or ", " then ", "; ")
FIRST_DAY = dt.date(1950, 1, 1)
LAST_DAY = dt.date(2049, 12, 31)

MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(day: int) -> str:
    """1 -> '1st', 2 -> '2nd', 3 -> '3rd', 11 -> '11th', 22 -> '22nd'."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _formats() -> dict[str, callable]:
    """Name -> function(date) -> string. Every format determines the date uniquely."""

    def month(d):
        return MONTHS[d.month - 1]

    def mon(d):
        return MONTHS[d.month - 1][:3]

    def wday(d):
        return WEEKDAYS[d.weekday()]

    return {
        "d Month yyyy": lambda d: f"{d.day} {month(d)} {d.year}",
        "dth of Month yyyy": lambda d: f"{_ordinal(d.day)} of {month(d)} {d.year}",
        "the dth of month, yyyy": lambda d: (
            f"the {_ordinal(d.day)} of {month(d).lower()}, {d.year}"
        ),
        "Month d, yyyy": lambda d: f"{month(d)} {d.day}, {d.year}",
        "Mon d, yy": lambda d: f"{mon(d)} {d.day}, {d.year % 100:02d}",
        "dd.mm.yyyy": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
        "d.m.yy": lambda d: f"{d.day}.{d.month}.{d.year % 100:02d}",
        "mm/dd/yyyy": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
        "Weekday d Month yyyy": lambda d: f"{wday(d)} {d.day} {month(d)} {d.year}",
        "Wkd, d Mon yyyy": lambda d: f"{wday(d)[:3]}, {d.day} {mon(d)} {d.year}",
        "d-Mon-yyyy": lambda d: f"{d.day}-{mon(d)}-{d.year}",
        "MONTH d yyyy": lambda d: f"{month(d).upper()} {d.day} {d.year}",
        "Weekday, Month dth, yyyy": lambda d: f"{wday(d)}, {month(d)} {_ordinal(d.day)}, {d.year}",
        "yyyy/mm/dd": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    }


FORMATS = _formats()
FORMAT_NAMES = tuple(FORMATS)


def format_date(date: dt.date, fmt: str) -> str:
    """Write ``date`` in the human format named ``fmt`` (one of ``FORMAT_NAMES``)."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMAT_NAMES}, got {fmt!r}")
    return FORMATS[fmt](date)


def sample_date(rng: np.random.Generator) -> dt.date:
    """A uniformly random day between FIRST_DAY and LAST_DAY."""
    span = (LAST_DAY - FIRST_DAY).days
    return FIRST_DAY + dt.timedelta(days=int(rng.integers(0, span + 1)))


@dataclass(frozen=True)
class Example:
    """One pair: the human ``source``, the ISO ``target`` and the dates it encodes."""

    source: str
    target: str
    dates: tuple[dt.date, ...]


def sample_example(rng: np.random.Generator, max_dates: int = 1) -> Example:
    """1..max_dates random dates, each in a random format, joined by random words."""
    count = int(rng.integers(1, max_dates + 1))
    dates = tuple(sample_date(rng) for _ in range(count))
    parts = [format_date(d, FORMAT_NAMES[int(rng.integers(len(FORMAT_NAMES)))]) for d in dates]
    source = parts[0]
    for part in parts[1:]:
        source += JOINERS[int(rng.integers(len(JOINERS)))] + part
    target = SEPARATOR.join(d.isoformat() for d in dates)
    return Example(source, target, dates)


def make_examples(
    n: int,
    seed: int,
    *,
    max_dates: int = 1,
    min_length: int = 0,
    max_length: int | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> list[Example]:
    """``n`` distinct examples whose source length lies in [min_length, max_length].

    Deterministic in ``seed`` (shifted by ``COURSE_SEED``, ``helpers.seeding``); sources in
    ``exclude`` are skipped (for held-out splits).
    Raises ``ValueError`` when the length range cannot be met.
    """
    if n < 0 or max_dates < 1:
        raise ValueError(f"need n >= 0 and max_dates >= 1, got n={n}, max_dates={max_dates}")
    if max_length is not None and max_length < min_length:
        raise ValueError(f"max_length {max_length} < min_length {min_length}")
    rng = course_rng(seed)
    seen, examples = set(exclude), []
    tries = 0
    while len(examples) < n:
        tries += 1
        if tries > 200 * n + 10_000:
            raise ValueError(
                f"could not draw {n} examples with length in [{min_length}, {max_length}] "
                f"and max_dates={max_dates}"
            )
        ex = sample_example(rng, max_dates)
        length = len(ex.source)
        if length < min_length or (max_length is not None and length > max_length):
            continue
        if ex.source in seen:
            continue
        seen.add(ex.source)
        examples.append(ex)
    return examples


def date_splits(
    n_train: int,
    n_valid: int,
    n_test: int,
    seed: int = 0,
    *,
    max_dates: int = 1,
    min_length: int = 0,
    max_length: int | None = None,
) -> dict[str, list[Example]]:
    """Train, validation and test lists with no source string shared between them."""
    train = make_examples(
        n_train, seed, max_dates=max_dates, min_length=min_length, max_length=max_length
    )
    used = {ex.source for ex in train}
    valid = make_examples(
        n_valid,
        seed + 1,
        max_dates=max_dates,
        min_length=min_length,
        max_length=max_length,
        exclude=used,
    )
    used |= {ex.source for ex in valid}
    test = make_examples(
        n_test,
        seed + 2,
        max_dates=max_dates,
        min_length=min_length,
        max_length=max_length,
        exclude=used,
    )
    return {"train": train, "valid": valid, "test": test}


class Vocab:
    """Characters <-> integer ids. Ids 0, 1, 2 are ``<pad>``, ``<sos>``, ``<eos>``."""

    def __init__(self, characters: Sequence[str]):
        chars = list(dict.fromkeys(characters))
        if any(len(c) != 1 for c in chars):
            raise ValueError("characters must be single characters")
        self.itos = [PAD, SOS, EOS, *chars]
        self.stoi = {s: i for i, s in enumerate(self.itos)}
        self.pad, self.sos, self.eos = 0, 1, 2

    def __len__(self) -> int:
        return len(self.itos)

    def __repr__(self) -> str:
        return f"Vocab({len(self)} symbols: {''.join(self.itos[3:])!r})"

    def encode(self, text: str, *, sos: bool = False, eos: bool = True) -> list[int]:
        """Ids of the characters of ``text``, optionally framed by <sos> and <eos>."""
        unknown = sorted({c for c in text if c not in self.stoi})
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown!r} in {text!r}")
        ids = [self.stoi[c] for c in text]
        return ([self.sos] if sos else []) + ids + ([self.eos] if eos else [])

    def decode(self, ids: Sequence[int]) -> str:
        """Characters up to the first <eos>; <pad> and <sos> are dropped."""
        out = []
        for i in ids:
            i = int(i)
            if i == self.eos:
                break
            if i in (self.pad, self.sos):
                continue
            out.append(self.itos[i])
        return "".join(out)

    def tokens(self, ids: Sequence[int]) -> list[str]:
        """Every id as its symbol (for plot labels), specials included."""
        return [self.itos[int(i)] for i in ids]


SOURCE_VOCAB = Vocab(" ,-./;&" + string.digits + string.ascii_lowercase + string.ascii_uppercase)
TARGET_VOCAB = Vocab(string.digits + "-" + SEPARATOR)


def pad_batch(
    texts: Sequence[str], vocab: Vocab, *, sos: bool = False, eos: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Encode ``texts`` and right-pad with <pad>: ids (N, T) int64 and lengths (N,) int64."""
    encoded = [vocab.encode(t, sos=sos, eos=eos) for t in texts]
    lengths = np.array([len(e) for e in encoded], dtype=np.int64)
    ids = np.full((len(encoded), int(lengths.max(initial=0))), vocab.pad, dtype=np.int64)
    for row, e in enumerate(encoded):
        ids[row, : len(e)] = e
    return ids, lengths


def batches(
    examples: Sequence[Example], batch_size: int, *, shuffle_seed: int | None = None
) -> Iterator[dict[str, np.ndarray]]:
    """Padded batches: src (N, S) with <eos>, src_len (N,), tgt (N, T') = target + <eos>.

    With ``shuffle_seed`` the order is a seeded permutation; otherwise the given order.
    """
    order = np.arange(len(examples))
    if shuffle_seed is not None:
        order = course_rng(shuffle_seed).permutation(len(examples))
    for start in range(0, len(order), batch_size):
        chunk = [examples[i] for i in order[start : start + batch_size]]
        src, src_len = pad_batch([e.source for e in chunk], SOURCE_VOCAB)
        tgt, _ = pad_batch([e.target for e in chunk], TARGET_VOCAB)
        yield {"src": src, "src_len": src_len, "tgt": tgt}


def parse_iso(target: str) -> list[dt.date]:
    """The dates of an ISO target string ('2021-03-03;1999-12-31'); raises ValueError if bad."""
    return [dt.date.fromisoformat(part) for part in target.split(SEPARATOR)]
