"""helpers.plots.display: the alt text every figure carries into the notebook (and the site)."""

import base64
import struct

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402
from helpers.plots.display import describe_figure, figure_png  # noqa: E402


def test_one_panel_says_title_axes_and_legend():
    _, ax = plots.subplots()
    ax.plot([0, 1], label=r"$\alpha_t$ curve")
    plots.label(ax, "Gradient norm", "distance $t - s$", r"$\|\bar h_s\|$")
    ax.legend()
    text = describe_figure(ax.figure)
    plt.close(ax.figure)
    expected = "'Gradient norm': |bar h_s| against distance t - s; legend: alpha_t curve."
    assert text == f"Figure. {expected}"


def test_heat_map_and_colour_scale_are_named():
    fig, ax = plots.subplots()
    image = ax.imshow(np.eye(3))
    plots.label(ax, "Attention", "source", "output")
    fig.colorbar(image, label="attention weight")
    fig.suptitle("Two panels")
    text = describe_figure(fig)
    plt.close(fig)
    assert text.startswith("Figure: Two panels. Panel 1: 'Attention': heat map of output against")
    assert "Panel 2: colour scale attention weight." in text


def test_png_is_pixel_doubled_and_carries_the_alt_text():
    fig, ax = plots.subplots(width=4, height=2)
    plots.label(ax, "t", "x", "y")
    data, metadata = figure_png(fig)
    plt.close(fig)
    assert isinstance(data, str) and metadata["alt"].startswith("Figure.")
    png = base64.b64decode(data)
    pixels_wide, pixels_high = struct.unpack(">II", png[16:24])  # the PNG's IHDR chunk
    assert (metadata["width"], metadata["height"]) == (pixels_wide // 2, pixels_high // 2)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        describe_figure("not a figure")
