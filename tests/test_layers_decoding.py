"""helpers.layers.beam_search (notebook 13): greedy at width 1, exhaustive when wide, errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from helpers.layers import beam_search, log_softmax

SOS, EOS, V = 0, 1, 4


def markov(seed=0):
    """A step whose log-probabilities depend on the last symbol only; the state is unused."""
    table = log_softmax(np.random.default_rng(seed).standard_normal((V, V)))

    def step_fn(tokens, states):
        return table[tokens], states

    return table, step_fn


def log_p(table, y):
    return sum(table[prev, v] for prev, v in zip([SOS, *y[:-1]], y, strict=True))


def every_output(max_len):
    """Every output: ending at its first <eos>, or max_len symbols without one."""
    others = [v for v in range(V) if v != EOS]
    for length in range(1, max_len + 1):
        for body in itertools.product(others, repeat=length - 1):
            yield [*body, EOS]
            if length == max_len:
                yield from ([*body, v] for v in others)


@pytest.mark.parametrize("seed", range(5))
def test_width_one_is_greedy(seed):
    table, step_fn = markov(seed)
    tokens, score = beam_search(step_fn, np.zeros(1), sos=SOS, eos=EOS, width=1, max_len=6)
    greedy, prev = [], SOS
    while len(greedy) < 6 and (not greedy or greedy[-1] != EOS):
        prev = int(np.argmax(table[prev]))
        greedy.append(prev)
    assert tokens.tolist() == greedy
    assert score == pytest.approx(log_p(table, greedy), abs=1e-12)
    assert tokens.dtype == np.int64


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("alpha", [0.0, 0.6, 1.0])
def test_wide_beam_is_exhaustive(seed, alpha):
    table, step_fn = markov(seed)
    best = max(every_output(4), key=lambda y: log_p(table, y) / len(y) ** alpha)
    tokens, score = beam_search(
        step_fn, np.zeros(1), sos=SOS, eos=EOS, width=V**4, max_len=4, alpha=alpha
    )
    assert tokens.tolist() == best
    assert score == pytest.approx(log_p(table, best), abs=1e-12)


def test_wider_beam_never_scores_below_exhaustive_best():
    table, step_fn = markov(3)
    best = max(log_p(table, y) for y in every_output(5))
    for width in (1, 2, 3, 5):
        _, score = beam_search(step_fn, np.zeros(1), sos=SOS, eos=EOS, width=width, max_len=5)
        assert score <= best + 1e-12


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"width": 0}, r"width must be an integer >= 1, got 0"),
        ({"width": 2.0}, r"width must be an integer >= 1, got 2.0"),
        ({"max_len": 0}, r"max_len must be an integer >= 1, got 0"),
        ({"eos": -1}, r"eos must be an integer >= 0, got -1"),
        ({"alpha": -1.0}, r"alpha must be a finite number >= 0, got -1.0"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    _, step_fn = markov()
    arguments = {"sos": SOS, "eos": EOS, "width": 2, "max_len": 3} | kwargs
    with pytest.raises(ValueError, match=message):
        beam_search(step_fn, np.zeros(1), **arguments)


def test_bad_step_fn_results_are_named():
    with pytest.raises(ValueError, match="step_fn must be callable"):
        beam_search(None, np.zeros(1), sos=SOS, eos=EOS, width=2, max_len=3)

    def flat(tokens, states):
        return np.zeros(V), states

    with pytest.raises(ValueError, match=r"log_probs of shape \(B, V\) with B = 1 .*got \(4,\)"):
        beam_search(flat, np.zeros(1), sos=SOS, eos=EOS, width=2, max_len=3)

    def rows(tokens, states):
        return np.zeros((len(tokens), V)), np.zeros((len(tokens) + 1, 2))

    with pytest.raises(ValueError, match=r"new_states with B = 1 rows, got shape \(2, 2\)"):
        beam_search(rows, np.zeros(1), sos=SOS, eos=EOS, width=2, max_len=3)
