"""helpers.plots: labelled axes, documented shapes, ValueError on bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_style_is_readable_on_dark_themes():
    assert matplotlib.rcParams["figure.facecolor"] == "white"


def test_heatmap_labels_and_checks_shapes():
    ax = plots.heatmap(np.ones((2, 3)), title="t", xlabel="x", ylabel="y", xticklabels="abc")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("t", "x", "y")
    with pytest.raises(ValueError, match="xticklabels has 2 entries"):
        plots.heatmap(np.ones((2, 3)), title="t", xlabel="x", ylabel="y", xticklabels="ab")
    with pytest.raises(ValueError, match="2-D"):
        plots.heatmap(np.ones(3), title="t", xlabel="x", ylabel="y")


def test_label_requires_all_three():
    _, ax = plots.subplots()
    with pytest.raises(ValueError):
        plots.label(ax, "title", "", "y")


def test_training_curves():
    ax = plots.training_curves({"a": [3, 2, 1], "b": [2, 1]}, log_y=True)
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    with pytest.raises(ValueError):
        plots.training_curves({})


def test_layered_positions_and_cycles():
    pos = plots.layered_positions([("a", "b"), ("b", "c"), ("a", "c")])
    assert pos["a"][0] == 0 and pos["b"][0] == 1 and pos["c"][0] == 2
    with pytest.raises(ValueError, match="cycle"):
        plots.layered_positions([("a", "b"), ("b", "a")])


def test_diagrams_draw():
    ax = plots.dependency_graph([("01", "02")], title="map", groups={"01": "basics"})
    assert ax.get_title() == "map"
    assert plots.unrolled_rnn(3).get_title()
    with pytest.raises(ValueError):
        plots.unrolled_rnn(0)
