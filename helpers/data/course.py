"""The course's own map (data/course.json): the notebooks in order, the part each belongs to
and the notebooks each builds on directly. Notebook 00 draws it; the website's front page
(tools/build_site.py) lists it."""

from __future__ import annotations

import json
from functools import cache


@cache
def course_notebooks() -> tuple[dict, ...]:
    """One dict per notebook, in course order: ``number`` ("06"), ``file``, ``label`` (its
    name in the graph, "06 LSTM"), ``part`` and ``needs`` (numbers of direct prerequisites)."""
    from helpers.data import data_file

    notebooks = json.loads(data_file("course.json").read_text(encoding="utf-8"))["notebooks"]
    numbers = {n["number"] for n in notebooks}
    for n in notebooks:
        unknown = set(n["needs"]) - numbers
        if unknown:
            raise ValueError(f"notebook {n['number']} needs unknown notebooks {sorted(unknown)}")
    return tuple(notebooks)


def course_parts() -> dict[str, str]:
    """Graph label -> part of the course ("06 LSTM" -> "memory and gates"), in course order."""
    return {n["label"]: n["part"] for n in course_notebooks()}


def prerequisite_edges() -> list[tuple[str, str]]:
    """(prerequisite, dependent) pairs of graph labels: an arrow A -> B means B uses what A
    teaches."""
    label = {n["number"]: n["label"] for n in course_notebooks()}
    return [(label[need], n["label"]) for n in course_notebooks() for need in n["needs"]]
