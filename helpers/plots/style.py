"""One look for every figure: white background (readable in JupyterLab's light
and dark themes), a colour-blind-safe palette, and labelled axes."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

# Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SEQUENTIAL = "viridis"  # magnitudes (gradient norms, attention weights)
DIVERGING = "RdBu_r"  # signed values (hidden states, weights), centred on zero

STYLE = {
    "figure.facecolor": "white",  # a transparent figure is unreadable on a dark theme
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "figure.dpi": 80,
    "figure.figsize": (6.4, 3.6),
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "image.cmap": SEQUENTIAL,
}


def apply_style() -> None:
    """Set the course's matplotlib defaults and, in a notebook, show figures as HiDPI PNGs
    with alt text (``helpers.plots.display``); called when ``helpers.plots`` is imported."""
    from helpers.plots.display import use_figure_display

    mpl.rcParams.update(STYLE)
    use_figure_display()


def label(ax, title: str, xlabel: str, ylabel: str):
    """Give ``ax`` its title and axis labels; return ``ax``. Every course plot has all three."""
    if not (title and xlabel and ylabel):
        raise ValueError("title, xlabel and ylabel must all be non-empty")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def subplots(ncols: int = 1, nrows: int = 1, width: float = 6.4, height: float = 3.6, **kwargs):
    """``plt.subplots`` sized so that each panel is ``width`` x ``height`` inches."""
    return plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), layout="constrained", **kwargs
    )
