"""Heat maps of a matrix with labelled rows and columns (hidden states, attention)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.plots.style import DIVERGING, SEQUENTIAL, label, subplots


def heatmap(
    matrix: np.ndarray,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    xticklabels: Sequence[str] | None = None,
    yticklabels: Sequence[str] | None = None,
    signed: bool = False,
    annotate: bool = False,
    vmax: float | None = None,
    ax=None,
    colorbar_label: str = "",
):
    """Draw ``matrix`` (R rows, C columns) as a heat map; return the axes.

    xticklabels: C strings for the columns; yticklabels: R strings for the rows.
    signed=True uses a diverging map centred on zero (symmetric limits);
    otherwise a sequential map from the minimum to ``vmax``.
    annotate writes each value (two decimals) in its cell.
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be 2-D (rows, columns), got shape {matrix.shape}")
    rows, cols = matrix.shape
    expected = (("xticklabels", xticklabels, cols), ("yticklabels", yticklabels, rows))
    for name, labels, size in expected:
        if labels is not None and len(labels) != size:
            raise ValueError(f"{name} has {len(labels)} entries for matrix of shape {matrix.shape}")
    if ax is None:
        _, ax = subplots(width=max(3.0, 0.45 * cols + 1.5), height=max(2.0, 0.4 * rows + 1.2))
    if signed:
        limit = vmax if vmax is not None else max(float(np.abs(matrix).max()), 1e-12)
        image = ax.imshow(matrix, cmap=DIVERGING, vmin=-limit, vmax=limit, aspect="auto")
    else:
        image = ax.imshow(matrix, cmap=SEQUENTIAL, vmax=vmax, aspect="auto")
    ax.grid(False)
    if xticklabels is not None:
        ax.set_xticks(range(cols), labels=list(xticklabels), rotation=90 if cols > 12 else 0)
    if yticklabels is not None:
        ax.set_yticks(range(rows), labels=list(yticklabels))
    if annotate:
        for (r, c), value in np.ndenumerate(matrix):
            ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=8)
    ax.figure.colorbar(image, ax=ax, label=colorbar_label, shrink=0.9)
    return label(ax, title, xlabel, ylabel)
