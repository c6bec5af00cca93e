"""Move weights between ``torch.nn`` recurrent modules and our NumPy arguments.

Our layers use PyTorch's layout (``W`` of shape (out, in), gate order LSTM
i, f, g, o and GRU r, z, n), so no transposes are needed. Only the biases
differ: ``nn.RNN`` and ``nn.LSTM`` keep two bias vectors that always appear as
a sum, ``b = b_ih + b_hh``; the GRU keeps both, because its reset gate
multiplies ``W_hn h + b_hn`` only.
"""

from __future__ import annotations

import random

import numpy as np
import torch

from helpers.seeding import course_rng, course_seed  # noqa: F401 -- course_rng: for notebooks


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python, NumPy and torch with ``seed + COURSE_SEED``; return a NumPy generator
    seeded the same way. Every random draw of the course goes through this function or
    ``course_rng`` (``helpers.seeding``).
    """
    shifted = seed + course_seed()
    random.seed(shifted)
    np.random.seed(shifted)  # noqa: NPY002 -- learners' own code may use the legacy global generator
    torch.manual_seed(shifted)
    return np.random.default_rng(shifted)


def _suffix(module: torch.nn.RNNBase, layer: int, reverse: bool) -> str:
    if not 0 <= layer < module.num_layers:
        raise ValueError(f"layer must be in 0..{module.num_layers - 1}, got {layer}")
    if reverse and not module.bidirectional:
        raise ValueError("reverse=True needs a bidirectional module")
    return f"_l{layer}" + ("_reverse" if reverse else "")


def rnn_weights(module: torch.nn.RNNBase, layer: int = 0, reverse: bool = False) -> dict:
    """NumPy copies of one layer's weights from ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU``.

    RNN/LSTM: {"Wx": (G*H, D), "Wh": (G*H, H), "b": (G*H,)} with b = b_ih + b_hh
    (G = 1 for the RNN, 4 for the LSTM). GRU: {"Wx", "Wh", "bx", "bh"} (G = 3).
    """
    s = _suffix(module, layer, reverse)

    def get(name: str) -> np.ndarray:
        return getattr(module, name + s).detach().cpu().numpy().copy()

    weights = {"Wx": get("weight_ih"), "Wh": get("weight_hh")}
    if not module.bias:
        zeros = np.zeros(weights["Wh"].shape[0], dtype=weights["Wh"].dtype)
        biases = {"bx": zeros, "bh": zeros.copy()}
    else:
        biases = {"bx": get("bias_ih"), "bh": get("bias_hh")}
    if isinstance(module, torch.nn.GRU):
        return weights | biases
    return weights | {"b": biases["bx"] + biases["bh"]}


def load_rnn_weights(
    module: torch.nn.RNNBase, weights: dict, layer: int = 0, reverse: bool = False
) -> None:
    """Copy our arrays into one layer of ``module`` (the inverse of ``rnn_weights``).

    For RNN/LSTM the whole ``b`` goes into ``bias_ih`` and ``bias_hh`` is zeroed.
    Raises ``ValueError`` when a shape does not match the module's parameter.
    """
    s = _suffix(module, layer, reverse)
    if isinstance(module, torch.nn.GRU):
        pairs = {"weight_ih": "Wx", "weight_hh": "Wh", "bias_ih": "bx", "bias_hh": "bh"}
    else:
        pairs = {"weight_ih": "Wx", "weight_hh": "Wh", "bias_ih": "b", "bias_hh": None}
    with torch.no_grad():
        for param_name, key in pairs.items():
            param = getattr(module, param_name + s, None)
            if param is None:
                continue
            if key is None:
                param.zero_()
                continue
            value = torch.as_tensor(np.asarray(weights[key]), dtype=param.dtype)
            if value.shape != param.shape:
                raise ValueError(
                    f"weights[{key!r}] has shape {tuple(value.shape)}, "
                    f"{param_name + s} needs {tuple(param.shape)}"
                )
            param.copy_(value)


def set_forget_bias(module: torch.nn.LSTM, value: float) -> torch.nn.LSTM:
    """Set the forget-gate bias b_f = b_ih[f] + b_hh[f] of every layer and direction to ``value``.

    The f block is rows H..2H of each (4H,) bias (gate order i, f, g, o); ``b_ih[f]`` gets
    ``value`` and ``b_hh[f]`` gets 0, so the sum that the cell uses is exactly ``value``.
    Changes ``module`` in place and returns it.
    """
    if not isinstance(module, torch.nn.LSTM):
        raise ValueError(f"module must be a torch.nn.LSTM, got {type(module).__name__}")
    if not module.bias:
        raise ValueError("module was built with bias=False: it has no forget-gate bias to set")
    H = module.hidden_size
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            if name.startswith("bias_ih"):
                parameter[H : 2 * H] = value
            elif name.startswith("bias_hh"):
                parameter[H : 2 * H] = 0.0
    return module
