"""Running the course in Google Colab.

This module is the one place that holds the repository's address. The first
code cell of every notebook (``INSTALL_CELL``) installs the package from it
when, and only when, the notebook runs in Colab; the README's badges link to
it. ``tests/test_colab.py`` checks that every notebook and badge agrees with
this file, so moving the repository means editing two constants here and
running ``python tools/sync_colab.py``.
"""

from __future__ import annotations

import sys

REPOSITORY = "rnn-attention-course/rnn-attention-course"
BRANCH = "main"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
PACKAGE = "rnn-attention-course"

INSTALL_CELL = f"""\
# In Colab, install the course package; anywhere else this cell does nothing.
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "{PACKAGE} @ git+{REPOSITORY_URL}@{BRANCH}\""""


def in_colab() -> bool:
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def badge_markdown(notebook: str) -> str:
    """The "Open in Colab" badge for ``notebooks/<notebook>`` as Markdown."""
    url = (
        f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook}"
    )
    return f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})"


def enable_widgets() -> None:
    """Turn on Colab's widget manager for ipywidgets; does nothing elsewhere."""
    if in_colab():
        from google.colab import output  # only importable in Colab

        output.enable_custom_widget_manager()
