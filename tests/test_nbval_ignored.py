"""Every cell whose output nbval does not compare is listed here, with the reason.

nbval compares every committed output, except in cells tagged ``nbval-ignore-output``: those
run (their asserts and ``claim`` calls still hold) but their printed text and figures may
differ. Only outputs that depend on training, timing or a widget front end qualify; the
list cannot grow without a line here saying why. Keys: (notebook, cell id).
"""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

REASONS = {
    (
        "00_course_map.ipynb",
        "9ad459c4",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "01_sequences.ipynb",
        "b8432378",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "02_recurrent_step.ipynb",
        "cb6c0bd1",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "02_recurrent_step.ipynb",
        "c2a0e101",
    ): "which trained unit tracks the count or the parity of t, and how well: differs by seed, CPU",
    (
        "03_activations_losses.ipynb",
        "b634bd08",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "04_bptt.ipynb",
        "c0dcfeff",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "05_vanishing_exploding.ipynb",
        "211a839e",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "05_vanishing_exploding.ipynb",
        "1dcbb551",
    ): "one run's test accuracies after training; they differ by CPU and seed (no bound holds)",
    (
        "06_lstm.ipynb",
        "a01d2859",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "07_gru.ipynb",
        "f6f4cad2",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "08_deep_bidirectional.ipynb",
        "9f411c47",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "09_long_range.ipynb",
        "2368357b",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "10_sentiment.ipynb",
        "2eae6c5e",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "11_time_series.ipynb",
        "8f1f5cad",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "11_time_series.ipynb",
        "3f7d2c91",
    ): "one run's free-running GRU RMSE after training: differs by CPU and seed (no bound holds)",
    (
        "12_text_generation.ipynb",
        "ded76a04",
    ): "training: the sampled texts depend on the trained model (claims assert what holds)",
    (
        "12_text_generation.ipynb",
        "7dddf988",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "13_seq2seq.ipynb",
        "5f3a4f70",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "13_seq2seq.ipynb",
        "a4efcdcf",
    ): "the first held-out date the trained model gets wrong: another one by machine and seed",
    (
        "13_seq2seq.ipynb",
        "7723f408",
    ): "the trained model's exact match by input length and number of dates (claims: bounds)",
    (
        "13_seq2seq.ipynb",
        "8ff8915f",
    ): "the trained model's accuracies in both metrics and regimes (claims assert the bounds)",
    (
        "13_seq2seq.ipynb",
        "d7a8551a",
    ): "inputs where beam search changes the trained model's output: others by machine and seed",
    (
        "14_attention.ipynb",
        "7409ebe2",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "15_rnn_vs_transformer.ipynb",
        "eec84c18",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "15_rnn_vs_transformer.ipynb",
        "ed165795",
    ): "wall-clock timing plot of one example run; the cell prints nothing but the figure",
    (
        "15_rnn_vs_transformer.ipynb",
        "3552c5f5",
    ): "wall-clock per-token latency plot of one run; the cell prints nothing but the figure",
    (
        "16_convolution.ipynb",
        "2f98e648",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "17_cnns_in_practice.ipynb",
        "4c1a7e02",
    ): "widget: nbval has no widget front end, the interact figure lands in the output",
    (
        "17_cnns_in_practice.ipynb",
        "c5bf3eba",
    ): "trained layer-1 filter weights, printed: they change with the seed and the CPU",
    (
        "17_cnns_in_practice.ipynb",
        "2e410226",
    ): "zero shares and dead layer-2 maps of the trained ConvNet change with seed and CPU",
    (
        "17_cnns_in_practice.ipynb",
        "ce12553e",
    ): "accuracy table of six trainings (claims in the cell assert the bounds the prose uses)",
    (
        "17_cnns_in_practice.ipynb",
        "d3e8198d",
    ): "transfer accuracy table over k and draws (claims in the cell assert what the prose uses)",
    (
        "17_cnns_in_practice.ipynb",
        "0b088582",
    ): "pretext per-class accuracies and turn tables of a trained network (claims assert)",
    (
        "17_cnns_in_practice.ipynb",
        "980ff974",
    ): "linear-probe accuracy tables over k and draws (claims in the cell assert the comparisons)",
}


def tagged():
    found = {}
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            if "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
                found[(path.name, cell["id"])] = "".join(cell["source"]).splitlines()[0]
    return found


def test_every_ignored_cell_is_listed_with_a_reason():
    unlisted = {key: first for key, first in tagged().items() if key not in REASONS}
    assert not unlisted, f"tagged nbval-ignore-output without a reason here: {unlisted}"


def test_every_listed_cell_is_still_tagged():
    stale = set(REASONS) - set(tagged())
    assert not stale, f"listed here but no longer tagged (remove the line): {sorted(stale)}"


@pytest.mark.parametrize("key", sorted(REASONS))
def test_reason_is_one_line(key):
    reason = REASONS[key]
    assert reason.strip() and "\n" not in reason and len(reason) <= 140, key
