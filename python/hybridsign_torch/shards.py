"""HybridSign's sharded datasets, read in place: a torch ``Dataset`` over memory-mapped shards and a
batch sampler that splits the Swift trainer's batch order across DDP ranks.

A sharded dataset is a directory with ``index.json`` and safetensors shards of up to N samples
(``hybridsign convert train.pkl DIR/ --shards N`` writes one; Docs/data-formats.md describes every
field). Each shard holds one ``frames`` tensor (F × J × 3 float32) with per-sample ``frame_offsets``,
the frame rates, optional text features, and the names, texts, glosses and signers as JSON columns
in the safetensors metadata.

The files are untrusted input: every offset, count and size is checked against the file's bytes
and the ceilings below (the Swift reader's, ``ShardFormat``) before it is used, and a bad file
raises :class:`ShardFormatError` naming the file and what is wrong. Samples are copied out of the
maps one at a time and the pages released again, so iterating a dataset larger than memory keeps
the resident memory small.
"""

from __future__ import annotations

import json
import math
import mmap
import os
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np
import torch
from torch.utils.data import Dataset, Sampler

__all__ = [
    "INDEX_FILE",
    "Layout",
    "PoseSample",
    "SampleSummary",
    "ShardBatchSampler",
    "ShardDataset",
    "ShardFormatError",
    "batch_indices",
    "rank_share",
]

INDEX_FILE = "index.json"
INDEX_TAG = "hybridsign-shards"
SHARD_TAG = "hybridsign-shard"
VERSION = 1

# Ceilings, as in Swift's ShardFormat.
MAX_INDEX_BYTES = 64 << 20
MAX_HEADER_BYTES = 100_000_000
MAX_SHARDS = 50_000
MAX_SAMPLES_PER_SHARD = 1 << 20
MAX_FRAMES_PER_SAMPLE = 1_000_000
MAX_FEATURE_ROWS = 1 << 16
MAX_FEATURE_WIDTH = 1 << 16

TEXT_COLUMNS = ("name", "text", "gloss", "signer")
_DTYPES: dict[str, np.dtype[Any]] = {
    "F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "BF16": np.dtype("<u2"),
    "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
    "U64": np.dtype("<u8"), "U32": np.dtype("<u4"), "U16": np.dtype("<u2"), "U8": np.dtype("u1"),
    "BOOL": np.dtype("u1"),
}
_PAGE = mmap.PAGESIZE
_RELEASE_MARGIN = 2 << 20


