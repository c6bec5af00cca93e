"""helpers.plots.attention: the attention heat map labels rows, columns and axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402


def test_heatmap_labels_and_shape():
    weights = np.full((3, 4), 0.25)
    ax = plots.attention_heatmap(weights, ["a", " ", "b", "<eos>"], ["1", "2", "<eos>"], title="t")
    assert ax.get_title() == "t" and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "␣", "b", "<eos>"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "<eos>"]
    plt.close(ax.figure)


def test_heatmap_uses_the_given_axes():
    fig, ax = plt.subplots()
    assert plots.attention_heatmap(np.eye(2), ["a", "b"], ["x", "y"], title="t", ax=ax) is ax
    plt.close(fig)


@pytest.mark.parametrize(
    "weights, src, tgt",
    [(np.ones(3), ["a"], ["b"]), (np.ones((2, 3)), ["a", "b"], ["x", "y"])],
)
def test_heatmap_rejects_bad_shapes(weights, src, tgt):
    with pytest.raises(ValueError):
        plots.attention_heatmap(weights, src, tgt, title="t")
