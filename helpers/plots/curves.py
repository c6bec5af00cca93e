"""Line plots shared by the notebooks: training curves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from helpers.plots.style import label, subplots


def training_curves(
    curves: Mapping[str, Sequence[float]],
    *,
    title: str = "Training curves",
    xlabel: str = "training step",
    ylabel: str = "loss",
    log_y: bool = False,
    ax=None,
):
    """Plot one line per named curve (a dict name -> values per step); return the axes."""
    if not curves:
        raise ValueError("curves must hold at least one named sequence")
    if ax is None:
        _, ax = subplots()
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, label=name)
    if log_y:
        ax.set_yscale("log")
    ax.legend()
    return label(ax, title, xlabel, ylabel)
