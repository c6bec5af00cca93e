"""The CTC forward lattice: extended labels (rows) against time (columns).

Notebook 03 draws the alpha recursion with it; the widget there redraws it for a
chosen target.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.plots.style import COLORS, label, subplots


def ctc_lattice(
    log_alpha: np.ndarray,
    labels: Sequence[str],
    *,
    blank: str = "-",
    title: str = r"CTC lattice: $\log \alpha_t(s)$",
    ax=None,
):
    """Draw the CTC lattice with the allowed transitions; return the axes.

    log_alpha: (T, S) log forward variables (``-inf`` where no path can be), S = 2L + 1;
    labels: S strings, the extended label sequence (``blank`` at even positions).
    Each node (t, s) is coloured by log alpha_t(s); unreachable nodes are hollow.
    Grey arrows are the moves allowed into the next column: stay, step down by one,
    and skip a blank (two down) when the label differs from the one two rows above.
    The two nodes whose sum is p(y | x) at the last step are ringed.
    Raises ``ValueError`` when the shapes disagree.
    """
    log_alpha = np.asarray(log_alpha, dtype=float)
    if log_alpha.ndim != 2 or log_alpha.shape[1] != len(labels):
        raise ValueError(
            f"log_alpha must have shape (T, {len(labels)}) to match labels, got {log_alpha.shape}"
        )
    T, S = log_alpha.shape
    if ax is None:
        _, ax = subplots(width=max(4.0, 0.75 * T + 2.0), height=max(2.5, 0.45 * S + 1.0))
    skip = [s >= 2 and labels[s] != blank and labels[s] != labels[s - 2] for s in range(S)]
    for t in range(T - 1):
        for s in range(S):
            targets = [s, s + 1] + ([s + 2] if s + 2 < S and skip[s + 2] else [])
            for r in targets:
                if r < S:
                    ax.annotate(
                        "",
                        xy=(t + 1, r),
                        xytext=(t, s),
                        arrowprops={
                            "arrowstyle": "-|>",
                            "color": "0.75",
                            "shrinkA": 7,
                            "shrinkB": 7,
                            "lw": 0.8,
                        },
                    )
    finite = np.isfinite(log_alpha)
    tt, ss = np.nonzero(finite)
    points = ax.scatter(
        tt,
        ss,
        c=log_alpha[finite],
        s=140,
        cmap="viridis",
        zorder=3,
        edgecolors="black",
        linewidths=0.5,
    )
    tt0, ss0 = np.nonzero(~finite)
    ax.scatter(tt0, ss0, s=140, facecolors="white", edgecolors="0.6", zorder=3, linewidths=0.8)
    ends = [s for s in (S - 1, S - 2) if s >= 0]
    ax.scatter(
        [T - 1] * len(ends),
        ends,
        s=320,
        facecolors="none",
        edgecolors=COLORS[3],
        linewidths=2,
        zorder=4,
    )
    if finite.any():
        ax.figure.colorbar(points, ax=ax, label=r"$\log \alpha_t(s)$", shrink=0.9)
    ax.set_yticks(range(S), labels=list(labels))
    ax.set_xticks(range(T), labels=[str(t + 1) for t in range(T)])
    ax.set_ylim(S - 0.5, -0.5)
    ax.set_xlim(-0.5, T - 0.5)
    ax.grid(False)
    return label(ax, title, "time step t", "extended label $l'_s$")
