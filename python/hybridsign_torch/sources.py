"""Where the twin's training data comes from (``--data``).

- a sharded dataset (a directory with ``index.json``, written by ``hybridsign convert IN DIR --shards N``):
  read through ``hybridsign_torch.shards``, memory-mapped, one sample at a time;
- a dataset JSON file (``hybridsign convert IN OUT.json``): parsed here (JSON cannot execute anything);
- anything else ``hybridsign`` reads (``.pkl``, ``.pkl.gz``, ``.pose``, a directory of ``.pose`` files):
  converted once by the ``hybridsign`` tool into a cache, then read as above. The twin never unpickles:
  a pickle can run code when loaded, and the Swift reader is the one place that decodes pickles safely
  (Docs/pickle.md); it also maps MediaPipe ``.pose`` files to OpenPose-137 as ``hybridsign train`` does,
  so both engines train on the same samples.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np

from .layout import Layout, Part
from .poses import DataError, PoseSample, PoseSource, read_json_dataset

SHARD_INDEX = "index.json"


def hybridsign_binary() -> str:
    """The ``hybridsign`` executable: ``$HYBRIDSIGN_BIN``, the one on ``PATH``, or this checkout's build."""
    chosen = os.environ.get("HYBRIDSIGN_BIN")
    if chosen:
        if not os.access(chosen, os.X_OK):
            raise DataError(f"HYBRIDSIGN_BIN is {chosen}, which is not an executable: build it (`make build`) or fix the variable")
        return chosen
    candidates = [shutil.which("hybridsign"),
                  str(Path(__file__).resolve().parents[2] / ".build" / "release" / "hybridsign")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise DataError("converting this data needs the hybridsign tool: build it (`make build` in the repository), put it on PATH "
                    "or set HYBRIDSIGN_BIN; or convert the data yourself with `hybridsign convert DATA DATA.json`")


def open_source(path: str | Path, cache: str | Path | None = None) -> PoseSource:
    """The dataset at ``path`` as a ``PoseSource`` (see the module note for the forms)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or directory")
    if path.is_dir() and (path / SHARD_INDEX).exists():
        return open_shards(path)
    if path.suffix.lower() == ".json":
        return read_json_dataset(path)
    return read_json_dataset(convert(path, cache))


def open_shards(path: Path) -> PoseSource:
    try:
        from . import shards
    except ImportError:
        raise DataError(f"{path} is a sharded dataset, but this installation has no shard reader (hybridsign_torch.shards)") from None
    try:
        return ShardSource(shards.ShardDataset(path))
    except shards.ShardFormatError as error:
        raise DataError(str(error)) from None


class ShardSource:
    """A ``shards.ShardDataset`` (memory-mapped shards) as a ``PoseSource``: samples as the twin holds them."""

    def __init__(self, dataset) -> None:
        self.dataset = dataset
        raw = dataset.layout
        self.layout = Layout(raw.name, tuple(raw.joints), tuple(Part(name, tuple(joints)) for name, joints in raw.parts),
                             tuple(tuple(bone) for bone in raw.bones))

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> PoseSample:
        s = self.dataset[index]
        features = None if s.text_features is None else np.asarray(s.text_features, dtype=np.float32)
        return PoseSample(np.asarray(s.frames, dtype=np.float32), float(s.fps), text=s.text, name=s.name, gloss=s.gloss,
                          signer=s.signer, text_features=features)

    def frame_counts(self) -> list[int]:
        return [int(n) for n in self.dataset.frame_counts]


def convert(path: Path, cache: str | Path | None = None) -> Path:
    """``hybridsign convert PATH CACHE/<key>.json`` unless the cache already holds this file's
    conversion (keyed by its absolute path, size and modification time)."""
    cache = Path(cache) if cache is not None else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hybridsign-torch"
    stat = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:24]
    target = cache / f"{path.name}.{key}.json"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    # hybridsign writes atomically: a reader never sees half a file, and a failed run leaves nothing.
    result = subprocess.run([hybridsign_binary(), "convert", str(path), str(target)], capture_output=True, text=True)
    if result.returncode != 0:
        raise DataError(f"hybridsign convert {path} failed: {result.stderr.strip() or result.stdout.strip()}")
    return target
