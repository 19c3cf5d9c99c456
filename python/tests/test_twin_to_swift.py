"""A model trained for 50 steps by the twin (through ``python -m hybridsign_torch.train``) loads in the
Swift tool: ``hybridsign sample``, ``eval`` and the notebook's ``load`` / ``stream``. At temperature 0
the frames Swift streams equal the twin's sampler's (to 1e-4 of the largest coordinate), and
``hybridsign eval`` scores what the twin's evaluation scores.

These tests need the ``hybridsign`` binary (``make test`` builds it): without it they fail.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import synthetic_dataset
from hybridsign_torch import checkpoint, train
from hybridsign_torch.evaluation import evaluate
from hybridsign_torch.poses import read_json_dataset
from hybridsign_torch.sampler import sample
from hybridsign_torch.sources import hybridsign_binary

TEXTS = ("ab", "ba", "abc", "cab", "bca", "ac")
FRAMES = (9, 10, 12, 11, 13, 8)


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("twin-to-swift")
    data = directory / "data.json"
    data.write_text(synthetic_dataset(TEXTS, FRAMES).to_json(), encoding="utf-8")
    model = directory / "m.safetensors"
    train.main(["--data", str(data), "--steps", "50", "--batch", "3", "--dim", "32", "--depth", "1", "--lr", "3e-3",
                "--checkpoint-every", "0", "--log-every", "25", "--out", str(model), "--device", "cpu"])
    return model, data


def run_hybridsign(*arguments: str, cwd: Path) -> str:
    result = subprocess.run([hybridsign_binary(), *arguments], capture_output=True, text=True, cwd=cwd, timeout=600)
    assert result.returncode == 0, f"hybridsign {' '.join(arguments)} failed:\n{result.stderr}\n{result.stdout}"
    return result.stdout


def frames_of(path: Path) -> np.ndarray:
    return read_json_dataset(path).samples[0].values


def assert_same_frames(swift: np.ndarray, twin: np.ndarray, what: str) -> None:
    assert swift.shape == twin.shape, f"{what}: Swift made {swift.shape[0]} frames, the twin {twin.shape[0]}"
    difference = float(np.abs(swift - twin).max()) / float(np.abs(twin).max())
    print(f"{what}: {swift.shape[0]} frames, max relative difference {difference:.2e}")
    assert difference <= 1e-4


def test_the_checkpoint_holds_the_training_state(trained) -> None:
    saved = checkpoint.load(trained[0])
    assert saved.step == 50 and saved.adamw_step == 50 and saved.training.steps == 50
    assert set(saved.ema) == set(saved.model.network.state_dict())


def test_hybridsign_sample_equals_the_twin_sampler(trained) -> None:
    model_path, _ = trained
    model = checkpoint.load(model_path, use_ema=True).model
    for frames in ("12", "auto"):
        out = model_path.parent / f"sampled-{frames}.json"
        run_hybridsign("sample", str(model_path), "abc", "--frames", frames, "--temperature", "0", "--out", str(out), cwd=model_path.parent)
        twin = sample(model, text="abc", frames=None if frames == "auto" else int(frames))
        assert_same_frames(frames_of(out), twin.values, f"hybridsign sample --frames {frames}")


def test_the_notebook_loads_and_streams_the_model(trained) -> None:
    model_path, _ = trained
    script = model_path.parent / "stream.hsl"
    script.write_text(f'let m = load "{model_path}"\nlet s = stream m "cab" frames: 10\nexport s to "streamed.json"\n', encoding="utf-8")
    output = run_hybridsign("run", str(script), cwd=model_path.parent)
    assert "frame   9" in output, output
    twin = sample(checkpoint.load(model_path, use_ema=True).model, text="cab", frames=10)
    assert_same_frames(frames_of(model_path.parent / "streamed.json"), twin.values, "notebook stream")


def test_hybridsign_eval_scores_what_the_twin_scores(trained) -> None:
    model_path, data = trained
    swift = json.loads(run_hybridsign("eval", str(model_path), "--data", str(data), "--json", cwd=model_path.parent).strip().splitlines()[-1])
    twin = evaluate(checkpoint.load(model_path, use_ema=True).model, read_json_dataset(data))
    print(f"DTW-MJE: hybridsign eval {swift['dtw_mje']:.6g}, twin {twin.dtw_mje:.6g}; MJE {swift['mje']:.6g} / {twin.mje:.6g}")
    assert swift["samples"] == twin.samples == len(TEXTS)
    assert abs(swift["dtw_mje"] - twin.dtw_mje) <= 1e-4 * twin.dtw_mje
    assert abs(swift["mje"] - twin.mje) <= 1e-4 * twin.mje


def test_hybridsign_train_resumes_the_twin_checkpoint(trained, tmp_path: Path) -> None:
    """Both engines continue the twin's 50-step run for 4 more steps to the same weights."""
    model_path, data = trained
    swift_run, twin_run = tmp_path / "swift.safetensors", tmp_path / "twin.safetensors"
    for copy in (swift_run, twin_run):
        copy.write_bytes(model_path.read_bytes())
    output = run_hybridsign("train", "--data", str(data), "--out", str(swift_run), "--resume", "--steps", "54", "--log-every", "1",
                            cwd=tmp_path)
    assert "resuming" in output and "at step 50 of 54" in output, output
    train.main(["--data", str(data), "--out", str(twin_run), "--resume", "--steps", "54", "--log-every", "1", "--device", "cpu"])
    swift, twin = checkpoint.load(swift_run), checkpoint.load(twin_run)
    assert swift.step == twin.step == 54 and swift.adamw_step == twin.adamw_step == 54
    a, b = swift.model.network.state_dict(), twin.model.network.state_dict()
    scale = max(float(v.abs().max()) for v in a.values())
    difference = max(float((a[n] - b[n]).abs().max()) for n in a) / scale
    print(f"hybridsign train and the twin, 4 steps after the twin's checkpoint: weights differ by {difference:.2e} of the largest")
    assert difference <= 1e-4
