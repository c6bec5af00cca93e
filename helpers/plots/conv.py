"""Pictures of convolution geometry: which inputs one output reads, and images side by side."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from helpers.layers.conv import conv_output_size
from helpers.plots.style import COLORS, DIVERGING, label, subplots
from helpers.validate import check_int

# cell kinds of the padded input grid
_INPUT, _PADDING, _WINDOW, _UNREAD = 0, 1, 2, 3
_KIND_COLORS = ["white", "#d9d9d9", COLORS[0], COLORS[1]]


def _check_geometry(H: int, W: int, kernel: int, stride: int, padding: int) -> tuple[int, int]:
    check_int("H", H, low=1)
    check_int("W", W, low=1)
    # conv_output_size checks kernel, stride and padding itself
    Ho, Wo = (conv_output_size(size, kernel, stride, padding) for size in (H, W))
    if Ho < 1 or Wo < 1:
        raise ValueError(
            f"a {kernel}x{kernel} kernel does not fit in a {H}x{W} input with padding={padding}"
        )
    return Ho, Wo


def _read_by_windows(length: int, outputs: int, kernel: int, stride: int) -> np.ndarray:
    """(length,) bools: which positions along one axis some window reads (stride > kernel: gaps)."""
    read = np.zeros(length, dtype=bool)
    for start in range(0, stride * outputs, stride):
        read[start : start + kernel] = True
    return read


def conv_geometry(
    H: int, W: int, kernel: int, stride: int, padding: int, position: tuple[int, int] = (0, 0)
):
    """Draw the padded H x W input with the window of output ``position`` and the output grid.

    The padded input is (H + 2P) x (W + 2P): zeros of the padding in grey, the kernel x kernel
    window read by output position (u, v) in blue, inputs that no window reads in orange.
    Right panel: the Ho x Wo output, Ho = (H + 2P - kernel) // stride + 1, with (u, v) marked.
    Returns the figure's two axes.
    """
    Ho, Wo = _check_geometry(H, W, kernel, stride, padding)
    u, v = position
    if not (0 <= u < Ho and 0 <= v < Wo):
        raise ValueError(f"position must lie in the {Ho}x{Wo} output, got {position}")
    Hp, Wp = H + 2 * padding, W + 2 * padding
    read_rows = _read_by_windows(Hp, Ho, kernel, stride)
    read_cols = _read_by_windows(Wp, Wo, kernel, stride)
    kinds = np.where(read_rows[:, None] & read_cols[None, :], _INPUT, _UNREAD)
    border = np.ones((Hp, Wp), dtype=bool)
    border[padding : padding + H, padding : padding + W] = False
    kinds[border] = _PADDING
    rows = slice(stride * u, stride * u + kernel)
    cols = slice(stride * v, stride * v + kernel)
    kinds[rows, cols] = _WINDOW

    _, (left, right) = subplots(ncols=2, width=3.6, height=3.6)
    cmap = ListedColormap(_KIND_COLORS)
    left.imshow(kinds, cmap=cmap, vmin=-0.5, vmax=3.5)
    output = np.zeros((Ho, Wo), dtype=int)
    output[u, v] = _WINDOW
    right.imshow(output, cmap=cmap, vmin=-0.5, vmax=3.5)
    for ax, (rows_, cols_) in ((left, (Hp, Wp)), (right, (Ho, Wo))):
        ax.grid(False)
        ax.set_xticks(range(cols_))
        ax.set_yticks(range(rows_))
        ax.set_xticks(np.arange(-0.5, cols_, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, rows_, 1), minor=True)
        ax.grid(which="minor", color="black", linewidth=0.5, alpha=0.6)
        ax.tick_params(which="minor", length=0)
    legend = [
        Patch(facecolor=color, edgecolor="black", label=name)
        for color, name in zip(
            _KIND_COLORS,
            ["input", "padding (zeros)", "window of (u, v)", "read by no window"],
            strict=True,
        )
    ]
    left.figure.legend(handles=legend, loc="outside lower center", ncols=4, fontsize=9)
    label(
        left,
        f"{H}x{W} input padded to {Hp}x{Wp}",
        "column of the padded input",
        "row of the padded input",
    )
    label(
        right,
        f"{Ho}x{Wo} output, K={kernel}, S={stride}",
        "output column v",
        "output row u",
    )
    return left, right


def image_row(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    *,
    xlabel: str = "column",
    ylabel: str = "row",
    signed: bool | Sequence[bool] = False,
    width: float = 2.6,
):
    """Draw 2-D arrays side by side, one panel each with its title; return the axes.

    images: K arrays of shape (rows, columns), sizes may differ; titles: K strings.
    signed: one flag, or one per image. A signed image is drawn with a diverging map centred
    on zero (symmetric limits), the others in grey levels from their minimum to maximum.
    """
    if len(images) != len(titles) or not images:
        raise ValueError(
            f"need one title per image, got {len(images)} images, {len(titles)} titles"
        )
    shapes = [np.shape(image) for image in images]
    if any(len(shape) != 2 for shape in shapes):
        raise ValueError(f"every image must be 2-D, got shapes {shapes}")
    flags = [signed] * len(images) if isinstance(signed, bool) else list(signed)
    if len(flags) != len(images):
        raise ValueError(f"signed has {len(flags)} flags for {len(images)} images")
    _, axes = subplots(ncols=len(images), width=width, height=width)
    axes = np.atleast_1d(axes)
    for ax, image, title, flag in zip(axes, images, titles, flags, strict=True):
        image = np.asarray(image, dtype=float)
        if flag:
            limit = max(float(np.abs(image).max()), 1e-12)
            ax.imshow(image, cmap=DIVERGING, vmin=-limit, vmax=limit)
        else:
            ax.imshow(image, cmap="gray")
        ax.grid(False)
        if max(image.shape) <= 12:  # small arrays (kernels): one tick per entry
            ax.set_xticks(range(image.shape[1]))
            ax.set_yticks(range(image.shape[0]))
        label(ax, title, xlabel, ylabel)
    return axes
