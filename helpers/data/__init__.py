"""Data sets the course generates itself (no downloads), and ``data_file``, which finds the
files of the top-level data/ folder (trained weights, quizzes, the course map) in a clone and
in an installed package."""

from importlib import resources
from importlib.resources.abc import Traversable

from helpers.data.course import course_notebooks, course_parts, prerequisite_edges
from helpers.data.dates import (
    EOS,
    FORMAT_NAMES,
    JOINERS,
    PAD,
    SEPARATOR,
    SOS,
    SOURCE_VOCAB,
    TARGET_VOCAB,
    Example,
    Vocab,
    batches,
    date_splits,
    format_date,
    make_examples,
    pad_batch,
    parse_iso,
    sample_date,
    sample_example,
)

__all__ = [
    "course_notebooks",
    "course_parts",
    "data_file",
    "prerequisite_edges",
    "EOS",
    "FORMAT_NAMES",
    "JOINERS",
    "PAD",
    "SEPARATOR",
    "SOS",
    "SOURCE_VOCAB",
    "TARGET_VOCAB",
    "Example",
    "Vocab",
    "batches",
    "date_splits",
    "format_date",
    "make_examples",
    "pad_batch",
    "parse_iso",
    "sample_date",
    "sample_example",
]


def data_file(name: str) -> Traversable:
    """The file ``name`` of data/ ("weights/seq2seq_plain.pt"), for reading (``.open("rb")``,
    ``.read_text()``). data/ is installed as the package ``helpers.course_data`` (pyproject's
    package-dir), so this works in a clone (editable install) and from the wheel alike.
    Raises ValueError, listing what exists, for a name that is not a file there.
    """
    root = resources.files("helpers.course_data")
    parts = [p for p in str(name).split("/") if p]
    target = root.joinpath(*parts) if parts else root
    if not parts or ".." in parts or not target.is_file():
        folder = root.joinpath(*parts[:-1]) if len(parts) > 1 else root
        listed = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        raise ValueError(f"name must be a file of data/ such as one of {listed}, got {name!r}")
    return target
