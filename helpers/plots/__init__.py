"""Plotting helpers with one consistent look. Importing this module applies the style.

Each function takes documented shapes, draws on ``ax`` when given (else a new
figure), labels its axes and returns the axes, so notebooks and widgets reuse them.
"""

from helpers.plots.attention import attention_heatmap
from helpers.plots.cells import gru_cell, lstm_cell
from helpers.plots.cnn import conv_filters, feature_maps, image_grid
from helpers.plots.conv import conv_geometry, image_row
from helpers.plots.ctc import ctc_lattice
from helpers.plots.curves import training_curves
from helpers.plots.diagrams import dependency_graph, layered_positions, unrolled_rnn
from helpers.plots.gradients import gradient_heatmap, gradient_norm_vs_distance
from helpers.plots.heatmaps import heatmap
from helpers.plots.style import COLORS, DIVERGING, SEQUENTIAL, apply_style, label, subplots

apply_style()

__all__ = [
    "COLORS",
    "DIVERGING",
    "SEQUENTIAL",
    "apply_style",
    "attention_heatmap",
    "conv_filters",
    "conv_geometry",
    "ctc_lattice",
    "dependency_graph",
    "feature_maps",
    "gradient_heatmap",
    "gradient_norm_vs_distance",
    "gru_cell",
    "heatmap",
    "image_grid",
    "image_row",
    "label",
    "layered_positions",
    "lstm_cell",
    "subplots",
    "training_curves",
    "unrolled_rnn",
]
