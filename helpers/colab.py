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
from importlib.metadata import PackageNotFoundError, version

REPOSITORY = "rnn-attention-course/rnn-attention-course"
BRANCH = "main"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
PACKAGE = "rnn-attention-course"

# Colab's own packages that the install must leave as they are.
KEPT = ("numpy", "torch", "ipywidgets")

INSTALL_CELL = f"""\
# In Colab, install the course package (Colab's numpy, torch and ipywidgets are kept);
# anywhere else this cell does nothing.
import sys

if "google.colab" in sys.modules:
    from importlib.metadata import version

    before = {{name: version(name) for name in ({", ".join(f'"{n}"' for n in KEPT)})}}
    %pip install --quiet "{PACKAGE} @ git+{REPOSITORY_URL}@{BRANCH}"
    from helpers.colab import report_install

    report_install(before)"""


def installed_versions(names=KEPT) -> dict[str, str | None]:
    """{distribution: installed version, or None when it is not installed}."""
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def report_install(before: dict[str, str | None]) -> dict[str, str | None]:
    """Print what the install cell did: the course's version, and Colab's packages kept
    (or, should pip have changed one, which, and that the runtime must be restarted).

    before: {distribution: version} read before ``pip install``. Returns the versions now.
    """
    now = installed_versions(before)
    print(f"installed {PACKAGE} {version(PACKAGE)} from {REPOSITORY_URL}@{BRANCH}")
    kept = [f"{n} {v}" for n, v in now.items() if before[n] == v]
    changed = [f"{n} {before[n]} -> {v}" for n, v in now.items() if before[n] != v]
    if kept:
        print("kept Colab's own " + ", ".join(kept))
    if changed:
        print("changed " + ", ".join(changed) + ": restart the runtime (Runtime > Restart)")
    return now


def in_colab() -> bool:
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def colab_url(notebook: str, folder: str = "notebooks") -> str:
    """The address that opens ``<folder>/<notebook>`` of the repository in Colab."""
    return (
        f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{folder}/{notebook}"
    )


def badge_markdown(notebook: str, folder: str = "notebooks") -> str:
    """The "Open in Colab" badge for ``<folder>/<notebook>`` as Markdown."""
    badge = "https://colab.research.google.com/assets/colab-badge.svg"
    return f"[![Open In Colab]({badge})]({colab_url(notebook, folder)})"


def enable_widgets() -> None:
    """Turn on Colab's widget manager for ipywidgets; does nothing elsewhere."""
    if in_colab():
        from google.colab import output  # only importable in Colab

        output.enable_custom_widget_manager()
