"""helpers.plots.ctc_lattice: labelled axes, shape checks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plots
from helpers.layers import ctc_alpha, log_softmax


def test_lattice_draws_and_labels():
    lp = log_softmax(np.random.default_rng(0).standard_normal((5, 3)))
    alpha = ctc_alpha(lp, np.array([1, 2]))
    ax = plots.ctc_lattice(alpha, ["-", "a", "-", "b", "-"])
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["-", "a", "-", "b", "-"]
    plt.close("all")


def test_lattice_refuses_mismatched_labels():
    with pytest.raises(ValueError, match="log_alpha must have shape"):
        plots.ctc_lattice(np.zeros((4, 5)), ["-", "a", "-"])
