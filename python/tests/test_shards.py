"""The twin's reader of sharded datasets against what the Swift side reads (the committed fixture
and its JSON source, both written by `hybridsign`), DDP rank splitting, and hostile files."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from hybridsign_torch.shards import (
    ShardBatchSampler,
    ShardDataset,
    ShardFormatError,
    batch_indices,
    rank_share,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "PoseDataTests" / "Fixtures"
SHARDS = FIXTURES / "shards"


@pytest.fixture(scope="module")
def source() -> dict:
    with open(FIXTURES / "shards-source.json", encoding="utf-8") as file:
        return json.load(file)


def test_samples_equal_the_json_swift_wrote(source: dict) -> None:
    dataset = ShardDataset(SHARDS)
    samples = source["samples"]
    assert len(dataset) == len(samples) == 5
    assert dataset.layout.name == source["layout"]["name"]
    assert list(dataset.layout.joints) == source["layout"]["joints"]
    assert [name for name, _ in dataset.layout.parts] == list(source["layout"]["parts"])
    for index, expected in enumerate(samples):
        sample = dataset[index]
        for key in ("name", "text", "gloss", "signer"):
            assert getattr(sample, key) == expected.get(key), (index, key)
        assert sample.fps == expected["fps"]
        frames = torch.tensor(np.asarray(expected["frames"], dtype=np.float32))
        assert sample.frames.dtype == torch.float32 and torch.equal(sample.frames, frames), index
        assert int(dataset.frame_counts[index]) == len(expected["frames"])
        features = expected.get("text_features")
        if features is None:
            assert sample.text_features is None
        else:
            assert torch.equal(sample.text_features, torch.tensor(np.asarray(features, dtype=np.float32)))
        summary = dataset.summary(index)
        assert (summary.name, summary.text, summary.frame_count) == (expected.get("name"), expected.get("text"), len(expected["frames"]))
    assert dataset[-1].text == samples[-1]["text"]
    with pytest.raises(IndexError):
        dataset[5]


def test_pickle_and_its_shards_agree(tmp_path: Path) -> None:
    """The bundled pickle read with Python's own pickle against the shards hybridsign wrote from it."""
    binary = ROOT / ".build" / "release" / "hybridsign"
    with open(ROOT / "data" / "words" / "dev.pkl", "rb") as file:
        rows = pickle.load(file)
    if not binary.exists():
        pytest.fail("build hybridsign first (make test does): swift build -c release --product hybridsign")
    import subprocess

    subprocess.run([str(binary), "convert", str(ROOT / "data" / "words" / "dev.pkl"), str(tmp_path / "dev"), "--shards", "16"],
                   check=True, capture_output=True)
    dataset = ShardDataset(tmp_path / "dev")
    assert len(dataset) == len(rows)
    for sample, row in zip(dataset, rows):
        assert (sample.name, sample.text, sample.gloss, sample.signer, sample.fps) == (
            row["name"], row["text"], row["gloss"], row["signer"], float(row["fps"]))
        assert torch.equal(sample.frames, torch.from_numpy(np.asarray(row["pose"], dtype=np.float32)))


def test_a_data_loader_with_workers_reads_the_same_samples() -> None:
    dataset = ShardDataset(SHARDS)
    loader = DataLoader(dataset, batch_size=None, num_workers=2, collate_fn=lambda sample: sample)
    assert [sample.name for sample in loader] == [dataset[i].name for i in range(len(dataset))]


def test_rank_shares_partition_every_global_batch() -> None:
    lengths = [5, 9, 2, 7, 7, 3, 11, 4, 8, 6, 2, 10, 5]
    world = 3
    samplers = [ShardBatchSampler(lengths, 4, seed=5, rank=rank, world_size=world) for rank in range(world)]
    for epoch in range(3):
        for sampler in samplers:
            sampler.set_epoch(epoch)
        global_batches = batch_indices(lengths, 4, 5, epoch)
        shares = list(zip(*(list(sampler) for sampler in samplers)))
        assert len(shares) == len(global_batches) == len(samplers[0])
        for batch, parts in zip(global_batches, shares):
            assert [index for part in parts for index in part] == batch
            assert max(map(len, parts)) - min(map(len, parts)) <= 1
        assert sorted(i for batch in global_batches for i in batch) == list(range(len(lengths)))
    assert batch_indices(lengths, 4, 5, 0) != batch_indices(lengths, 4, 5, 1), "each epoch has its own order"
    assert rank_share([1, 2], 2, 3) == []
    with pytest.raises(ValueError):
        rank_share([1], 3, 3)


