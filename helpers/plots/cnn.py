"""Pictures of what a ConvNet holds: images side by side, learned filters, feature maps."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from helpers.plots.style import DIVERGING, label
from helpers.validate import check_int


def image_grid(
    images,
    *,
    titles: Sequence[str],
    suptitle: str = "",
    ncols: int | None = None,
    signed: bool = False,
    vmax: float | None = None,
    xlabel: str = "column",
    ylabel: str = "row",
    panel_size: float = 1.3,
    colorbar: str = "",
    axes=None,
):
    """Draw K images (K, H, W) as panels, one title each; return the axes (a flat array).

    signed=True: diverging colours centred on 0 with limits +-vmax (default: the largest
    |value|), for weights. signed=False: grey levels from 0 (white) to vmax (default: the
    largest value), for pixels and ReLU outputs; images with a value below 0 raise
    ValueError there (use signed=True), so no negative value is silently drawn as 0.
    All panels share one colour scale; ``colorbar``, if not empty, labels a colour bar
    for them. axes: K existing axes to draw on; else a new figure with ``ncols`` (an
    integer >= 1, default K) panels per row and ``suptitle`` above them.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (K, H, W), got shape {images.shape}")
    K = len(images)
    if len(titles) != K:
        raise ValueError(f"titles has {len(titles)} entries for {K} images")
    if K == 0:
        raise ValueError("images must hold at least one image")
    if ncols is not None:
        ncols = check_int("ncols", ncols, low=1)
    if not signed and images.min() < 0:
        raise ValueError(
            f"images has values down to {images.min():.3g}; signed=False draws 0..vmax, "
            "use signed=True for values below 0"
        )
    if axes is None:
        ncols = K if ncols is None else ncols
        nrows = -(-K // ncols)
        fig, grid = plt.subplots(
            nrows,
            ncols,
            figsize=(panel_size * ncols + 0.4, (panel_size + 0.45) * nrows + 0.35),
            layout="constrained",
            squeeze=False,
        )
        for ax in grid.ravel()[K:]:
            ax.set_visible(False)
        axes = grid.ravel()[:K]
        if suptitle:
            fig.suptitle(suptitle)
    axes = np.asarray(axes).ravel()
    if len(axes) != K:
        raise ValueError(f"got {len(axes)} axes for {K} images")
    if signed:
        limit = vmax if vmax is not None else max(float(np.abs(images).max()), 1e-12)
        options = {"cmap": DIVERGING, "vmin": -limit, "vmax": limit}
    else:
        top = vmax if vmax is not None else max(float(images.max()), 1e-12)
        options = {"cmap": "Greys", "vmin": 0.0, "vmax": top}
    for ax, image, title in zip(axes, images, titles, strict=True):
        ax.imshow(image, **options)
        ax.grid(False)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():  # frame every image: white pixels meet a white page
            spine.set_visible(True)
            spine.set_color("0.6")
        label(ax, title, xlabel, ylabel)
        ax.xaxis.label.set_fontsize(8)
        ax.yaxis.label.set_fontsize(8)
        ax.title.set_fontsize(9)
    if colorbar:
        axes[0].figure.colorbar(axes[0].images[0], ax=list(axes), label=colorbar, shrink=0.8)
    return axes


def conv_filters(weights, *, suptitle: str = "Filters", colorbar: str = "weight", axes=None):
    """Draw conv weights (F, C, KH, KW) as F * C signed panels of KH x KW.

    C = 1: one row of F panels titled "filter <f>". C > 1: one row per filter, one panel
    per input channel, titled "f<f> c<c>". One colour scale for all panels (red positive, blue
    negative, white 0), shown by a colour bar labelled ``colorbar`` (empty: none).
    Returns the axes.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 4:
        raise ValueError(f"weights must have shape (F, C, KH, KW), got shape {weights.shape}")
    F, C = weights.shape[:2]
    titles = [f"filter {f}" if C == 1 else f"f{f} c{c}" for f in range(F) for c in range(C)]
    return image_grid(
        weights.reshape(F * C, *weights.shape[2:]),
        titles=titles,
        suptitle=suptitle,
        ncols=C if C > 1 else F,
        signed=True,
        xlabel="kw",
        ylabel="kh",
        colorbar=colorbar,
        axes=axes,
    )


def feature_maps(maps, *, suptitle: str = "Feature maps", ncols: int | None = None, axes=None):
    """Draw the C feature maps (C, H, W) of one image, panels "map <c>", one shared scale.

    Values below 0 (pre-activations) use a diverging scale; ReLU outputs a grey one.
    Returns the axes.
    """
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(f"maps must have shape (C, H, W), got shape {maps.shape}")
    return image_grid(
        maps,
        titles=[f"map {c}" for c in range(len(maps))],
        suptitle=suptitle,
        ncols=ncols,
        signed=bool(maps.min() < 0),
        axes=axes,
    )
