"""Tests of helpers.plots.gradients: gradient norm against distance, gradient heat map."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import LogNorm

from helpers import plots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_reexported():
    assert "gradient_norm_vs_distance" in plots.__all__
    assert "gradient_heatmap" in plots.__all__


def test_norm_vs_distance_one_line_per_name_log_scale():
    norms = {"ρ = 0.9": 0.9 ** np.arange(20), "ρ = 1.1": 1.1 ** np.arange(15)}
    ax = plots.gradient_norm_vs_distance(norms, title="decay")
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == list(norms)
    for line, values in zip(ax.get_lines(), norms.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(len(values)))
        np.testing.assert_allclose(line.get_ydata(), values)
    assert ax.get_title() == "decay"
    assert ax.get_xlabel() == "distance T − t"
    assert ax.get_ylabel()


def test_norm_vs_distance_draws_on_given_axes_and_labels():
    _, ax = plt.subplots()
    out = plots.gradient_norm_vs_distance(
        {"a": [1.0, 0.5]}, ax=ax, title="t", xlabel="x", ylabel="y"
    )
    assert out is ax
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("t", "x", "y")


def test_norm_vs_distance_zero_is_not_drawn():
    ax = plots.gradient_norm_vs_distance({"relu": np.array([1.0, 0.0, 0.5])})
    y = ax.get_lines()[0].get_ydata()
    assert np.isnan(y[1]) and y[0] == 1.0


@pytest.mark.parametrize(
    "norms",
    [{}, {"a": np.ones((2, 2))}, {"a": []}, {"a": [1.0, np.nan]}, {"a": [1.0, -1.0]}],
)
def test_norm_vs_distance_bad_input(norms):
    with pytest.raises(ValueError):
        plots.gradient_norm_vs_distance(norms)


def test_heatmap_shape_and_log_colours():
    rng = np.random.default_rng(0)
    norms = 10.0 ** rng.uniform(-8, 0, size=(30, 12))
    ax = plots.gradient_heatmap(norms, title="heat")
    image = ax.get_images()[0]
    assert image.get_array().shape == (30, 12)
    assert isinstance(image.norm, LogNorm)
    assert image.norm.vmin == pytest.approx(norms.min())
    assert image.norm.vmax == pytest.approx(norms.max())
    # columns are time steps 1..T, rows iterations 0..n-1 from the top
    assert image.get_extent() == [0.5, 12.5, 29.5, -0.5]
    assert ax.get_title() == "heat"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.figure.axes) == 2  # the colour bar


def test_heatmap_zeros_become_darkest():
    norms = np.array([[0.0, 1e-3], [1e-1, 1.0]])
    ax = plots.gradient_heatmap(norms)
    data = np.asarray(ax.get_images()[0].get_array())
    assert data[0, 0] == pytest.approx(1e-3)


def test_heatmap_given_axes():
    _, ax = plt.subplots()
    assert plots.gradient_heatmap(np.ones((2, 3)), ax=ax) is ax


@pytest.mark.parametrize(
    "norms",
    [np.ones(3), np.ones((2, 2, 2)), np.zeros((2, 3)), np.array([[1.0, np.inf]]), -np.ones((2, 2))],
)
def test_heatmap_bad_input(norms):
    with pytest.raises(ValueError):
        plots.gradient_heatmap(norms)
