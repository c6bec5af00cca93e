"""Attention heat maps: which source token each output token looked at."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.plots.heatmaps import heatmap


def attention_heatmap(
    weights: np.ndarray,
    source_tokens: Sequence[str],
    target_tokens: Sequence[str],
    *,
    title: str,
    ax=None,
):
    """Draw attention weights (Tq, Tk) with target tokens as rows and source tokens as columns.

    weights: (Tq, Tk), row i the distribution of output step i over the Tk source positions
    (values in [0, 1]); source_tokens: Tk labels; target_tokens: Tq labels. Returns the axes.
    Spaces are shown as "␣" so that they stay visible as tick labels.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"weights must be 2-D (Tq, Tk), got shape {weights.shape}")
    if len(source_tokens) != weights.shape[1] or len(target_tokens) != weights.shape[0]:
        raise ValueError(
            f"weights has shape {weights.shape} but got {len(target_tokens)} target and "
            f"{len(source_tokens)} source tokens"
        )

    def shown(tokens):
        return ["␣" if t == " " else t for t in tokens]

    return heatmap(
        weights,
        title=title,
        xlabel="source (input characters)",
        ylabel="output characters",
        xticklabels=shown(source_tokens),
        yticklabels=shown(target_tokens),
        vmax=1.0,
        ax=ax,
        colorbar_label="attention weight",
    )
