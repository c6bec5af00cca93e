"""How a figure reaches the notebook: a pixel-doubled PNG (sharp on HiDPI screens) whose
output metadata carries alt text, written from the figure's own titles, axis labels and
legend, so the course website can say what every picture shows."""

from __future__ import annotations

import re

from matplotlib.figure import Figure

_MATH_COMMAND = re.compile(r"\\([A-Za-z]+|[^A-Za-z])")


def _plain(text: str) -> str:
    """Mathtext made readable: ``$\\alpha_t$`` -> ``alpha_t``."""
    text = _MATH_COMMAND.sub(r"\1", text.replace("$", ""))
    return " ".join(text.replace("{", "").replace("}", "").split())


def _describe_axes(ax) -> str:
    title = _plain(" ".join(t for t in (ax.get_title("left"), ax.get_title()) if t))
    xlabel, ylabel = _plain(ax.get_xlabel()), _plain(ax.get_ylabel())
    words = [f"'{title}'"] if title else []
    if getattr(ax, "_colorbar", None) is not None:
        kind = "colour scale "
    elif ax.images:
        kind = "heat map of "
    else:
        kind = ""
    if xlabel and ylabel:
        words.append(f"{kind}{ylabel} against {xlabel}")
    elif xlabel or ylabel:
        words.append(kind + (xlabel or ylabel))
    legend = ax.get_legend()
    if legend is not None:
        entries = [_plain(t.get_text()) for t in legend.get_texts() if t.get_text()]
        if entries:
            words.append("legend: " + ", ".join(entries))
    return ": ".join(words[:2]) + ("; " + "; ".join(words[2:]) if words[2:] else "")


def describe_figure(fig: Figure) -> str:
    """One sentence for a screen reader: the suptitle, then each panel's title, what is
    plotted against what, and the legend entries. Panels with no text (a colour bar with no
    label, say) are left out."""
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    panels = [text for text in map(_describe_axes, fig.axes) if text]
    suptitle = _plain(fig._suptitle.get_text()) if fig._suptitle is not None else ""
    head = f"Figure: {suptitle}." if suptitle else "Figure."
    if len(panels) == 1:
        return f"{head} {panels[0]}."
    listed = " ".join(f"Panel {k}: {text}." for k, text in enumerate(panels, start=1))
    return f"{head} {listed}".strip()


def figure_png(fig: Figure):
    """``(base64 PNG, metadata)`` for IPython's PNG formatter: twice the figure's dpi, shown at
    its nominal size (``width``/``height``), with ``alt`` from :func:`describe_figure`; ``None``
    for an empty figure, as IPython's own formatter does."""
    from IPython.core.pylabtools import retina_figure

    shown = retina_figure(fig, base64=True, bbox_inches="tight")
    if shown is None:
        return None
    data, metadata = shown
    return data, {**metadata, "alt": describe_figure(fig)}


def use_figure_display() -> None:
    """In an IPython kernel with the inline backend, show every figure through
    :func:`figure_png`; elsewhere (a script, a test) do nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    import matplotlib

    if "inline" not in matplotlib.get_backend():
        return
    # Importing the inline backend registers its own formatters once; ours must come after.
    import matplotlib_inline.backend_inline  # noqa: F401

    formatters = shell.display_formatter.formatters
    formatters["image/png"].for_type(Figure, figure_png)
