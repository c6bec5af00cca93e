"""Box-and-arrow diagrams drawn with matplotlib: the course map and the unrolled RNN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from helpers.plots.style import COLORS, subplots


def _box(ax, x: float, y: float, text: str, color: str, width: float = 1.0, height: float = 0.5):
    ax.add_patch(
        _patch(x - width / 2, y - height / 2, width, height, facecolor=color, edgecolor="black")
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=10)


def _patch(x, y, w, h, **kwargs):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.08", **kwargs)


def _arrow(ax, start, end, text: str = "", color: str = "black", rad: float = 0.0):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "-|>", "color": color, "connectionstyle": f"arc3,rad={rad}"},
    )
    if text:
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        if abs(end[0] - start[0]) > abs(end[1] - start[1]):  # horizontal: label above
            ax.text(mx, my + 0.06, text, fontsize=9, color=color, ha="center", va="bottom")
        else:  # vertical: label to the right
            ax.text(mx + 0.06, my, text, fontsize=9, color=color, ha="left", va="center")


def layered_positions(edges: Sequence[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Place each node of a DAG in the column of its longest path from a root.

    edges: (prerequisite, dependent) pairs. Returns name -> (column, row).
    Raises ``ValueError`` on a cycle.
    """
    nodes = sorted({n for edge in edges for n in edge})
    depth = {n: 0 for n in nodes}
    for _ in nodes:  # longest-path relaxation; more rounds than nodes means a cycle
        changed = False
        for a, b in edges:
            if depth[b] < depth[a] + 1:
                depth[b], changed = depth[a] + 1, True
        if not changed:
            break
    else:
        raise ValueError("edges contain a cycle")
    columns: dict[int, list[str]] = {}
    for n in nodes:
        columns.setdefault(depth[n], []).append(n)
    return {
        n: (float(col), -(row - (len(members) - 1) / 2))
        for col, members in columns.items()
        for row, n in enumerate(members)
    }


def dependency_graph(
    edges: Sequence[tuple[str, str]],
    *,
    title: str,
    groups: Mapping[str, str] | None = None,
    ax=None,
):
    """Draw prerequisite arrows between named boxes, laid out left to right; return the axes.

    edges: (prerequisite, dependent) name pairs; groups: optional name -> group
    label, each group drawn in its own colour with a legend.
    """
    positions = layered_positions(edges)
    group_names = sorted(set((groups or {}).values()))
    palette = {g: COLORS[i % len(COLORS)] for i, g in enumerate(group_names)}
    if ax is None:
        columns = max(x for x, _ in positions.values()) + 1
        rows = max(abs(y) for _, y in positions.values()) * 2 + 1
        _, ax = subplots(width=1.7 * columns + 1, height=0.75 * rows + 1.2)
    for a, b in edges:
        (xa, ya), (xb, yb) = positions[a], positions[b]
        _arrow(ax, (xa + 0.42, ya), (xb - 0.42, yb), color="#555555")
    for name, (x, y) in positions.items():
        color = palette.get((groups or {}).get(name, ""), "#dddddd")
        _box(ax, x, y, name, _lighten(color), width=0.84, height=0.42)
    for g in group_names:
        ax.plot([], [], "s", color=_lighten(palette[g]), markeredgecolor="black", label=g)
    if group_names:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=len(group_names))
    ax.set_title(title)
    ax.set_xlim(-0.6, max(x for x, _ in positions.values()) + 0.6)
    ys = [y for _, y in positions.values()]
    ax.set_ylim(min(ys) - 0.5, max(ys) + 0.5)
    ax.axis("off")
    return ax


def _lighten(color: str, amount: float = 0.55) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return tuple(c + (1 - c) * amount for c in to_rgb(color))


def unrolled_rnn(steps: int = 4, *, title: str = "An RNN unrolled in time", ax=None):
    """Draw the folded RNN cell and its unrolling over ``steps`` time steps; return the axes.

    Inputs x_t at the bottom, hidden states h_t in the middle, outputs y_t on
    top; the same W_x, W_h, W_y label every copy because the weights are shared.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if ax is None:
        _, ax = subplots(width=1.6 * steps + 3.2, height=3.4)
    blue, orange, green = (_lighten(c) for c in COLORS[:3])
    # folded view
    _box(ax, 0, 0, "$h$", orange)
    _box(ax, 0, -1.3, "$x_t$", blue)
    _box(ax, 0, 1.3, "$y_t$", green)
    _arrow(ax, (0, -1.05), (0, -0.25), "$W_x$")
    _arrow(ax, (0, 0.25), (0, 1.05), "$W_y$")
    # the recurrent loop: out of h's right side, over the top, back into h
    ax.plot([0.5, 0.85, 0.85, 0.25], [0.0, 0.0, 0.6, 0.6], color="black", lw=1)
    _arrow(ax, (0.25, 0.6), (0.25, 0.25))
    ax.text(0.9, 0.3, "$W_h$", fontsize=9, va="center")
    ax.text(1.45, 0.0, "=", fontsize=18, va="center", ha="center")
    # unrolled view
    first = 3.0
    ax.text(first - 1.2, 0, "$h_0$", fontsize=11, va="center", ha="center")
    for t in range(1, steps + 1):
        x = first + 1.6 * (t - 1)
        _box(ax, x, 0, f"$h_{t}$", orange)
        _box(ax, x, -1.3, f"$x_{t}$", blue)
        _box(ax, x, 1.3, f"$y_{t}$", green)
        _arrow(ax, (x, -1.05), (x, -0.25), "$W_x$")
        _arrow(ax, (x, 0.25), (x, 1.05), "$W_y$")
        _arrow(ax, (x - (0.95 if t == 1 else 1.1), 0), (x - 0.5, 0), "$W_h$")
    ax.set_xlim(-0.7, first + 1.6 * (steps - 1) + 0.7)
    ax.set_ylim(-1.7, 1.7)
    ax.set_title(title)
    ax.axis("off")
    return ax
