"""One source of randomness: every seed of the course is shifted by ``COURSE_SEED``.

``COURSE_SEED=3 make robust`` (or any command) runs the course with other data and initial
weights; the committed outputs are those of ``COURSE_SEED=0``, the default.
``helpers.torch_utils.seed_everything`` seeds Python, NumPy and torch through this module;
``course_rng`` gives a generator of its own. NumPy only, so data modules can use it.
"""

from __future__ import annotations

import os

import numpy as np


def course_seed() -> int:
    """The shift ``COURSE_SEED`` (environment variable, default 0) adds to every seed.

    Raises ``ValueError`` unless it is an integer >= 0.
    """
    text = os.environ.get("COURSE_SEED", "0").strip() or "0"
    if not text.isdigit():
        raise ValueError(f"COURSE_SEED must be an integer >= 0, got {text!r}")
    return int(text)


def course_rng(seed: int) -> np.random.Generator:
    """A NumPy generator of its own for ``seed + COURSE_SEED``; nothing global is reseeded."""
    return np.random.default_rng(seed + course_seed())
