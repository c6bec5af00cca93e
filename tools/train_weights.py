"""Train the multi-date models of notebooks 13 and 14 and ship them (``make weights``).

    python tools/train_weights.py [--out data/weights]

Runs ``helpers.seq2seq.train_recipe`` (single dates, then one or two dates per input; seed 0,
one torch thread) for the plain and the attention encoder-decoder, and writes their float32
state_dicts (``seq2seq_plain.pt``, ``seq2seq_attention.pt``) and the per-step training losses
(``seq2seq_losses.json``) into data/weights/ (installed as ``helpers.course_data``), where
``helpers.seq2seq.load_pretrained`` and ``pretrained_losses`` read them. Then it trains the
plain model on with ``helpers.seq2seq.train_longer`` (notebook 13's longer run) and writes
``seq2seq_plain_longer.pt`` and its losses (``seq2seq_plain_longer_losses.json``), read by
``load_pretrained_longer``. tests/test_weights.py retrains and checks that the result is as
good (not bit-equal: another CPU trains other bits); after retraining the shipped files,
update its ``SHIPPED_LOSS`` and ``LONGER_LOSS`` (the shipped models' loss on a fixed set);
``make weights`` then rewrites data/MANIFEST.json (``tools/data_manifest.py``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from helpers.seq2seq import (
    LONGER_FILE,
    LONGER_LOSS_FILE,
    LONGER_LR,
    LONGER_STEPS,
    LOSS_FILE,
    MAX_DATES,
    MULTI_STEPS,
    SINGLE_STEPS,
    WEIGHT_FILES,
    train_longer,
    train_recipe,
)

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "weights")
    args = parser.parse_args()
    torch.set_num_threads(1)  # as in the notebooks: the same numbers on every run, on one machine
    args.out.mkdir(parents=True, exist_ok=True)
    losses, models = {}, {}
    for attention in (False, True):
        model, step_losses = train_recipe(attention)
        models[attention] = model
        state = {k: v.to(torch.float32) for k, v in model.state_dict().items()}  # float32 already
        path = args.out / WEIGHT_FILES[attention]
        torch.save(state, path)
        losses["attention" if attention else "plain"] = step_losses
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    recipe = {"single_steps": SINGLE_STEPS, "multi_steps": MULTI_STEPS, "max_dates": MAX_DATES}
    (args.out / LOSS_FILE).write_text(json.dumps({"recipe": recipe, **losses}) + "\n")
    print(f"wrote {args.out / LOSS_FILE}")
    longer = models[False]  # the plain model, trained on past the recipe
    longer_losses = train_longer(longer)
    state = {k: v.to(torch.float32) for k, v in longer.state_dict().items()}
    torch.save(state, args.out / LONGER_FILE)
    record = {"steps": LONGER_STEPS, "lr": LONGER_LR, "plain_longer": longer_losses}
    (args.out / LONGER_LOSS_FILE).write_text(json.dumps(record) + "\n")
    print(f"wrote {args.out / LONGER_FILE} and {args.out / LONGER_LOSS_FILE}")


if __name__ == "__main__":
    main()
