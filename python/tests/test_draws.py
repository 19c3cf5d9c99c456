"""A process draws only its own sequences' noise (the generator jumps over the others'): its draws
equal the whole batch's for its sequences, and every shared draw and normaliser is the same."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import synthetic_dataset, tiny_config
from hybridsign_torch.batching import TrainingData
from hybridsign_torch.draws import StepDraws, step_generator
from hybridsign_torch.model import HybridSignModel

TEXTS = ("ab", "ba", "abc", "cab", "bca", "ac")
FRAMES = (6, 7, 8, 9, 10, 5)


@pytest.mark.parametrize("mode, history_noise", [("hybrid", 0.0), ("hybrid", 0.1), ("diffusion", 0.0), ("ar", 0.2)])
def test_a_part_of_the_batch_draws_what_the_whole_batch_draws(mode: str, history_noise: float) -> None:
    config = tiny_config(mode)
    config.history_noise = history_noise
    config.flow_fraction = 0.5
    dataset = synthetic_dataset(TEXTS, FRAMES)
    model = HybridSignModel.fit(config, dataset, seed=1)
    batch = TrainingData(dataset, model.mapping, 6, seed=2).batch(0)
    whole = StepDraws.draw(config, batch, step_generator(3, 0))
    part = StepDraws.draw(config, batch, step_generator(3, 0), needed=(2, 4))
    assert part.normalizers == whole.normalizers
    assert np.array_equal(part.input_coordinates[2:4], whole.input_coordinates[2:4])
    if mode == "hybrid":
        for k in range(6):
            a, b = part.flow[k], whole.flow[k]
            assert (a.jvp, a.equal) == (b.jvp, b.equal) and np.array_equal(a.pairs, b.pairs)
            assert np.array_equal(a.noise, b.noise) == (k in (2, 3) or not (b.jvp or b.equal))
    if mode == "diffusion":
        for k in range(6):
            assert part.diffusion[k].pair == whole.diffusion[k].pair
            assert np.array_equal(part.diffusion[k].noise, whole.diffusion[k].noise) == (k in (2, 3))
