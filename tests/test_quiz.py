"""helpers.quiz: feedback on every choice; static text and HTML where widgets cannot render."""

import json
from collections import Counter
from pathlib import Path

import pytest

from helpers.quiz import Choice, Question, Quiz, load_questions, quiz, quiz_names, widget_view


def make():
    return Question(
        "2 + 2?",
        [Choice("3", "One short."), Choice("4", "Right.", correct=True), Choice("5", "One over.")],
    )


def test_check_gives_feedback_for_each_choice():
    q = make()
    assert q.answer == 1
    assert q.check(0) == (False, "One short.")
    assert q.check(1) == (True, "Right.")
    with pytest.raises(ValueError, match="index"):
        q.check(3)


@pytest.mark.parametrize(
    "choices, message",
    [
        ([Choice("a", "x", correct=True)], "2 to"),
        ([Choice("a", "x"), Choice("b", "y")], "exactly one"),
        ([Choice("a", "x", correct=True), Choice("b", "x", correct=True)], "exactly one"),
        ([Choice("a", " ", correct=True), Choice("b", "y")], "feedback"),
    ],
)
def test_bad_questions_refused(choices, message):
    with pytest.raises(ValueError, match=message):
        Question("?", choices)


def test_static_fallbacks_hold_question_and_folded_answer():
    bundle = make()._repr_mimebundle_()
    assert "2 + 2?" in bundle["text/plain"] and "B. 4" in bundle["text/plain"]
    assert "answer" not in bundle["text/plain"].lower(), "plain text cannot fold the answer"
    assert "<details>" in bundle["text/html"] and "One over." in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_clicking_a_button_shows_its_feedback():
    box = make().widget()
    feedback = box.children[-1]
    box.children[1].click()  # A: wrong
    assert "Not quite" in feedback.value and "One short." in feedback.value
    box.children[2].click()  # B: right
    assert "Correct" in feedback.value


def test_quiz_numbers_questions():
    quiz = Quiz(make(), make())
    text = quiz._repr_mimebundle_()["text/plain"]
    assert text.startswith("1. 2 + 2?") and "\n\n2. 2 + 2?" in text
    with pytest.raises(ValueError):
        Quiz()


# ---- the course's quizzes: data/quizzes/NN.json, one per notebook ----

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_every_notebook_has_a_quiz_file_and_every_file_a_notebook():
    assert quiz_names() == sorted(p.name[:2] for p in NOTEBOOKS)
    for name in quiz_names():
        assert len(load_questions(name)) >= 2, name


def test_quiz_of_an_unknown_notebook_is_refused():
    with pytest.raises(ValueError, match="name must be one of"):
        quiz("99")


def test_no_visible_cell_holds_an_answer_key():
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            assert "correct=True" not in source and "Choice(" not in source, path.name


def test_no_answer_position_holds_more_than_40_percent():
    positions = Counter(q.answer for name in quiz_names() for q in load_questions(name))
    total = sum(positions.values())
    assert total >= 70
    share = {f"{'ABCDEFGHIJ'[p]}": n / total for p, n in sorted(positions.items())}
    assert max(share.values()) <= 0.40, share


def test_widget_view_needs_only_the_model_id():
    """ipywidgets 7 (Colab) has no _repr_mimebundle_; the view is built from model_id alone."""

    class Widget7:  # what ipywidgets 7.7 offers: a model id and _ipython_display_
        model_id = "abc123"

        def _ipython_display_(self, **kwargs):
            raise AssertionError("not called")

    view = widget_view(Widget7())
    assert view == {"version_major": 2, "version_minor": 0, "model_id": "abc123"}
    box = make().widget()
    assert widget_view(box)["model_id"] == box.model_id


def test_plain_text_quiz_holds_no_answer_and_says_where_they_are():
    from helpers.quiz import ANSWERS_HINT, Quiz

    text = Quiz(make())._repr_mimebundle_()["text/plain"]
    assert "Right." not in text and "One over." not in text
    assert text.endswith(ANSWERS_HINT)
