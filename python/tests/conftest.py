"""Shared fixtures: the built `hybridsign` executable and its kernelspec in a private JUPYTER_PATH;
for the twin's tests a tiny layout, synthetic sequences and small configurations.

The twin's tests run on the CPU with one intra-op thread: the models are tiny, and on a loaded
machine several spinning threads per process make them 20× slower.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from hybridsign_torch.config import ModelConfig, TrainingOptions
from hybridsign_torch.layout import Layout, Part
from hybridsign_torch.poses import PoseDataset, PoseSample

REPOSITORY = Path(__file__).resolve().parents[2]

torch.set_num_threads(1)
# The tests check this checkout's hybridsign (make test builds it), not one elsewhere on PATH.
os.environ.setdefault("HYBRIDSIGN_BIN", str(REPOSITORY / ".build" / "release" / "hybridsign"))


@pytest.fixture(scope="session")
def hybridsign_executable() -> Path:
    """The executable `make test` built (or HYBRIDSIGN_BIN); its absence is a failure, not a skip."""
    path = Path(os.environ.get("HYBRIDSIGN_BIN", REPOSITORY / ".build" / "release" / "hybridsign"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"no hybridsign executable at {path}: build it first (make test does), or set HYBRIDSIGN_BIN")
    return path


@pytest.fixture(scope="session")
def jupyter_path(hybridsign_executable: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Installs the kernelspec with `hybridsign kernel install --prefix` into a temporary folder and
    points JUPYTER_PATH at it (the user's own Jupyter folders are never touched)."""
    prefix = tmp_path_factory.mktemp("jupyter-prefix")
    subprocess.run([str(hybridsign_executable), "kernel", "install", "--prefix", str(prefix)], check=True,
                   capture_output=True, text=True)
    data = prefix / "share" / "jupyter"
    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(data)
    yield data
    if previous is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = previous


TINY_LAYOUT = Layout("tiny6", tuple(f"j{i}" for i in range(6)), (Part("body", (0, 2, 4)), Part("hand", (1, 3, 5))), ((0, 2),))


def synthetic_sequence(text: str, frames: int) -> PoseSample:
    """Joints on circles whose phase depends on the text; joint 5 missing in odd frames (as the Swift tests')."""
    phase = (sum(ord(c) for c in text) % 17) / 3
    values = np.zeros((frames, 6, 3), dtype=np.float32)
    for f in range(frames):
        for k in range(6):
            a = phase + f * 0.3 + k
            if not (k == 5 and f % 2 == 1):
                values[f, k] = (100 + 40 * np.cos(a) + k * 10, 200 + 30 * np.sin(a), 0.9)
    return PoseSample(values, 12.5, text=text, name=text)


def synthetic_dataset(texts=("ab", "ba", "abc", "cab"), frames=(6, 7, 8, 9)) -> PoseDataset:
    return PoseDataset(TINY_LAYOUT, [synthetic_sequence(t, n) for t, n in zip(texts, frames)])


def tiny_config(mode: str = "hybrid", tokens: str = "part") -> ModelConfig:
    config = ModelConfig.defaults()
    config.dim, config.heads, config.depth, config.mlp = 16, 2, 2, 24
    config.tokens, config.mode, config.max_frames, config.layout = tokens, mode, 40, TINY_LAYOUT
    return config


def tiny_options(steps: int = 10, batch: int = 8, seed: int = 1) -> TrainingOptions:
    options = TrainingOptions.defaults()
    options.steps, options.batch_size, options.learning_rate, options.warmup_steps, options.seed = steps, batch, 3e-3, 2, seed
    return options


@pytest.fixture
def dataset() -> PoseDataset:
    return synthetic_dataset()
