"""helpers.quiz: feedback on every choice; static text and HTML where widgets cannot render."""

import pytest

from helpers.quiz import Choice, Question, Quiz


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
    assert "2 + 2?" in bundle["text/plain"] and "answer: B" in bundle["text/plain"]
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
