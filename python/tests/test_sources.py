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


class _ShardLayout:
    """The layout as ``hybridsign_torch.shards`` gives it: parts as (name, joints) pairs."""
    name = "two"
    joints = ("a", "b")
    parts = (("left", (0,)), ("right", (1,)))
    bones = ((0, 1),)


class _ShardSample:
    def __init__(self, frames: int) -> None:
        import torch
        self.frames = torch.arange(frames * 6, dtype=torch.float32).reshape(frames, 2, 3)
        self.fps, self.text, self.name, self.gloss, self.signer = 25.0, f"w{frames}", f"n{frames}", None, "s1"
        self.text_features = torch.ones(2, 4) if frames == 3 else None


class _ShardDataset:
    """What ``shards.ShardDataset`` offers the adapter (its interface, with samples made in memory)."""
    layout = _ShardLayout()
    frame_counts = np.array([3, 5], dtype=np.int64)

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> _ShardSample:
        return _ShardSample(int(self.frame_counts[index]))


def test_a_shard_dataset_reads_as_a_pose_source() -> None:
    from hybridsign_torch.layout import Part
    from hybridsign_torch.sources import ShardSource
    source = ShardSource(_ShardDataset())
    assert source.layout.parts == (Part("left", (0,)), Part("right", (1,))) and source.layout.bones == ((0, 1),)
    assert len(source) == 2 and source.frame_counts() == [3, 5]
    first, second = source[0], source[1]
    assert first.values.dtype == np.float32 and first.values.shape == (3, 2, 3) and first.values[2, 1, 2] == 17
    assert (first.text, first.name, first.signer, first.fps) == ("w3", "n3", "s1", 25.0)
    assert first.text_features is not None and first.text_features.shape == (2, 4) and second.text_features is None
