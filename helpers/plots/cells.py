"""Diagrams of gated recurrent cells (LSTM, GRU), drawn with matplotlib.

Each function draws one cell on ``ax`` (a new figure when ``None``), with the
gate order and equations of PyTorch, and returns the axes.
"""

from __future__ import annotations

from helpers.plots.diagrams import _arrow, _box, _lighten
from helpers.plots.style import COLORS, subplots


def _op(ax, x: float, y: float, symbol: str) -> None:
    """A small circle holding an elementwise operation (⊙, +, tanh, 1−)."""
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), 0.28, facecolor="white", edgecolor="black", zorder=3))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=10 if len(symbol) < 3 else 7, zorder=4)


def _line(ax, xs, ys, color="black") -> None:
    ax.plot(xs, ys, color=color, lw=1.2, zorder=1)


def _frame(ax, title: str, width: float, height: float):
    ax.set_xlim(-0.9, width + 0.9)
    ax.set_ylim(-0.9, height + 0.6)
    ax.set_aspect("equal")
    ax.set_title(title)
    ax.axis("off")
    return ax


def lstm_cell(*, title: str = "An LSTM cell: the cell-state highway and four gates", ax=None):
    """Draw one LSTM step: the cell-state highway on top, the four gates below; return the axes.

    Top line: c_{t-1} -> (⊙ f_t) -> (+ i_t ⊙ g_t) -> c_t, the additive path.
    Bottom: h_{t-1} and x_t feed the gates, drawn where they act (f, i, g, o from left to right;
    PyTorch stacks their weights in the order i, f, g, o); h_t = o_t ⊙ tanh(c_t) leaves right.
    """
    if ax is None:
        _, ax = subplots(width=7.2, height=4.2)
    gate, cand = _lighten(COLORS[0]), _lighten(COLORS[1])
    top, mid, bottom = 5.0, 2.4, 0.6
    # the cell-state highway
    _line(ax, [0.0, 2.72], [top, top], color=COLORS[3])
    _line(ax, [3.28, 5.22], [top, top], color=COLORS[3])
    _arrow(ax, (5.78, top), (10.0, top), color=COLORS[3])
    ax.text(-0.1, top + 0.3, "$c_{t-1}$", fontsize=11, color=COLORS[3])
    ax.text(9.5, top + 0.3, "$c_t$", fontsize=11, color=COLORS[3])
    ax.text(3.6, top + 0.3, "additive highway", fontsize=9, color=COLORS[3])
    _op(ax, 3.0, top, "⊙")
    _op(ax, 5.5, top, "+")
    # inputs: h_{t-1} along the bottom, x_t from below
    _line(ax, [0.0, 7.2], [bottom, bottom])
    ax.text(-0.1, bottom - 0.5, "$h_{t-1}$", fontsize=11)
    _arrow(ax, (1.5, -0.7), (1.5, bottom), "$x_t$")
    # the four gates: sigma boxes for i, f, o; a tanh box for the candidate g
    boxes = {
        "f": (3.0, gate, r"$f_t\;\sigma$"),
        "i": (4.5, gate, r"$i_t\;\sigma$"),
        "g": (5.9, cand, r"$g_t\;\tanh$"),
        "o": (7.2, gate, r"$o_t\;\sigma$"),
    }
    for x, color, text in boxes.values():
        _arrow(ax, (x, bottom), (x, mid - 0.3))
        _box(ax, x, mid, text, color, width=1.05, height=0.6)
    # f_t multiplies c_{t-1}
    _arrow(ax, (3.0, mid + 0.3), (3.0, top - 0.28), "")
    # i_t ⊙ g_t is added to the highway
    _op(ax, 5.2, 3.8, "⊙")
    _arrow(ax, (4.5, mid + 0.3), (5.0, 3.6))
    _arrow(ax, (5.9, mid + 0.3), (5.4, 3.6))
    _arrow(ax, (5.5, 4.08), (5.5, top - 0.28))
    # h_t = o_t ⊙ tanh(c_t)
    _op(ax, 8.3, 3.9, "tanh")
    _arrow(ax, (8.3, top), (8.3, 4.18))
    _op(ax, 8.3, mid, "⊙")
    _arrow(ax, (8.3, 3.62), (8.3, mid + 0.28))
    _arrow(ax, (7.73, mid), (8.02, mid))
    _line(ax, [8.3, 8.3], [mid - 0.28, bottom])
    _arrow(ax, (8.3, bottom), (10.0, bottom))
    ax.text(9.5, bottom - 0.5, "$h_t$", fontsize=11)
    return _frame(ax, title, 10.0, top)


def gru_cell(*, title: str = "A GRU cell (PyTorch's form: reset after the product)", ax=None):
    """Draw one GRU step as PyTorch computes it; return the axes.

    r_t, z_t = sigma(...); n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn));
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}: the top line carries h_{t-1} forward, scaled by z_t.
    """
    if ax is None:
        _, ax = subplots(width=7.2, height=4.2)
    gate, cand = _lighten(COLORS[0]), _lighten(COLORS[1])
    top, mid, bottom = 5.0, 2.4, 0.6
    # the state line: h_{t-1} -> (⊙ z_t) -> (+ (1-z_t) ⊙ n_t) -> h_t
    _line(ax, [0.0, 4.22], [top, top], color=COLORS[3])
    _line(ax, [4.78, 7.72], [top, top], color=COLORS[3])
    _arrow(ax, (8.28, top), (10.0, top), color=COLORS[3])
    ax.text(-0.1, top + 0.3, "$h_{t-1}$", fontsize=11, color=COLORS[3])
    ax.text(9.5, top + 0.3, "$h_t$", fontsize=11, color=COLORS[3])
    _op(ax, 4.5, top, "⊙")
    _op(ax, 8.0, top, "+")
    # h_{t-1} also goes down to the gates; x_t from below
    _line(ax, [0.6, 0.6], [top, bottom])
    _line(ax, [0.6, 6.6], [bottom, bottom])
    _arrow(ax, (1.6, -0.7), (1.6, bottom), "$x_t$")
    for x, color, text in ((2.6, gate, r"$r_t\;\sigma$"), (4.5, gate, r"$z_t\;\sigma$")):
        _arrow(ax, (x, bottom), (x, mid - 0.3))
        _box(ax, x, mid, text, color, width=1.05, height=0.6)
    # z_t scales the old state on the top line, 1 - z_t scales the candidate
    _arrow(ax, (4.5, mid + 0.3), (4.5, top - 0.28))
    _op(ax, 5.6, 3.4, "1−")
    _line(ax, [4.5, 5.32], [3.4, 3.4])
    _op(ax, 7.0, 3.9, "⊙")
    _arrow(ax, (5.88, 3.4), (6.75, 3.8))
    # candidate: reset multiplies (W_hn h + b_hn), then tanh
    _op(ax, 3.6, 1.5, "⊙")
    _arrow(ax, (2.6, mid - 0.3), (3.35, 1.6))
    _box(ax, 6.6, mid, r"$n_t\;\tanh$", cand, width=1.15, height=0.6)
    _arrow(ax, (3.88, 1.5), (6.0, 2.25))
    ax.text(3.4, 1.0, r"$r_t\odot(W_{hn}h_{t-1}+b_{hn})$", fontsize=8)
    _arrow(ax, (6.6, bottom), (6.6, mid - 0.3))
    _arrow(ax, (6.6, mid + 0.3), (6.85, 3.65))
    _arrow(ax, (7.2, 4.12), (7.85, top - 0.25))
    return _frame(ax, title, 10.0, top)
