"""The encoder-decoder models of notebooks 13 and 14, in PyTorch, with their training loop.

The NumPy ``attention`` of notebook 14 (``helpers.layers.attention``) is the teaching code;
this module holds the trainable models the two notebooks share, so neither pastes them:

- ``Encoder``: embedding + bidirectional GRU over the padded source; returns every state
  (N, S, 2H) and an initial decoder state (N, H) made from the two final states.
- ``Decoder``: embedding + GRU cell, one step at a time; with ``attention=True`` it adds
  Luong's "general" attention, score(s_t, h_j) = s_t . (W h_j), reads out from
  a_t = tanh(W_c [s_t; c_t]) and feeds a_t into the next step ("input feeding").
- ``Seq2Seq``: both, with teacher-forced ``forward`` and step-by-step ``greedy`` decoding.
- ``train_seq2seq``, ``exact_match``, ``translate``: training and evaluation on
  ``helpers.data`` examples.
- ``train_recipe``: the two-stage recipe of notebooks 13 and 14 (single dates, then one or
  two dates per input); ``load_pretrained`` and ``pretrained_losses`` read the models that
  ``make weights`` trained with it and ships in ``data/weights/``.
- ``train_longer``: the plain model trained on past the recipe (notebook 13 asks whether
  more training closes its gap on two dates); ``load_pretrained_longer`` reads the shipped one.

Letters: N batch, S source steps, T target steps, E embedding, H hidden units, V vocabulary.
All modules are float32 whatever torch's default dtype is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from helpers.data import data_file
from helpers.data.dates import (
    SOURCE_VOCAB,
    TARGET_VOCAB,
    Example,
    batches,
    date_splits,
    pad_batch,
)
from helpers.torch_utils import seed_everything

DTYPE = torch.float32
# The recipe shared by notebooks 13 and 14 and by `make weights` (see ``train_recipe``).
SINGLE_STEPS, MULTI_STEPS, MAX_DATES = 120, 150, 2
WEIGHT_FILES = {False: "seq2seq_plain.pt", True: "seq2seq_attention.pt"}
LOSS_FILE = "seq2seq_losses.json"
# Notebook 13's longer run of the plain model: LONGER_STEPS more updates on 1-2 dates.
LONGER_STEPS, LONGER_LR = 1800, 3e-3
LONGER_FILE, LONGER_LOSS_FILE = "seq2seq_plain_longer.pt", "seq2seq_plain_longer_losses.json"


class Encoder(nn.Module):
    """Embedding + bidirectional GRU. forward(src (N, S), src_len (N,)) -> (states, h0).

    states (N, S, 2H): forward and backward state at each source position (zeros at padding);
    h0 (N, H): tanh(W_b [h_fwd_last; h_bwd_first] + b_b), the decoder's first state.
    The batch is packed, so neither direction ever reads the padding.
    """

    def __init__(self, vocab_size: int, embed: int = 32, hidden: int = 64):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=0, dtype=DTYPE)
        self.rnn = nn.GRU(embed, hidden, batch_first=True, bidirectional=True, dtype=DTYPE)
        self.bridge = nn.Linear(2 * hidden, hidden, dtype=DTYPE)

    def forward(self, src: torch.Tensor, src_len: torch.Tensor):
        packed = pack_padded_sequence(
            self.embed(src), src_len.cpu(), batch_first=True, enforce_sorted=False
        )
        out, h_n = self.rnn(packed)  # h_n (2, N, H): last forward state, last backward state
        states, _ = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        h0 = torch.tanh(self.bridge(torch.cat([h_n[0], h_n[1]], dim=-1)))
        return states, h0


class Decoder(nn.Module):
    """Embedding + GRU cell + readout, one step at a time, with optional attention.

    Without attention (Cho et al.'s decoder): s_t = GRU([e(y_{t-1}); s_0], s_{t-1}),
    logits_t = W_o s_t + b_o; the source reaches the decoder only through the one vector s_0,
    given at the start and again at every step (the bottleneck).
    With attention (Luong's "general" score, with input feeding):
        s_t = GRU([e(y_{t-1}); a_{t-1}], s_{t-1})             decoder state (N, H)
        alpha_t = softmax_j(s_t . (W h_j)), masked at padding     weights (N, S)
        c_t = sum_j alpha_tj h_j                                  context (N, 2H)
        a_t = tanh(W_c [s_t; c_t] + b_c)                          attentional state (N, H)
        logits_t = W_o a_t + b_o
    """

    def __init__(self, vocab_size: int, embed: int = 32, hidden: int = 64, attention: bool = True):
        super().__init__()
        self.attention = attention
        self.hidden = hidden
        self.embed = nn.Embedding(vocab_size, embed, padding_idx=0, dtype=DTYPE)
        self.cell = nn.GRUCell(embed + hidden, hidden, dtype=DTYPE)
        if attention:
            # W of the score s . (W h): shape (H, 2H) = (d_q, d_k)
            self.W = nn.Linear(2 * hidden, hidden, bias=False, dtype=DTYPE)
            self.combine = nn.Linear(hidden + 2 * hidden, hidden, dtype=DTYPE)
        self.out = nn.Linear(hidden, vocab_size, dtype=DTYPE)

    def start(self, h0):
        """The state before the first step: (s_0, a_0), a_0 = 0 with attention, else s_0."""
        return h0, (torch.zeros_like(h0) if self.attention else h0)

    def step(self, y_prev, state, states, keys, src_mask, use_mask: bool = True):
        """One step. y_prev (N,) ids; state (s, a); states (N, S, 2H); keys (N, S, H) = W h_j.

        Returns logits (N, V), the new state and the weights (N, S) (None without attention).
        """
        s, a = state
        s = self.cell(torch.cat([self.embed(y_prev), a], dim=-1), s)
        if not self.attention:
            return self.out(s), (s, a), None  # a stays s_0: the fixed summary
        scores = (keys @ s[:, :, None])[:, :, 0]  # (N, S): s_t . (W h_j)
        if use_mask:
            scores = scores.masked_fill(~src_mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)  # alpha_tj, each row sums to 1
        context = (weights[:, None, :] @ states)[:, 0]  # (N, 2H): c_t = sum_j alpha_tj h_j
        a = torch.tanh(self.combine(torch.cat([s, context], dim=-1)))
        return self.out(a), (s, a), weights

    def forward(self, y_in, h0, states, src_mask, use_mask: bool = True):
        """Teacher forcing over y_in (N, T). Returns logits (N, T, V), weights (N, T, S) or None."""
        keys = self.W(states) if self.attention else None
        state = self.start(h0)
        logits, weights = [], []
        for t in range(y_in.shape[1]):
            out, state, w = self.step(y_in[:, t], state, states, keys, src_mask, use_mask)
            logits.append(out)
            weights.append(w)
        stacked = torch.stack(weights, 1) if self.attention else None
        return torch.stack(logits, 1), stacked


class Seq2Seq(nn.Module):
    """Encoder + decoder for ``helpers.data`` dates (SOURCE_VOCAB -> TARGET_VOCAB)."""

    def __init__(self, attention: bool, embed: int = 32, hidden: int = 64):
        super().__init__()
        self.encoder = Encoder(len(SOURCE_VOCAB), embed, hidden)
        self.decoder = Decoder(len(TARGET_VOCAB), embed, hidden, attention)

    def forward(self, src, src_len, y_in, use_mask: bool = True):
        """Teacher forcing: y_in (N, T) = <sos> + target[:-1]. Returns logits (N, T, V), weights."""
        states, h0 = self.encoder(src, src_len)
        mask = src != SOURCE_VOCAB.pad
        return self.decoder(y_in, h0, states, mask, use_mask)

    @torch.no_grad()
    def greedy(self, src, src_len, max_len: int = 40, use_mask: bool = True):
        """Free running: feed back the argmax one step at a time.

        Returns ids (N, T) int64 (ending with <eos> or cut at max_len), the softmax
        probabilities (N, T, V) of every step, and attention weights (N, T, S) or None.
        """
        states, h0 = self.encoder(src, src_len)
        mask = src != SOURCE_VOCAB.pad
        keys = self.decoder.W(states) if self.decoder.attention else None
        state = self.decoder.start(h0)
        token = torch.full((src.shape[0],), TARGET_VOCAB.sos, dtype=torch.long)
        ids, probs, weights = [], [], []
        done = torch.zeros(src.shape[0], dtype=torch.bool)
        for _ in range(max_len):
            logits, state, w = self.decoder.step(token, state, states, keys, mask, use_mask)
            p = torch.softmax(logits, dim=-1)  # (N, V): the distribution of this step
            token = p.argmax(dim=-1)  # greedy: the most likely symbol, fed back next step
            ids.append(token)
            probs.append(p)
            if w is not None:
                weights.append(w)
            done |= token == TARGET_VOCAB.eos
            if bool(done.all()):
                break
        stacked = torch.stack(weights, 1) if weights else None
        return torch.stack(ids, 1), torch.stack(probs, 1), stacked


def _tensors(batch: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """src, src_len, decoder input (<sos> + target[:-1]) and target, as torch tensors."""
    tgt = torch.from_numpy(batch["tgt"])
    y_in = torch.cat([torch.full_like(tgt[:, :1], TARGET_VOCAB.sos), tgt[:, :-1]], dim=1)
    return torch.from_numpy(batch["src"]), torch.from_numpy(batch["src_len"]), y_in, tgt


def train_seq2seq(
    model: Seq2Seq,
    examples: Sequence[Example],
    *,
    epochs: int = 1,
    steps: int | None = None,
    batch_size: int = 128,
    lr: float = 1e-2,
    clip: float = 1.0,
    seed: int = 0,
    optimizer: torch.optim.Optimizer | None = None,
    progress: bool = True,
    desc: str = "training",
) -> list[float]:
    """Adam with teacher forcing and gradient clipping; returns the loss of every step.

    Runs ``steps`` updates if given (cycling through the data), else ``epochs`` passes.
    Cross-entropy over target positions, padding ignored. Batches are reshuffled each epoch
    with seed + epoch, so a run is reproducible given torch's seed and thread count.
    Pass ``optimizer`` to continue training with its state (then ``lr`` is not used).
    """
    from helpers.progress import tqdm

    per_epoch = (len(examples) + batch_size - 1) // batch_size
    if steps is None:
        steps = epochs * per_epoch
    if steps < 1 or batch_size < 1 or not examples:
        raise ValueError(
            f"need steps >= 1, batch_size >= 1 and examples, got {steps}, {batch_size}, "
            f"{len(examples)} examples"
        )
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses: list[float] = []
    model.train()
    with tqdm(total=steps, desc=desc, disable=not progress) as bar:
        epoch = 0
        while len(losses) < steps:
            for batch in batches(examples, batch_size, shuffle_seed=seed + epoch):
                src, src_len, y_in, tgt = _tensors(batch)
                logits, _ = model(src, src_len, y_in)
                loss = nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]),
                    tgt.reshape(-1),
                    ignore_index=TARGET_VOCAB.pad,
                )
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), clip)
                optimizer.step()
                losses.append(loss.item())
                bar.update()
                if len(losses) == steps:
                    break
            epoch += 1
    model.eval()
    return losses


def translate(
    model: Seq2Seq,
    texts: Sequence[str],
    max_len: int = 40,
    use_mask: bool = True,
):
    """Greedy translations of ``texts``: (strings, ids (N, T), weights (N, T, S) or None)."""
    src, src_len = pad_batch(list(texts), SOURCE_VOCAB)
    ids, _, weights = model.greedy(
        torch.from_numpy(src), torch.from_numpy(src_len), max_len, use_mask
    )
    return [TARGET_VOCAB.decode(row) for row in ids.tolist()], ids, weights


def exact_match(
    model: Seq2Seq, examples: Sequence[Example], batch_size: int = 500, max_len: int = 40
) -> tuple[float, list[str]]:
    """Fraction of examples whose greedy output equals the target exactly; and the outputs."""
    if not examples:
        raise ValueError("examples is empty")
    outputs: list[str] = []
    for batch in batches(examples, batch_size):
        ids, _, _ = model.greedy(
            torch.from_numpy(batch["src"]), torch.from_numpy(batch["src_len"]), max_len
        )
        outputs += [TARGET_VOCAB.decode(row) for row in ids.tolist()]
    right = np.mean([out == ex.target for out, ex in zip(outputs, examples, strict=True)])
    return float(right), outputs


def train_recipe(attention: bool, progress: bool = True) -> tuple[Seq2Seq, list[float]]:
    """Train a ``Seq2Seq`` exactly as notebooks 13 and 14 do; return it and every step's loss.

    Seed 0, Adam (lr 1e-2) kept across both stages: ``SINGLE_STEPS`` updates on
    ``date_splits(20_000, 0, 1000, seed=0)["train"]`` (single dates), then ``MULTI_STEPS`` on
    ``date_splits(20_000, 0, 0, seed=10, max_dates=MAX_DATES)["train"]`` (one or two dates).
    Deterministic on one machine for a fixed torch thread count (the notebooks and
    ``make weights`` use 1); another CPU or torch build gives other bits, as good a model.
    """
    single = date_splits(20_000, 0, 1000, seed=0)["train"]
    multi = date_splits(20_000, 0, 0, seed=10, max_dates=MAX_DATES)["train"]
    name = "attention" if attention else "plain"
    seed_everything(0)  # the initial weights, as in the notebooks
    model = Seq2Seq(attention=attention)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = train_seq2seq(
        model,
        single,
        steps=SINGLE_STEPS,
        optimizer=optimizer,
        seed=0,
        progress=progress,
        desc=f"{name}, single dates",
    )
    losses += train_seq2seq(
        model,
        multi,
        steps=MULTI_STEPS,
        optimizer=optimizer,
        seed=0,
        progress=progress,
        desc=f"{name}, 1-2 dates",
    )
    return model, losses


def train_longer(model: Seq2Seq, progress: bool = True) -> list[float]:
    """Train a recipe-trained plain ``model`` on, in place; return every update's loss.

    ``LONGER_STEPS`` more updates on the recipe's one-or-two-date training set
    (``date_splits(20_000, 0, 0, seed=10, max_dates=MAX_DATES)["train"]``), batches of 128,
    with a fresh Adam at ``LONGER_LR`` and data order seed 1. Seeds as ``train_recipe``.
    """
    multi = date_splits(20_000, 0, 0, seed=10, max_dates=MAX_DATES)["train"]
    seed_everything(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=LONGER_LR)
    return train_seq2seq(
        model,
        multi,
        steps=LONGER_STEPS,
        optimizer=optimizer,
        seed=1,
        progress=progress,
        desc="plain, longer",
    )


def load_pretrained(attention: bool) -> Seq2Seq:
    """The multi-date model trained by ``make weights`` with ``train_recipe`` (eval mode)."""
    model = Seq2Seq(attention=attention)
    with data_file(f"weights/{WEIGHT_FILES[attention]}").open("rb") as f:
        model.load_state_dict(torch.load(f, weights_only=True))
    return model.eval()


def load_pretrained_longer() -> Seq2Seq:
    """The shipped plain model after ``train_longer`` (``make weights``; eval mode)."""
    model = Seq2Seq(attention=False)
    with data_file(f"weights/{LONGER_FILE}").open("rb") as f:
        model.load_state_dict(torch.load(f, weights_only=True))
    return model.eval()


def pretrained_losses(attention: bool) -> list[float]:
    """Per-step training losses (both stages) of the model ``load_pretrained`` returns."""
    text = data_file(f"weights/{LOSS_FILE}").read_text()
    return json.loads(text)["attention" if attention else "plain"]
