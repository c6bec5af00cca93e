"""helpers.plots.cells: the LSTM and GRU cell diagrams draw, title their axes and reuse an axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402


@pytest.mark.parametrize("draw", [plots.lstm_cell, plots.gru_cell])
def test_cell_diagram_draws_on_a_new_figure(draw):
    ax = draw()
    assert ax.get_title()
    assert len(ax.patches) >= 4  # gate boxes and operation circles
    plt.close(ax.figure)


@pytest.mark.parametrize("draw", [plots.lstm_cell, plots.gru_cell])
def test_cell_diagram_uses_the_given_axes(draw):
    fig, ax = plt.subplots()
    assert draw(title="custom", ax=ax) is ax
    assert ax.get_title() == "custom"
    plt.close(fig)
