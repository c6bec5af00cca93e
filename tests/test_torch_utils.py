"""helpers.torch_utils: seeding, weight transfer and the LSTM forget-gate bias."""

import numpy as np
import pytest
import torch

from helpers.torch_utils import rnn_weights, seed_everything, set_forget_bias


@pytest.mark.parametrize(("layers", "bidirectional"), [(1, False), (2, True)])
def test_set_forget_bias_sets_the_sum_in_every_layer_and_direction(layers, bidirectional):
    seed_everything(0)
    H = 3
    lstm = torch.nn.LSTM(2, H, num_layers=layers, bidirectional=bidirectional, dtype=torch.float64)
    before = {name: p.detach().clone() for name, p in lstm.named_parameters()}
    assert set_forget_bias(lstm, 1.5) is lstm
    for layer in range(layers):
        for reverse in [False, True] if bidirectional else [False]:
            b = rnn_weights(lstm, layer, reverse)["b"]
            assert np.array_equal(b[H : 2 * H], np.full(H, 1.5))
    for name, p in lstm.named_parameters():
        if name.startswith("bias"):  # the i, g, o blocks are untouched
            keep = torch.cat([p[:H], p[2 * H :]])
            assert torch.equal(keep, torch.cat([before[name][:H], before[name][2 * H :]]))
        else:
            assert torch.equal(p, before[name])


def test_set_forget_bias_refuses_other_modules():
    with pytest.raises(ValueError, match="torch.nn.LSTM, got GRU"):
        set_forget_bias(torch.nn.GRU(2, 3), 1.0)
    with pytest.raises(ValueError, match="bias=False"):
        set_forget_bias(torch.nn.LSTM(2, 3, bias=False), 1.0)


def test_course_seed_shifts_every_seed(monkeypatch):
    from helpers.torch_utils import course_rng, course_seed

    monkeypatch.delenv("COURSE_SEED", raising=False)
    assert course_seed() == 0
    base = seed_everything(5).random(), torch.rand(1).item(), course_rng(5).random()
    monkeypatch.setenv("COURSE_SEED", "2")
    assert course_seed() == 2
    shifted = seed_everything(3).random(), torch.rand(1).item(), course_rng(3).random()
    assert shifted == base  # 3 + 2 == 5 + 0
    assert seed_everything(5).random() != base[0]
    monkeypatch.setenv("COURSE_SEED", "-1")
    with pytest.raises(ValueError, match="COURSE_SEED"):
        seed_everything(0)
