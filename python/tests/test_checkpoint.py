"""Checkpoints in the Swift format: the bundled Swift model reads and writes back with identical
metadata (plus the keys added since, at their defaults); twin checkpoints round-trip; damaged files give errors naming the file and the problem."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from conftest import synthetic_dataset, tiny_config, tiny_options
from hybridsign_torch import checkpoint
from hybridsign_torch.trainer import Trainer

BUNDLED = Path(__file__).parents[2] / "data" / "models" / "words-small.safetensors"


def header(path: Path) -> dict:
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(length))


def test_a_swift_model_loads_and_saves_with_identical_metadata_and_names(tmp_path: Path) -> None:
    saved = checkpoint.load(BUNDLED, use_ema=True)
    assert saved.step == 3000 and saved.model.config.dim == 128 and saved.model.vocabulary.size == 53
    out = tmp_path / "copy.safetensors"
    checkpoint.save(saved, out)
    original, copy = header(BUNDLED), header(out)
    # The bundled model predates signer conditioning, stored sampling settings, the flow source
    # and the flow backbone: the copy adds them at their defaults and changes nothing else.
    written, before = dict(copy["__metadata__"]), original["__metadata__"]
    assert written.pop("sampling") == '{"steps":1,"temperature":0}'
    config = json.loads(written.pop("config"))
    assert config.pop("signerConditioning") is False and config.pop("signerDropout") == 0.5
    assert config.pop("flowSource") == "estimate" and config.pop("flowBackbone") == "shared"
    assert config == json.loads(before["config"])
    assert written == {k: v for k, v in before.items() if k != "config"}
    assert {k: v["shape"] for k, v in copy.items() if k != "__metadata__"} == {k: v["shape"] for k, v in original.items() if k != "__metadata__"}


def test_training_state_round_trips(tmp_path: Path) -> None:
    trainer = Trainer.fresh(tiny_config(), synthetic_dataset(), tiny_options(batch=2))
    trainer.train_step()
    path = tmp_path / "m.safetensors"
    trainer.save(str(path))
    loaded = checkpoint.load(path)
    assert loaded.step == 1 and loaded.adamw_step == 1 and loaded.training == trainer.options
    for name, value in trainer.model.network.state_dict().items():
        assert torch.equal(loaded.model.network.state_dict()[name], value)
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"
    with_ema = checkpoint.load(path, use_ema=True).model.network.state_dict()
    assert any(not torch.equal(with_ema[n], v) for n, v in trainer.model.network.state_dict().items())


def test_damaged_and_foreign_files_are_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.safetensors"
    checkpoint.save(checkpoint.load(BUNDLED), good)
    data = good.read_bytes()
    cases = {
        "truncated.safetensors": (data[:1000], "not a readable model file"),
        "text.safetensors": (b"hello", "not a readable model file"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(checkpoint.CheckpointError, match=message):
            checkpoint.load(tmp_path / name)
    foreign = tmp_path / "foreign.safetensors"
    save_file({"w": torch.zeros(2)}, str(foreign), metadata={"format": "other"})
    with pytest.raises(checkpoint.CheckpointError, match="not a HybridSign model .*'other'"):
        checkpoint.load(foreign)
    state = checkpoint.load(good).model.network.state_dict()
    tensors = {"model." + name: value for name, value in state.items()}
    meta = header(good)["__metadata__"]
    nan = dict(tensors)
    first = next(iter(nan))
    nan[first] = torch.full_like(nan[first], float("nan"))
    save_file(nan, str(tmp_path / "nan.safetensors"), metadata=meta)
    with pytest.raises(checkpoint.CheckpointError, match=f"'{first}' holds NaN"):
        checkpoint.load(tmp_path / "nan.safetensors")
    missing = {k: v for k, v in tensors.items() if k != first}
    save_file(missing, str(tmp_path / "missing.safetensors"), metadata=meta)
    with pytest.raises(checkpoint.CheckpointError, match="is missing from the loaded weights"):
        checkpoint.load(tmp_path / "missing.safetensors")
    broken = dict(meta, config="{not json")
    save_file(tensors, str(tmp_path / "meta.safetensors"), metadata=broken)
    with pytest.raises(checkpoint.CheckpointError, match="config"):
        checkpoint.load(tmp_path / "meta.safetensors")
    np.testing.assert_equal(good.exists(), True)
