"""Progress bars that a learner sees and that stay out of committed outputs.

``tqdm`` here is ``tqdm.auto.tqdm`` (a widget in Jupyter, text in a terminal), except that
``TQDM_DISABLE=1`` turns it off; ``tools/execute.py`` and the tests set it, so no stale "0%"
bar is committed or compared. tqdm itself reads that variable for its text bars only:
``tqdm.notebook`` passes ``disable`` explicitly and so ignores it.
"""

from __future__ import annotations

import os


def progress_disabled() -> bool:
    """True when the environment variable TQDM_DISABLE is set to 1, true or yes."""
    return os.environ.get("TQDM_DISABLE", "").strip().lower() in {"1", "true", "yes"}


def tqdm(*args, **kwargs):
    """``tqdm.auto.tqdm(*args, **kwargs)``, with ``disable=True`` under ``TQDM_DISABLE``."""
    from tqdm.auto import tqdm as auto

    if progress_disabled():
        kwargs["disable"] = True
    return auto(*args, **kwargs)
