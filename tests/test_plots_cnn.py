"""helpers.plots.cnn: image grids, conv filters and feature maps, every panel labelled."""

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


def labelled(ax):
    return bool(ax.get_title() and ax.get_xlabel() and ax.get_ylabel())


def test_image_grid_panels_share_one_scale():
    images = np.stack([np.zeros((3, 3)), np.full((3, 3), 2.0), np.eye(3)])
    axes = plots.image_grid(images, titles=["a", "b", "c"], ncols=2, suptitle="grid")
    assert len(axes) == 3 and all(labelled(ax) for ax in axes)
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    assert {ax.images[0].get_clim() for ax in axes} == {(0.0, 2.0)}
    assert axes[0].figure._suptitle.get_text() == "grid"
    # the unused fourth panel of the 2 x 2 grid is hidden
    assert sum(ax.get_visible() for ax in axes[0].figure.axes) == 3


def test_image_grid_signed_and_given_axes():
    fig, given = plt.subplots(1, 2)
    axes = plots.image_grid(
        np.array([[[-1.0, 0.5]], [[0.2, 0.0]]]), titles=["x", "y"], signed=True, axes=given
    )
    assert list(axes) == list(given)
    assert axes[0].images[0].get_clim() == (-1.0, 1.0)


@pytest.mark.parametrize(
    "images, titles, kwargs, match",
    [
        (np.zeros((3, 3)), ["a"], {}, "K, H, W"),
        (np.zeros((2, 3, 3)), ["a"], {}, "titles"),
        (np.zeros((0, 3, 3)), [], {}, "at least one"),
        (np.zeros((2, 3, 3)), ["a", "b"], {"ncols": 0}, "ncols must be an integer >= 1"),
        (np.zeros((2, 3, 3)), ["a", "b"], {"ncols": 1.5}, "ncols must be an integer >= 1"),
        (np.zeros((2, 3, 3)), ["a", "b"], {"ncols": 2.0}, "ncols must be an integer >= 1"),
        (np.zeros((2, 3, 3)), ["a", "b"], {"ncols": True}, "ncols must be an integer >= 1"),
        (np.full((2, 3, 3), -0.5), ["a", "b"], {}, "signed=True"),
    ],
)
def test_image_grid_checks(images, titles, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.image_grid(images, titles=titles, **kwargs)


def test_image_grid_unsigned_refuses_negative_values_but_signed_draws_them():
    images = np.array([[[0.0, 1.0]], [[-0.25, 0.5]]])
    with pytest.raises(ValueError, match="below 0"):
        plots.image_grid(images, titles=["a", "b"])
    axes = plots.image_grid(images, titles=["a", "b"], signed=True)
    assert axes[0].images[0].get_clim() == (-1.0, 1.0)
    # non-negative images: grey levels from 0 to the largest value, or to vmax when given
    axes = plots.image_grid(np.abs(images), titles=["a", "b"], ncols=np.int64(1), vmax=2.0)
    assert axes[0].images[0].get_clim() == (0.0, 2.0)


def test_image_grid_colorbar():
    axes = plots.image_grid(np.ones((2, 3, 3)), titles=["a", "b"], colorbar="ink")
    figure_axes = axes[0].figure.axes
    assert len(figure_axes) == 3  # two panels and the colour bar
    assert figure_axes[-1].get_ylabel() == "ink"
    plain = plots.image_grid(np.ones((2, 3, 3)), titles=["a", "b"])
    assert len(plain[0].figure.axes) == 2


def test_image_grid_needs_one_axes_per_image():
    _, given = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="axes"):
        plots.image_grid(np.zeros((2, 3, 3)), titles=["a", "b"], axes=given)


def test_conv_filters():
    w = np.random.default_rng(0).normal(size=(4, 1, 3, 3))
    axes = plots.conv_filters(w)
    assert [ax.get_title() for ax in axes] == ["filter 0", "filter 1", "filter 2", "filter 3"]
    limit = np.abs(w).max()
    assert axes[0].images[0].get_clim() == pytest.approx((-limit, limit))
    assert axes[0].figure.axes[-1].get_ylabel() == "weight"  # the colour bar
    bare = plots.conv_filters(w, colorbar="")
    assert len(bare[0].figure.axes) == 4
    many = plots.conv_filters(np.ones((2, 3, 3, 3)))
    assert len(many) == 6 and many[4].get_title() == "f1 c1"
    with pytest.raises(ValueError, match="F, C, KH, KW"):
        plots.conv_filters(np.ones((3, 3, 3)))


def test_feature_maps():
    maps = np.abs(np.random.default_rng(0).normal(size=(5, 4, 4)))
    axes = plots.feature_maps(maps, ncols=3)
    assert len(axes) == 5 and all(labelled(ax) for ax in axes)
    assert axes[0].images[0].get_cmap().name == "Greys"
    signed = plots.feature_maps(-maps)
    assert signed[0].images[0].get_cmap().name == plots.DIVERGING
    with pytest.raises(ValueError, match="C, H, W"):
        plots.feature_maps(np.ones((4, 4)))
