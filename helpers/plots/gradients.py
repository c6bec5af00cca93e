"""How gradients travel back through time: norm against distance, and a heat map over training.

Both figures use a logarithmic scale, because vanishing and exploding gradients
change by orders of magnitude. Notebook 05 introduces them; the LSTM and GRU
notebooks reuse them to compare gradient flow with the plain RNN.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from helpers.plots.style import label, subplots


def _norm_values(name: str, values) -> np.ndarray:
    """``values`` as a 1-D float array of finite, non-negative norms, else ``ValueError``."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"norms[{name!r}] must be a non-empty 1-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"norms[{name!r}] must hold finite, non-negative norms")
    return array


def gradient_norm_vs_distance(
    norms: Mapping[str, np.ndarray],
    *,
    title: str = "Gradient norm against distance",
    ax=None,
    xlabel: str = "distance T − t",
    ylabel: str = r"$\|\partial h_T / \partial h_t\|$",
):
    """Plot one line per named curve of gradient norms against distance; return the axes.

    norms: name -> array (L,), entry k is the norm at distance k = T − t
    (k = 0 .. L−1; curves may differ in length). The y axis is logarithmic, so a
    norm that shrinks or grows geometrically is a straight line; zeros are not drawn.
    Raises ``ValueError`` on an empty mapping, a non-1-D array, or a negative or
    non-finite norm.
    """
    if not norms:
        raise ValueError("norms must hold at least one named array")
    curves = {name: _norm_values(name, values) for name, values in norms.items()}
    if ax is None:
        _, ax = subplots()
    for name, values in curves.items():
        ax.plot(np.arange(values.size), np.where(values > 0, values, np.nan), label=name)
    ax.set_yscale("log")
    ax.legend()
    return label(ax, title, xlabel, ylabel)


def gradient_heatmap(
    norms: np.ndarray,
    *,
    title: str = "Gradient norm per time step during training",
    ax=None,
    xlabel: str = "time step t",
    ylabel: str = "training iteration",
    colorbar_label: str = r"$\|\partial L / \partial h_t\|$",
    first_step: int = 1,
    vmin: float | None = None,
    vmax: float | None = None,
):
    """Draw gradient norms (iterations, T) as a heat map with logarithmic colours; return the axes.

    norms[i, j]: the norm of the gradient at time step ``first_step + j`` in
    training iteration i (rows: iterations, drawn from the top; columns: time
    steps). Colours span ``vmin``..``vmax`` (default: the smallest positive and
    the largest norm); zeros and values below ``vmin`` take the darkest colour.
    Raises ``ValueError`` unless norms is 2-D, finite, non-negative with one positive entry.
    """
    from matplotlib.colors import LogNorm

    matrix = np.asarray(norms, dtype=float)
    if matrix.ndim != 2 or matrix.size == 0:
        raise ValueError(
            f"norms must be a non-empty 2-D array (iterations, T), got shape {matrix.shape}"
        )
    if not np.all(np.isfinite(matrix)) or np.any(matrix < 0):
        raise ValueError(f"norms must hold finite, non-negative values (shape {matrix.shape})")
    positive = matrix[matrix > 0]
    if positive.size == 0:
        raise ValueError("norms must hold at least one positive value for a log colour scale")
    low = float(positive.min()) if vmin is None else float(vmin)
    high = float(positive.max()) if vmax is None else float(vmax)
    if not 0 < low <= high:
        raise ValueError(f"need 0 < vmin <= vmax for a log colour scale, got {low}, {high}")
    if low == high:
        high = low * 10.0
    iterations, steps = matrix.shape
    if ax is None:
        _, ax = subplots(width=6.4, height=3.6)
    image = ax.imshow(
        np.maximum(matrix, low),  # zeros would be masked (white); show them as the darkest colour
        norm=LogNorm(vmin=low, vmax=high),
        aspect="auto",
        interpolation="nearest",
        extent=(first_step - 0.5, first_step + steps - 0.5, iterations - 0.5, -0.5),
    )
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, label=colorbar_label, shrink=0.9)
    return label(ax, title, xlabel, ylabel)
