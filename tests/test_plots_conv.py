"""helpers.plots.conv: the convolution-geometry picture and the row of images."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402


def _cell_kinds(ax):
    return ax.get_images()[0].get_array()


def test_geometry_marks_window_padding_and_unread_inputs():
    left, right = plots.conv_geometry(8, 8, kernel=3, stride=2, padding=0, position=(1, 2))
    kinds = _cell_kinds(left)
    assert kinds.shape == (8, 8)
    assert np.all(kinds[2:5, 4:7] == 2)  # the window of output (1, 2) starts at (2, 4)
    assert np.all(kinds[7, :] == 3) and np.all(kinds[:, 7] == 3)  # (8 - 3) % 2 = 1 unread row
    assert _cell_kinds(right).shape == (3, 3) and _cell_kinds(right)[1, 2] == 2
    for ax in (left, right):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    plt.close(left.figure)


def test_geometry_marks_gaps_between_windows_when_stride_exceeds_kernel():
    left, _ = plots.conv_geometry(9, 9, kernel=1, stride=3, padding=0, position=(0, 0))
    kinds = _cell_kinds(left)
    assert list(kinds[:, 0]) == [2, 3, 3, 0, 3, 3, 0, 3, 3]
    assert np.all(kinds[1, :] == 3)
    plt.close(left.figure)


def test_geometry_draws_padding_in_grey():
    left, _ = plots.conv_geometry(5, 5, kernel=3, stride=1, padding=1, position=(2, 2))
    kinds = _cell_kinds(left)
    assert kinds.shape == (7, 7) and np.all(kinds[0] == 1) and np.all(kinds[:, -1] == 1)
    assert not np.any(kinds == 3)
    plt.close(left.figure)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"H": 2, "W": 2, "kernel": 3, "stride": 1, "padding": 0}, "does not fit"),
        ({"H": 5, "W": 5, "kernel": 3, "stride": 0, "padding": 0}, "stride"),
        ({"H": 5, "W": 5, "kernel": 3, "stride": 1, "padding": -1}, "padding"),
        ({"H": 5, "W": 5, "kernel": 3, "stride": 1, "padding": 0, "position": (3, 0)}, "position"),
    ],
)
def test_geometry_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.conv_geometry(**kwargs)


def test_image_row_draws_each_image_with_its_title():
    axes = plots.image_row([np.eye(3), -np.eye(5)], ["a", "b"], signed=[False, True])
    assert [ax.get_title() for ax in axes] == ["a", "b"]
    assert axes[1].get_images()[0].get_clim() == (-1.0, 1.0)
    plt.close(axes[0].figure)


@pytest.mark.parametrize(
    ("images", "titles", "signed", "match"),
    [
        ([np.eye(2)], ["a", "b"], False, "one title per image"),
        ([np.zeros(3)], ["a"], False, "2-D"),
        ([np.eye(2)], ["a"], [True, False], "signed has 2 flags"),
    ],
)
def test_image_row_rejects_bad_arguments(images, titles, signed, match):
    with pytest.raises(ValueError, match=match):
        plots.image_row(images, titles, signed=signed)
