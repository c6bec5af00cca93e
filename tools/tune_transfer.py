"""Choose steps and learning rate per method for notebook 17's transfer comparison.

Notebook 17 (section 5) learns the digits 5 to 9 from k labelled images per class in three
ways: a ConvNet from scratch, a linear head on the frozen features of a source network
trained on 0 to 4, and that network fine-tuned. This script picks, for each method, the
number of full-batch Adam steps and the learning rate on a validation split, never on the
test set:

1. It runs the notebook's code cells (not the first, the Colab install) up to and including
   the one that defines ``learn_from_few``, so the data, the source network and the training
   code are the notebook's own. Its output is not shown.
2. It splits the target training images (the training set's 5 to 9, moved by up to 1 pixel
   as in the notebook) with ``stratified_split``: two thirds form the pool the k images per
   class are drawn from, one third the validation set. The test set is not touched.
3. For every k in K_VALUES and 10 draws, it trains each method at each learning rate in LRS
   for up to the largest step count in STEPS, and records the validation accuracy after each
   step count in STEPS. Fine-tuning starts from the frozen-features network, so it is tuned
   second, from the frozen recipe just chosen.
4. For each method it keeps the fewest steps (then the best learning rate) whose validation
   accuracy, averaged over k and draws, is within TOLERANCE of the best in the grid: more
   steps that do not help on validation only cost time in the notebook.

It prints the validation table per method and the chosen recipe as a ``RECIPE`` line. The
notebook's ``RECIPE`` holds the first two methods (from scratch, frozen features); the
fine-tuning recipe is used in its exercise 5. Last run: ``RECIPE = {"from scratch": (150,
0.03), "frozen features": (200, 0.01), "fine-tuned": (80, 0.003)}``.

Not run by the tests (several minutes on 2 cores); run it again after changing
the notebook's data, networks or training code in sections 1 to 5, with COURSE_SEED unset:

    .venv/bin/python tools/tune_transfer.py
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import matplotlib
import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "17_cnns_in_practice.ipynb"
K_VALUES = [1, 2, 5, 20]  # as K_TRANSFER in the notebook
DRAWS = 10
METHODS = ["from scratch", "frozen features", "fine-tuned"]
STEPS = {
    "from scratch": [20, 40, 60, 80, 100, 150, 200, 300],
    "frozen features": [25, 50, 100, 150, 200, 300, 400],
    "fine-tuned": [10, 20, 40, 60, 80, 100],
}
LRS = {
    "from scratch": [0.003, 0.01, 0.03, 0.1],
    "frozen features": [0.01, 0.03, 0.1, 0.3],
    "fine-tuned": [0.0003, 0.001, 0.003, 0.01],
}
TOLERANCE = 0.005  # half a point of validation accuracy
os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bars from the notebook's training


def notebook_namespace() -> dict:
    """The globals of notebook 17 after its code cells up to the definition of learn_from_few."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.show = lambda *args, **kwargs: plt.close("all")
    os.chdir(NOTEBOOK.parent)
    sys.path.insert(0, str(ROOT))
    namespace: dict = {"__name__": "notebook17"}
    cells = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    for cell in cells[1:]:  # cells[0]: the Colab install
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(cell.source, str(NOTEBOOK), "exec"), namespace)
        if "def learn_from_few" in cell.source:
            return namespace
    raise RuntimeError(f"no cell of {NOTEBOOK} defines learn_from_few")


def validation_accuracies(nb: dict, recipe: dict, tuned: list[str], pool, val) -> dict:
    """(method, lr, steps) -> validation accuracies over every k and draw, for the methods in
    tuned, trained with recipe[method] = (largest steps, lr)."""
    found: dict = {}

    def on_step(method, networks, step):
        if method in tuned and step in STEPS[method]:
            x = val["features"][4] if method == "frozen features" else val["x"]
            found.setdefault((method, recipe[method][1], step), []).extend(
                networks.accuracy(x, val["y"])
            )

    for k in K_VALUES:
        nb["learn_from_few"](
            k, pool, val, nb["source"][0], nb["source_scale"], recipe, DRAWS, on_step=on_step
        )
    return found


def choose(method: str, found: dict) -> tuple[int, float]:
    """Print the validation table of method; return its (steps, lr)."""
    table = {key[1:]: float(np.mean(v)) for key, v in found.items() if key[0] == method}
    print(f"\n{method}: validation accuracy, mean over k = {K_VALUES} and {DRAWS} draws")
    print(f"{'steps':>10}" + "".join(f"{s:>7}" for s in STEPS[method]))
    for lr in LRS[method]:
        print(f"lr {lr:<7}" + "".join(f"{100 * table[lr, s]:7.1f}" for s in STEPS[method]))
    best = max(table.values())
    steps, _, lr = min((s, -a, lr) for (lr, s), a in table.items() if a >= best - TOLERANCE)
    print(
        f"chosen: {steps} steps at lr {lr} ({100 * table[lr, steps]:.1f} %; "
        f"best in the grid {100 * best:.1f} %)"
    )
    return steps, lr


def main() -> int:
    nb = notebook_namespace()
    x_target, y_target = nb["x_target"], nb["y_target"]
    fit, held = nb["stratified_split"](y_target, test_fraction=1 / 3, seed=1)
    features, scale = nb["source"][0], nb["source_scale"]
    pool = nb["with_source_features"](x_target[fit], y_target[fit], features, scale)
    val = nb["with_source_features"](x_target[held], y_target[held], features, scale)
    print(f"target training images: {len(fit)} to draw from, {len(held)} for validation")
    nb["torch"].set_num_threads(2)

    found: dict = {}
    for scratch_lr, frozen_lr in zip(LRS["from scratch"], LRS["frozen features"], strict=True):
        recipe = {
            "from scratch": (max(STEPS["from scratch"]), scratch_lr),
            "frozen features": (max(STEPS["frozen features"]), frozen_lr),
            "fine-tuned": (0, 0.0),
        }
        found |= validation_accuracies(nb, recipe, ["from scratch", "frozen features"], pool, val)
    chosen = {m: choose(m, found) for m in ["from scratch", "frozen features"]}
    for lr in LRS["fine-tuned"]:
        recipe = {
            "from scratch": (0, 0.0),
            "frozen features": chosen["frozen features"],
            "fine-tuned": (max(STEPS["fine-tuned"]), lr),
        }
        found |= validation_accuracies(nb, recipe, ["fine-tuned"], pool, val)
    chosen["fine-tuned"] = choose("fine-tuned", found)
    print("\nRECIPE = {" + ", ".join(f'"{m}": {chosen[m]}' for m in METHODS) + "}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
