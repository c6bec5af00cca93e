"""Multiple-choice questions with feedback on every answer.

In JupyterLab, Jupyter Notebook, VS Code and Colab a question is an ipywidget:
click an answer and its feedback appears. Where widgets cannot render (GitHub's
viewer, nbconvert, a kernel-less preview) the same output carries an HTML and a
plain-text version: the question, the choices, and the answer folded away.

Why not ``jupyterquiz``: it renders through JavaScript only, so GitHub's viewer
and nbconvert show nothing, and its output is not comparable text for nbval.

A notebook's questions live in ``data/quizzes/NN.json``, not in the notebook, so
the cell a learner sees, ``quiz("02")``, does not show the answer key. The choices
are stored in the order shown; ``tests/test_quiz.py`` checks that no position holds
more than 40% of the course's correct answers. In code:

    Question(
        "Which output mode is image captioning?",
        [
            Choice("many-to-one", "That reads a sequence and emits one label."),
            Choice("one-to-many", "Right: one image in, a sequence of words out.", correct=True),
        ],
    )

The widget works with ipywidgets 7.7 (Colab) and 8.x (JupyterLab 4, VS Code).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import resources

from helpers.data import data_file

_LETTERS = "ABCDEFGHIJ"
# The plain-text view holds no answers: it is shown unfolded wherever HTML is not rendered.
ANSWERS_HINT = (
    "(Answers: click a choice in Jupyter or Colab for its feedback; in a static HTML view, "
    'unfold "Show the answer" under each question.)'
)
_RIGHT = "#1a7f37"
_WRONG = "#cf222e"


@dataclass(frozen=True)
class Choice:
    """One answer: its text, the feedback shown when it is picked, and whether it is right."""

    text: str
    feedback: str
    correct: bool = False


class Question:
    """A multiple-choice question with exactly one correct choice.

    prompt: the question (Markdown-free plain text, may hold inline HTML code tags);
    choices: two to ten ``Choice`` objects, exactly one with ``correct=True``.
    Raises ``ValueError`` otherwise.
    """

    def __init__(self, prompt: str, choices: list[Choice]):
        if not 2 <= len(choices) <= len(_LETTERS):
            raise ValueError(f"choices must hold 2 to {len(_LETTERS)} answers, got {len(choices)}")
        if sum(choice.correct for choice in choices) != 1:
            raise ValueError("choices must have exactly one correct=True")
        if not all(choice.feedback.strip() for choice in choices):
            raise ValueError("every choice needs feedback that says why it is right or wrong")
        self.prompt = prompt
        self.choices = list(choices)

    @property
    def answer(self) -> int:
        """Index of the correct choice."""
        return next(i for i, choice in enumerate(self.choices) if choice.correct)

    def check(self, index: int) -> tuple[bool, str]:
        """(is it right, feedback) for the choice at ``index``."""
        if not 0 <= index < len(self.choices):
            raise ValueError(f"index must be in 0..{len(self.choices) - 1}, got {index}")
        choice = self.choices[index]
        return choice.correct, choice.feedback

    # ---- the static versions: plain text and HTML ----
    def to_text(self) -> str:
        """The prompt and the choices; no answer (plain text cannot fold it away)."""
        lines = [self.prompt]
        lines += [f"  {_LETTERS[i]}. {c.text}" for i, c in enumerate(self.choices)]
        return "\n".join(lines)

    def to_html(self) -> str:
        items = "".join(f"<li>{html.escape(c.text)}</li>" for c in self.choices)
        why = "".join(
            f"<li><b>{_LETTERS[i]}</b> {'✔' if c.correct else '✘'} {html.escape(c.feedback)}</li>"
            for i, c in enumerate(self.choices)
        )
        return (
            f"<div><p><b>{html.escape(self.prompt)}</b></p>"
            f'<ol type="A">{items}</ol>'
            f"<details><summary>Show the answer</summary><ul>{why}</ul></details></div>"
        )

    # ---- the interactive version ----
    def widget(self):
        """An ipywidgets box: the prompt, one button per choice, and a feedback line."""
        import ipywidgets as widgets

        feedback = widgets.HTML(value="")
        buttons = []
        for index, choice in enumerate(self.choices):
            button = widgets.Button(
                description=f"{_LETTERS[index]}. {choice.text}",
                layout=widgets.Layout(width="auto", min_width="60%"),
                tooltip=choice.text,
            )

            def on_click(_button, index=index):
                right, text = self.check(index)
                colour, mark = (_RIGHT, "Correct.") if right else (_WRONG, "Not quite.")
                feedback.value = (
                    f'<span style="color:{colour}"><b>{mark}</b></span> {html.escape(text)}'
                )

            button.on_click(on_click)
            buttons.append(button)
        prompt = widgets.HTML(value=f"<b>{html.escape(self.prompt)}</b>")
        return widgets.VBox([prompt, *buttons, feedback])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return _mimebundle(self.to_text(), self.to_html(), self.widget)


class Quiz:
    """Several questions shown together, numbered 1, 2, ..."""

    def __init__(self, *questions: Question):
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.questions = [
            Question(f"{number}. {q.prompt}", q.choices) for number, q in enumerate(questions, 1)
        ]

    def to_text(self) -> str:
        return "\n\n".join(q.to_text() for q in self.questions) + "\n\n" + ANSWERS_HINT

    def to_html(self) -> str:
        return "".join(q.to_html() for q in self.questions)

    def widget(self):
        import ipywidgets as widgets

        return widgets.VBox([q.widget() for q in self.questions])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return _mimebundle(self.to_text(), self.to_html(), self.widget)


def _mimebundle(text: str, html_text: str, make_widget) -> dict:
    """Plain text and HTML for static viewers, plus the widget view where ipywidgets exists."""
    bundle = {"text/plain": text, "text/html": html_text}
    try:
        widget = make_widget()
    except ImportError:
        return bundle
    bundle[WIDGET_VIEW] = widget_view(widget)
    return bundle


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_view(widget) -> dict:
    """The widget-view reference a front end renders, for ipywidgets 7 and 8 alike.

    ipywidgets 8 has ``_repr_mimebundle_``; 7.x (Colab) has only ``_ipython_display_``,
    which displays this same dictionary: the widget protocol's version and the model id.
    """
    return {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}


def quiz_names() -> list[str]:
    """The keys ``quiz`` accepts: "00", "01", ... (one file per notebook)."""
    folder = resources.files("helpers.course_data") / "quizzes"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def load_questions(name: str) -> list[Question]:
    """The questions of ``data/quizzes/<name>.json``, choices in the stored order."""
    if name not in quiz_names():
        raise ValueError(f"name must be one of {quiz_names()}, got {name!r}")
    text = data_file(f"quizzes/{name}.json").read_text(encoding="utf-8")
    return [
        Question(
            q["prompt"], [Choice(c["text"], c["feedback"], c["correct"]) for c in q["choices"]]
        )
        for q in json.loads(text)["questions"]
    ]


def quiz(name: str) -> Quiz:
    """The quiz of notebook ``name`` ("02" for 02_recurrent_step.ipynb), ready to display."""
    return Quiz(*load_questions(name))