# Hostile files: a copy of the fixture, damaged.

def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "shards"
    shutil.copytree(SHARDS, target)
    return target


def _first_shard(directory: Path) -> Path:
    index = json.loads((directory / "index.json").read_text())
    return directory / index["shards"][0]["file"]


def _header(path: Path) -> tuple[dict, bytes]:
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8 : 8 + length]), data[8 + length :]


def _write_header(directory: Path, header: dict) -> None:
    path = _first_shard(directory)
    _, body = _header(path)
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + body)
    index = json.loads((directory / "index.json").read_text())
    index["shards"][0]["bytes"] = path.stat().st_size
    (directory / "index.json").write_text(json.dumps(index))


def _patch_offsets(directory: Path, values: list[int]) -> None:
    path = _first_shard(directory)
    header, _ = _header(path)
    data = bytearray(path.read_bytes())
    start = 8 + struct.unpack("<Q", data[:8])[0] + header["frame_offsets"]["data_offsets"][0]
    data[start : start + 8 * len(values)] = np.asarray(values, dtype="<i8").tobytes()
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("offsets", "message"),
    [([0, 9, 5], "offsets must not decrease"), ([1, 5, 10], "starts at 1, not 0"), ([0, 5, 9], "ends at 9, but the shard holds 10 frames"),
     ([0, 2_000_000, 10], "at most 1000000 frames")],
)
def test_bad_frame_offsets(tmp_path: Path, offsets: list[int], message: str) -> None:
    directory = _copy(tmp_path)
    _patch_offsets(directory, offsets)
    with pytest.raises(ShardFormatError, match=message):
        ShardDataset(directory)


def test_bad_headers_and_indexes(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    shard = _first_shard(directory)
    original_header, _ = _header(shard)
    original_index = (directory / "index.json").read_text()

    def expect(message: str) -> None:
        with pytest.raises(ShardFormatError, match=message):
            ShardDataset(directory)

    header = json.loads(json.dumps(original_header))
    header["frames"]["dtype"] = "I32"
    _write_header(directory, header)
    expect("the tensor 'frames' is I32, not F32")
    header = json.loads(json.dumps(original_header))
    header["frames"]["data_offsets"] = [0, 10**12]
    _write_header(directory, header)
    expect("data_offsets that are not two ascending integers")
    header = json.loads(json.dumps(original_header))
    header["__metadata__"]["version"] = "2"
    _write_header(directory, header)
    expect("version 2 is newer")
    header = json.loads(json.dumps(original_header))
    header["__metadata__"]["name"] = "[1]"
    _write_header(directory, header)
    expect("the metadata 'name' must be a JSON array of 2 strings or nulls")
    _write_header(directory, original_header)
    ShardDataset(directory)

    data = shard.read_bytes()
    shard.write_bytes(struct.pack("<Q", 10**9) + data[8:])
    expect("above the limit of 100000000")
    shard.write_bytes(data[:-1])
    expect("it was changed or cut short")
    shard.write_bytes(data)

    (directory / "index.json").write_text(original_index.replace(shard.name, "../" + shard.name))
    expect("a plain file name ending in .safetensors")
    (directory / "index.json").write_text(original_index.replace('"version": 1', '"version": 3'))
    expect("version 3 is newer")
    (directory / "index.json").write_text(original_index.replace('"samples": 5', '"samples": 6'))
    expect('"samples" must be 5, the sum over the shards')
    (directory / "index.json").write_text(original_index[:50])
    expect("not valid JSON")
    with open(directory / "index.json", "wb") as file:
        file.truncate((64 << 20) + 1)
    expect("above the limit of 67108864")
    os.remove(directory / "index.json")
    expect("cannot read the shard index")


def test_random_damage_raises_clean_errors(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    shard = _first_shard(directory)
    original = shard.read_bytes()
    generator = np.random.default_rng(7)
    loaded = 0
    for _ in range(300):
        data = bytearray(original)
        for _ in range(int(generator.integers(1, 5))):
            position = int(generator.integers(0, min(len(data), 700) if generator.random() < 0.5 else len(data)))
            data[position] ^= 1 << int(generator.integers(0, 8))
        shard.write_bytes(bytes(data))
        try:
            dataset = ShardDataset(directory)
        except ShardFormatError:
            continue
        for index in range(len(dataset)):
            assert dataset[index].frames.shape[0] == dataset.frame_counts[index]
        loaded += 1
    assert 0 < loaded < 300
