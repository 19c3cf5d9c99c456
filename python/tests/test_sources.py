"""Training data sources: JSON read here, pickles through ``hybridsign convert`` (cached), errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import synthetic_dataset
from hybridsign_torch.poses import DataError, read_json_dataset
from hybridsign_torch.sources import open_source

WORDS = Path(__file__).parents[2] / "data" / "words" / "dev.pkl"


def test_json_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    original = synthetic_dataset()
    path.write_text(original.to_json(), encoding="utf-8")
    read = open_source(path)
    assert read.layout == original.layout and len(read) == 4
    for a, b in zip(read.samples, original.samples):
        assert a.text == b.text and np.array_equal(a.values, b.values)


def test_pickles_are_converted_by_hybridsign_once(tmp_path: Path) -> None:
    first = open_source(WORDS, cache=tmp_path)
    assert len(first) == 40 and first.layout.name == "openpose137" and first[0].values.shape[1:] == (137, 3)
    assert all(s.text for s in first.samples)
    cached = list(tmp_path.glob("dev.pkl.*.json"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    second = open_source(WORDS, cache=tmp_path)
    assert cached[0].stat().st_mtime_ns == stamp and np.array_equal(second[3].values, first[3].values)


@pytest.mark.parametrize("content, message", [
    ("[1, 2]", "an object with 'layout' and 'samples'"),
    ('{"layout": {"name": "x", "joints": ["a"], "parts": {"p": [0]}}, "samples": [{"fps": -1, "frames": []}]}', "'fps' must be a positive"),
    ('{"layout": {"name": "x", "joints": ["a"], "parts": {"p": [0]}}, "samples": [{"fps": 25, "frames": [[[1, 2]]]}]}', "frames have shape"),
    ('{"layout": {"name": "x", "joints": ["a", "b"], "parts": {"p": [0]}}, "samples": []}', "joint 1 \\('b'\\) belongs to no part"),
    ('{"layout": {"name": "x", "joints": ["a"], "parts": {"p": [3]}}, "samples": []}', "index 3, outside the 1 joints"),
    ("{broken", "cannot read a JSON dataset"),
])
def test_bad_json_names_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_json_dataset(path)


def test_a_failed_conversion_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pkl"
    fake.write_bytes(b"not a pickle")
    with pytest.raises(DataError, match="hybridsign convert .* failed"):
        open_source(fake, cache=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*.json"))


SHARD_FIXTURES = Path(__file__).parents[2] / "Tests" / "PoseDataTests" / "Fixtures"


def test_a_sharded_dataset_reads_as_its_source_json() -> None:
    """The committed shards (``hybridsign convert shards-source.json shards/ --shards 2``) give the
    twin the same samples, layout and lengths as the JSON they were written from."""
    shards, source = open_source(SHARD_FIXTURES / "shards"), open_source(SHARD_FIXTURES / "shards-source.json")
    assert shards.layout == source.layout and len(shards) == len(source) == 5
    assert shards.frame_counts() == source.frame_counts()
    for index in range(len(source)):
        a, b = shards[index], source[index]
        assert a.values.dtype == np.float32 and np.array_equal(a.values, b.values)
        assert (a.text, a.name, a.gloss, a.signer, a.fps) == (b.text, b.name, b.gloss, b.signer, b.fps)
        assert (a.text_features is None) == (b.text_features is None)
        assert a.text_features is None or np.array_equal(a.text_features, b.text_features)


def test_training_on_shards_equals_training_on_their_json(tmp_path: Path) -> None:
    from hybridsign_torch import checkpoint, train
    args = ["--steps", "3", "--batch", "2", "--dim", "16", "--depth", "1", "--tokens", "part", "--device", "cpu", "--log-every", "3"]
    outputs = []
    for data in (SHARD_FIXTURES / "shards", SHARD_FIXTURES / "shards-source.json"):
        out = tmp_path / f"{data.stem}.safetensors"
        train.main(["--data", str(data), "--out", str(out), *args])
        outputs.append(checkpoint.load(out).model.network.state_dict())
    a, b = outputs
    assert all(np.array_equal(a[name].numpy(), b[name].numpy()) for name in a)


def test_a_damaged_shard_index_is_a_data_error(tmp_path: Path) -> None:
    directory = tmp_path / "shards"
    directory.mkdir()
    (directory / "index.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="index.json"):
        open_source(directory)
