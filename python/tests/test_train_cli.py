"""``python -m hybridsign_torch.train``: resume continues exactly, SIGTERM saves a resumable checkpoint,
bad input gives a clear error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from conftest import synthetic_dataset
from hybridsign_torch import checkpoint, train

ARGS = ["--steps", "12", "--batch", "2", "--dim", "16", "--depth", "1", "--log-every", "4", "--device", "cpu"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.json"
    path.write_text(synthetic_dataset().to_json(), encoding="utf-8")
    return path


def weights(path: Path) -> dict[str, torch.Tensor]:
    return checkpoint.load(path).model.network.state_dict()


def test_resume_continues_exactly(tmp_path: Path, data: Path, capsys, monkeypatch) -> None:
    straight, resumed = tmp_path / "straight.safetensors", tmp_path / "resumed.safetensors"
    train.main(["--data", str(data), "--out", str(straight), *ARGS])
    # The second run is stopped after 6 of its 12 steps, as Ctrl-C would stop it.
    checks = iter(range(100))
    monkeypatch.setattr(train.distributed, "any_process", lambda flag, control: next(checks) >= 6)
    train.main(["--data", str(data), "--out", str(resumed), *ARGS])
    monkeypatch.undo()
    assert checkpoint.load(resumed).step == 6
    train.main(["--data", str(data), "--out", str(resumed), "--resume", *ARGS])
    output = capsys.readouterr().out
    assert "resuming" in output and "at step 6 of 12" in output and "step 12/12  loss" in output
    a, b = weights(straight), weights(resumed)
    assert all(torch.equal(a[n], b[n]) for n in a)


def test_sigterm_saves_a_resumable_checkpoint(tmp_path: Path, data: Path) -> None:
    """With a data-loader worker, as on a GPU."""
    out = tmp_path / "m.safetensors"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1]), OMP_NUM_THREADS="1")
    process = subprocess.Popen([sys.executable, "-m", "hybridsign_torch.train", "--data", str(data), "--out", str(out),
                                "--steps", "100000", "--batch", "2", "--dim", "16", "--depth", "1", "--log-every", "1",
                                "--checkpoint-every", "0", "--device", "cpu", "--workers", "1"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in process.stdout:
            if line.startswith("step 3/"):
                break
        os.killpg(process.pid, signal.SIGTERM)  # the whole group, workers included, as a terminal or torchrun does
        output, errors = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 0, errors
    assert "interrupted: saved step" in output
    saved = checkpoint.load(out)
    assert saved.step >= 3 and saved.adamw_step == saved.step


def test_bad_input_is_a_clear_error(tmp_path: Path, data: Path, capsys) -> None:
    with pytest.raises(SystemExit):
        train.main(["--data", str(tmp_path / "none.json"), "--out", str(tmp_path / "m.safetensors"), *ARGS])
    assert "no such file or directory" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        train.main(["--data", str(data), "--out", str(tmp_path / "m.safetensors"), "--preset", "huge", *ARGS])
    assert "unknown preset 'huge'" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"layout": {"name": "x", "joints": ["a"], "parts": {"p": [0]}}, "samples": [{"fps": 25, "frames": [[[1, 2, 1]]]}]}')
    with pytest.raises(SystemExit):
        train.main(["--data", str(bad), "--out", str(tmp_path / "m.safetensors"), *ARGS])
    assert "has 1 frames; a sequence needs at least 2" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="give --steps N or --minutes M"):
        train.main(["--data", str(data), "--out", str(tmp_path / "m.safetensors")])


def test_a_time_budget_stops_and_saves(tmp_path: Path, data: Path, capsys) -> None:
    out = tmp_path / "m.safetensors"
    train.main(["--data", str(data), "--out", str(out), "--minutes", "0.03", "--batch", "2", "--dim", "16", "--depth", "1",
                "--log-every", "1000", "--device", "cpu"])
    saved = checkpoint.load(out)
    assert 1 <= saved.step <= saved.training.steps < 1_000_000 or saved.step < 6
    assert f"saved step {saved.step}" in capsys.readouterr().out


def test_a_failed_write_leaves_the_old_checkpoint_and_no_temporary(tmp_path: Path, data: Path, monkeypatch) -> None:
    out = tmp_path / "m.safetensors"
    train.main(["--data", str(data), "--out", str(out), *ARGS])
    before = out.read_bytes()

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint.os, "fsync", full_disk)
    saved = checkpoint.load(out)
    with pytest.raises(OSError, match="No space left"):
        checkpoint.save(saved, out)
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