class ShardFormatError(ValueError):
    """A sharded dataset that cannot be read: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Layout:
    """The skeleton: joint names, parts (in order; the model's part order) and bones."""

    name: str
    joints: tuple[str, ...]
    parts: tuple[tuple[str, tuple[int, ...]], ...]
    bones: tuple[tuple[int, int], ...]

    @property
    def joint_count(self) -> int:
        return len(self.joints)

    @property
    def part_order(self) -> list[int]:
        """Layout joint index of each model-space joint (the parts one after another)."""
        return [joint for _, joints in self.parts for joint in joints]


@dataclass(frozen=True)
class SampleSummary:
    """A sample without its frames, answered from the shard headers."""

    name: str | None
    text: str | None
    gloss: str | None
    signer: str | None
    fps: float
    frame_count: int
    text_feature_rows: int | None


@dataclass
class PoseSample:
    """One sample as Swift's ``PoseSequence`` holds it: ``frames`` is T × J × 3 (x, y, confidence)."""

    frames: torch.Tensor
    fps: float
    name: str | None
    text: str | None
    gloss: str | None
    signer: str | None
    text_features: torch.Tensor | None


@dataclass(frozen=True)
class _Entry:
    dtype: str
    shape: tuple[int, ...]
    start: int  # absolute byte offsets in the file
    end: int

    @property
    def count(self) -> int:
        return math.prod(self.shape)


def _read_header(data: mmap.mmap | bytes, path: str) -> tuple[dict[str, _Entry], dict[str, str]]:
    """Parses and checks a safetensors header against the file's size."""

    def bad(message: str) -> ShardFormatError:
        return ShardFormatError(f"{path}: {message}")

    size = len(data)
    if size < 8:
        raise bad(f"the file has {size} bytes, fewer than the 8-byte header length of a safetensors file (truncated?)")
    length = int.from_bytes(data[:8], "little")
    if length > MAX_HEADER_BYTES:
        raise bad(f"the header claims {length} bytes, above the limit of {MAX_HEADER_BYTES}")
    if length > size - 8:
        raise bad(f"the header claims {length} bytes, but only {size - 8} follow (truncated or not a safetensors file)")
    try:
        header = json.loads(bytes(data[8 : 8 + length]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise bad(f"the header is not valid JSON ({error})") from None
    if not isinstance(header, dict):
        raise bad("the header is not a JSON object")
    data_start, data_size = 8 + length, size - 8 - length
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise bad("__metadata__ is not an object of strings")
    entries: dict[str, _Entry] = {}
    for name, info in header.items():
        if not isinstance(info, dict) or info.get("dtype") not in _DTYPES:
            raise bad(f"tensor '{name}' has no known dtype")
        shape, offsets = info.get("shape"), info.get("data_offsets")
        if not isinstance(shape, list) or not all(_is_count(d, 2**31 - 1) for d in shape):
            raise bad(f"tensor '{name}' has a shape that is not a list of integers in 0...{2**31 - 1}")
        if (not isinstance(offsets, list) or len(offsets) != 2 or not all(_is_count(o, data_size) for o in offsets)
                or offsets[0] > offsets[1]):
            raise bad(f"tensor '{name}' has data_offsets that are not two ascending integers inside the {data_size}-byte data section")
        nbytes = _DTYPES[info["dtype"]].itemsize * math.prod(shape)
        if nbytes != offsets[1] - offsets[0]:
            raise bad(f"tensor '{name}' has shape {shape} of {info['dtype']} ({nbytes} bytes) but data_offsets span {offsets[1] - offsets[0]} bytes")
        entries[name] = _Entry(info["dtype"], tuple(shape), data_start + offsets[0], data_start + offsets[1])
    return entries, metadata


def _is_count(value: object, bound: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= bound


class _Shard:
    """One shard: header, offsets and metadata checked when it opens; frames copied out on request."""

    def __init__(self, path: str, joint_count: int, samples: int, frames: int, size: int) -> None:
        self.path = path
        self._map: mmap.mmap | None = None
        data = self.data
        if len(data) != size:
            raise ShardFormatError(f"{path}: the file has {len(data)} bytes, but the index says {size}: it was changed or cut short after the index was written")
        entries, metadata = _read_header(data, path)
        self._check_version(metadata)
        self.joint_count = joint_count
        frames_entry = self._tensor(entries, "frames", "F32", (frames, joint_count, 3))
        self.frames_start = frames_entry.start
        self.frame_offsets = self._offsets(entries, "frame_offsets", samples, frames, MAX_FRAMES_PER_SAMPLE, "frames")
        fps = self._array(self._tensor(entries, "fps", "F64", (samples,)))
        bad_rate = np.flatnonzero(~(np.isfinite(fps) & (fps > 0)))
        if bad_rate.size:
            raise ShardFormatError(f"{path}: sample {bad_rate[0]} has fps {fps[bad_rate[0]]}; it must be a positive number")
        self.fps = fps.astype(float).tolist()
        self.columns = {key: self._column(metadata, key, samples) for key in TEXT_COLUMNS}
        self.features = self._features(entries, samples)
        # The header, offsets and rates are decoded: their pages need not stay resident.
        if hasattr(data, "madvise"):
            data.madvise(mmap.MADV_DONTNEED, 0, len(data))

    @property
    def data(self) -> mmap.mmap:
        """The file's map, opened on first use (and again in each worker process)."""
        if self._map is None:
            try:
                with open(self.path, "rb") as file:
                    self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(file.fileno()).st_size else None
            except OSError as error:
                raise ShardFormatError(f"cannot open shard {self.path}: {error.strerror}") from None
            if self._map is None:
                raise ShardFormatError(f"{self.path}: the file is empty, not a safetensors shard")
        return self._map

    def __getstate__(self) -> dict[str, Any]:
        # Maps do not cross process boundaries: a DataLoader worker maps the file again.
        state = dict(self.__dict__)
        state["_map"] = None
        return state

    def _bad(self, message: str) -> ShardFormatError:
        return ShardFormatError(f"{self.path}: {message}")

    def _check_version(self, metadata: dict[str, str]) -> None:
        if metadata.get("format") != SHARD_TAG:
            raise self._bad(f"the metadata's format is {metadata.get('format')!r}, not '{SHARD_TAG}': this is not a HybridSign shard")
        version = metadata.get("version", "")
        if not version.isdigit() or int(version) < 1:
            raise self._bad(f"the metadata's version is {version!r}, not a whole number ≥ 1")
        if int(version) > VERSION:
            raise self._bad(f"shard format version {version} is newer than this reader reads ({VERSION}); update hybridsign-torch")

    def _tensor(self, entries: dict[str, _Entry], name: str, dtype: str, shape: tuple[int, ...]) -> _Entry:
        entry = entries.get(name)
        if entry is None:
            raise self._bad(f"the tensor '{name}' is missing")
        if entry.dtype != dtype:
            raise self._bad(f"the tensor '{name}' is {entry.dtype}, not {dtype}")
        if entry.shape != shape:
            raise self._bad(f"the tensor '{name}' has shape {list(entry.shape)}; the index and the other tensors make it {list(shape)}")
        return entry

    def _array(self, entry: _Entry) -> np.ndarray:
        return np.frombuffer(self.data, dtype=_DTYPES[entry.dtype], count=entry.count, offset=entry.start).copy()

    def _offsets(self, entries: dict[str, _Entry], name: str, count: int, total: int, ceiling: int, unit: str) -> list[int]:
        offsets = self._array(self._tensor(entries, name, "I64", (count + 1,)))
        if offsets[0] != 0:
            raise self._bad(f"'{name}' starts at {offsets[0]}, not 0")
        steps = np.diff(offsets)
        wrong = np.flatnonzero((steps < 0) | (steps > ceiling))
        if wrong.size:
            raise self._bad(f"'{name}' gives sample {wrong[0]} {steps[wrong[0]]} {unit}: offsets must not decrease, and a sample holds at most {ceiling} {unit}")
        if offsets[-1] != total:
            raise self._bad(f"'{name}' ends at {offsets[-1]}, but the shard holds {total} {unit}")
        return offsets.tolist()

    def _column(self, metadata: dict[str, str], key: str, count: int) -> list[str | None]:
        if key not in metadata:
            return [None] * count
        try:
            values = json.loads(metadata[key])
        except json.JSONDecodeError:
            values = None
        if not isinstance(values, list) or len(values) != count or not all(v is None or isinstance(v, str) for v in values):
            raise self._bad(f"the metadata '{key}' must be a JSON array of {count} strings or nulls (one per sample)")
        return values

    def _features(self, entries: dict[str, _Entry], count: int) -> tuple[list[int], list[bool], int, int] | None:
        names = ("text_features", "feature_offsets", "feature_present")
        present = [n for n in names if n in entries]
        if not present:
            return None
        if len(present) != len(names):
            raise self._bad(f"text features need the tensors {', '.join(names)}; the shard has only {', '.join(present)}")
        shape = entries["text_features"].shape
        if len(shape) != 2 or not 1 <= shape[1] <= MAX_FEATURE_WIDTH:
            raise self._bad(f"'text_features' has shape {list(shape)}; it must be rows × width with a width of 1...{MAX_FEATURE_WIDTH}")
        values = self._tensor(entries, "text_features", "F32", shape)
        rows = self._offsets(entries, "feature_offsets", count, shape[0], MAX_FEATURE_ROWS, "feature rows")
        flags = self._array(self._tensor(entries, "feature_present", "U8", (count,)))
        for i, flag in enumerate(flags.tolist()):
            if flag > 1:
                raise self._bad(f"'feature_present' holds {flag} for sample {i}; it must be 0 or 1")
            if flag == 0 and rows[i + 1] != rows[i]:
                raise self._bad(f"sample {i} has no text features but {rows[i + 1] - rows[i]} feature rows")
        return rows, [bool(f) for f in flags.tolist()], shape[1], values.start

    def __len__(self) -> int:
        return len(self.fps)

    def frame_count(self, index: int) -> int:
        return self.frame_offsets[index + 1] - self.frame_offsets[index]

    def feature_rows(self, index: int) -> int | None:
        if self.features is None or not self.features[1][index]:
            return None
        return self.features[0][index + 1] - self.features[0][index]

    def summary(self, index: int) -> SampleSummary:
        c = self.columns
        return SampleSummary(c["name"][index], c["text"][index], c["gloss"][index], c["signer"][index],
                             self.fps[index], self.frame_count(index), self.feature_rows(index))

    def sample(self, index: int) -> PoseSample:
        frames = self._copy(self.frames_start + self.frame_offsets[index] * self.joint_count * 12,
                            self.frame_count(index) * self.joint_count * 3).reshape(-1, self.joint_count, 3)
        features = None
        rows = self.feature_rows(index)
        if rows is not None and self.features is not None:
            offsets, _, width, start = self.features
            features = torch.from_numpy(self._copy(start + offsets[index] * width * 4, rows * width).reshape(rows, width))
        c = self.columns
        return PoseSample(torch.from_numpy(frames), self.fps[index], c["name"][index], c["text"][index],
                          c["gloss"][index], c["signer"][index], features)

    def _copy(self, offset: int, count: int) -> np.ndarray:
        """``count`` float32 values at byte ``offset`` (checked when the shard opened), copied out
        of the map, whose pages are then released."""
        data = self.data
        values = np.frombuffer(data, dtype="<f4", count=count, offset=offset).copy()
        # A page fault maps more than its page (fault-around, or a whole large folio up to 2 MiB),
        # pages of earlier samples included: release that much beyond both ends too, as Swift's
        # MappedFile does (without it a pass keeps a slice of every sample resident).
        start = max(0, offset - _RELEASE_MARGIN) // _PAGE * _PAGE
        end = min(len(data), offset + count * 4 + _RELEASE_MARGIN)
        if end > start and hasattr(data, "madvise"):
            data.madvise(mmap.MADV_DONTNEED, start, end - start)
        return values


def _read_index(directory: str) -> dict[str, Any]:
    path = os.path.join(directory, INDEX_FILE)
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise ShardFormatError(f"cannot read the shard index {path}: {error.strerror}") from None
    if size > MAX_INDEX_BYTES:
        raise ShardFormatError(f"{path}: the index has {size} bytes, above the limit of {MAX_INDEX_BYTES}")
    try:
        with open(path, "rb") as file:
            index = json.loads(file.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ShardFormatError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(index, dict) or index.get("format") != INDEX_TAG:
        raise ShardFormatError(f'{path}: "format" must be "{INDEX_TAG}": this is not the index of a HybridSign sharded dataset')
    version = index.get("version")
    if not _is_count(version, 2**31) or version < 1:
        raise ShardFormatError(f'{path}: "version" must be a whole number ≥ 1')
    if version > VERSION:
        raise ShardFormatError(f"{path}: sharded dataset version {version} is newer than this reader reads ({VERSION}); update hybridsign-torch")
    shards = index.get("shards")
    if not isinstance(shards, list):
        raise ShardFormatError(f'{path}: "shards" must be an array')
    if len(shards) > MAX_SHARDS:
        raise ShardFormatError(f"{path}: the index lists {len(shards)} shards, above the limit of {MAX_SHARDS}")
    seen: set[str] = set()
    for position, shard in enumerate(shards):
        file = shard.get("file") if isinstance(shard, dict) else None
        if (not isinstance(file, str) or not file.endswith(".safetensors") or file.startswith(".")
                or len(file.encode()) > 255 or any(c in "/\\" or ord(c) < 0x20 for c in file)):
            raise ShardFormatError(f'{path}: shard {position} needs a "file": a plain file name ending in .safetensors (no directories)')
        if file in seen:
            raise ShardFormatError(f"{path}: shard {position} repeats the file {file!r}")
        seen.add(file)
        samples = shard.get("samples")
        bounds = {"samples": (1, MAX_SAMPLES_PER_SHARD),
                  "frames": (0, samples * MAX_FRAMES_PER_SAMPLE if _is_count(samples, MAX_SAMPLES_PER_SHARD) else 0),
                  "bytes": (8, 2**62)}
        for key, (low, high) in bounds.items():
            value = shard.get(key)
            if not _is_count(value, high) or value < low:
                raise ShardFormatError(f'{path}: shard {position} ({file!r}) needs "{key}": a whole number in {low}...{high}')
    for key in ("samples", "frames"):
        if index.get(key) != sum(shard[key] for shard in shards):
            raise ShardFormatError(f'{path}: "{key}" must be {sum(shard[key] for shard in shards)}, the sum over the shards')
    index["layout"] = _layout(index.get("layout"), path)
    return index


def _layout(value: object, path: str) -> Layout:
    def bad(message: str) -> ShardFormatError:
        return ShardFormatError(f"{path} layout: {message}")

    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        raise bad('a layout must be an object with a "name" string')
    joints = value.get("joints")
    if not isinstance(joints, list) or not all(isinstance(j, str) for j in joints) or not joints:
        raise bad('"joints" must be an array of joint names')
    parts_value = value.get("parts")
    if isinstance(parts_value, dict):
        parts = list(parts_value.items())
    elif isinstance(parts_value, list) and all(isinstance(p, dict) for p in parts_value):
        parts = [(p.get("name"), p.get("joints")) for p in parts_value]
    else:
        raise bad('"parts" must be an object {"part name": [joint indices], ...}')
    owner = [0] * len(joints)
    for name, members in parts:
        if not isinstance(name, str) or not isinstance(members, list) or not all(_is_count(j, len(joints) - 1) for j in members):
            raise bad(f"part {name!r} must list joint indices inside the {len(joints)} joints")
        for j in members:
            owner[j] += 1
    if any(count != 1 for count in owner):
        raise bad(f"joint {next(i for i, c in enumerate(owner) if c != 1)} must belong to exactly one part")
    bones = value.get("bones", [])
    if not isinstance(bones, list) or not all(isinstance(b, list) and len(b) == 2 and all(_is_count(j, len(joints) - 1) for j in b) for b in bones):
        raise bad('"bones" must be [a, b] pairs of joint indices')
    return Layout(value["name"], tuple(joints), tuple((n, tuple(m)) for n, m in parts), tuple((a, b) for a, b in bones))


class ShardDataset(Dataset[PoseSample]):
    """A sharded dataset, memory-mapped: ``dataset[i]`` copies sample ``i`` out of its shard.

    The samples are in the order Swift's ``load`` gives them. ``frame_counts`` and ``summary(i)``
    answer without reading frames (for batching by length and fitting vocabularies). Safe to hand
    to DataLoader workers: each maps the files again on first use.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = os.fspath(directory)
        index = _read_index(self.directory)
        self.layout: Layout = index["layout"]
        self._shards = [
            _Shard(os.path.join(self.directory, entry["file"]), self.layout.joint_count, entry["samples"], entry["frames"], entry["bytes"])
            for entry in index["shards"]
        ]
        self._starts = np.cumsum([0] + [len(shard) for shard in self._shards])
        self.frame_counts = np.array([shard.frame_count(i) for shard in self._shards for i in range(len(shard))], dtype=np.int64)

    def __len__(self) -> int:
        return int(self._starts[-1])

    def _locate(self, index: int) -> tuple[_Shard, int]:
        if not -len(self) <= index < len(self):
            raise IndexError(f"sample index {index} is outside the dataset's {len(self)} samples")
        index %= len(self)
        shard = int(np.searchsorted(self._starts, index, side="right")) - 1
        return self._shards[shard], index - int(self._starts[shard])

    def __getitem__(self, index: int) -> PoseSample:
        shard, local = self._locate(index)
        return shard.sample(local)

    def summary(self, index: int) -> SampleSummary:
        shard, local = self._locate(index)
        return shard.summary(local)

    def __iter__(self) -> Iterator[PoseSample]:
        for index in range(len(self)):
            yield self[index]


class _SplitMix64:
    """Swift's ``SeededGenerator`` (SplitMix64 with Lemire-free rejection and a written-out
    Fisher–Yates shuffle), so batch orders match the Swift trainer's bit for bit."""

    MASK = (1 << 64) - 1

    def __init__(self, seed: int) -> None:
        self.state = seed & self.MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, bound: int) -> int:
        threshold = ((1 << 64) - bound) % bound
        while True:
            value = self.next()
            if value >= threshold:
                return value % bound

    def shuffle(self, items: list[Any]) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def batch_indices(frame_counts: Sequence[int], batch_size: int, seed: int, epoch: int, *,
                  bucket_by_length: bool = True, pool_batches: int = 50, drop_last: bool = False) -> list[list[int]]:
    """The batches of ``epoch`` exactly as Swift's ``PoseBatcher.batchIndices(epoch:)``: shuffle,
    sort pools of ``pool_batches × batch_size`` samples by length, cut into batches, shuffle those."""
    if batch_size < 1 or pool_batches < 1:
        raise ValueError(f"batch size and pool size must be at least 1, not {batch_size} and {pool_batches}")
    generator = _SplitMix64(seed ^ (((epoch & _SplitMix64.MASK) * 0xD1B54A32D192ED03) & _SplitMix64.MASK))
    order = list(range(len(frame_counts)))
    generator.shuffle(order)
    batches: list[list[int]] = []

    def cut(indices: list[int]) -> None:
        for start in range(0, len(indices), batch_size):
            batch = indices[start : start + batch_size]
            if len(batch) == batch_size or not drop_last:
                batches.append(batch)

    if not bucket_by_length:
        cut(order)
        return batches
    pool = pool_batches * batch_size
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        # Sorted by length; the shuffled position breaks ties (a stable sort keeps it).
        cut(sorted(chunk, key=lambda index: frame_counts[index]))
    generator.shuffle(batches)
    return batches


def rank_share(batch: Sequence[int], rank: int, world_size: int) -> list[int]:
    """Rank ``rank``'s contiguous part of a global batch: sizes differ by at most one, the first
    ranks take the larger parts (a rank gets nothing when the batch is smaller than the world)."""
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} is outside a world of {world_size}")
    base, extra = divmod(len(batch), world_size)
    start = rank * base + min(rank, extra)
    return list(batch[start : start + base + (1 if rank < extra else 0)])


class ShardBatchSampler(Sampler[list[int]]):
    """Yields this rank's share of each global batch of an epoch, in the Swift trainer's order.

    Every rank computes the same global batches from the seed and the epoch (no communication) and
    takes its :func:`rank_share`, so the ranks together see each global batch once. Call
    :meth:`set_epoch` before each epoch, as with ``DistributedSampler``.
    """

    def __init__(self, frame_counts: Sequence[int], batch_size: int, seed: int, *, rank: int = 0, world_size: int = 1,
                 bucket_by_length: bool = True, pool_batches: int = 50, drop_last: bool = False) -> None:
        if not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} is outside a world of {world_size}")
        self.frame_counts = [int(c) for c in frame_counts]
        self.batch_size, self.seed, self.rank, self.world_size = batch_size, seed, rank, world_size
        self.bucket_by_length, self.pool_batches, self.drop_last = bucket_by_length, pool_batches, drop_last
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def global_batches(self) -> list[list[int]]:
        return batch_indices(self.frame_counts, self.batch_size, self.seed, self.epoch, bucket_by_length=self.bucket_by_length,
                             pool_batches=self.pool_batches, drop_last=self.drop_last)

    def __iter__(self) -> Iterator[list[int]]:
        for batch in self.global_batches():
            yield rank_share(batch, self.rank, self.world_size)

    def __len__(self) -> int:
        return len(self.global_batches())
