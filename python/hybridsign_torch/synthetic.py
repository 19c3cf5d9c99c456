"""Random data and models for benchmarks and tests (``BenchmarkModels`` in Swift): no data files needed."""

from __future__ import annotations

import numpy as np
import torch

from .config import ModelConfig
from .layout import Layout
from .length_model import LengthModel
from .model import HybridSignModel
from .normalizer import Normalizer
from .poses import PoseDataset, PoseSample
from .rng import RandomGenerator
from .vocabulary import TextVocabulary


def random_dataset(layout: Layout, count: int, frames: int, seed: int = 2) -> PoseDataset:
    """``count`` smooth random walks of ``frames`` frames, every joint visible, random lower-case
    five-letter texts: the numbers of Swift's ``BenchmarkModels.randomDataset`` for the same seed."""
    rng = RandomGenerator(seed)
    j = layout.joint_count
    samples = []
    for _ in range(count):
        position = rng.normals(j * 2)
        values = np.empty((frames, j, 3), dtype=np.float32)
        for f in range(frames):
            values[f, :, :2] = position.reshape(j, 2)
            values[f, :, 2] = 1
            position = (position + np.float32(0.1) * rng.normals(j * 2)).astype(np.float32)
        text = "".join(chr(97 + rng.next() % 26) for _ in range(5))
        samples.append(PoseSample(values, 25.0, text=text))
    return PoseDataset(layout, samples)


def random_model(config: ModelConfig, seed: int = 1) -> HybridSignModel:
    """A model of ``config`` with identity normalisation, a lower-case vocabulary and weights perturbed
    by N(0, 0.02) from their initialisation (so zero-initialised gates skip no work)."""
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    model = HybridSignModel(config, Normalizer.identity(), TextVocabulary.create("characters", letters), LengthModel(60.0, 0.0),
                            np.ones(config.layout.joint_count, dtype=np.float32), 25.0, seed)
    rng = RandomGenerator(seed + 1)
    with torch.no_grad():
        for p in model.network.parameters():
            p.add_(torch.from_numpy(rng.normal_array(list(p.shape), std=0.02)))
    return model
