"""Pose sequences and datasets as the twin holds them (PoseData's ``PoseSequence`` / ``PoseDataset``).

A sample is ``values`` ``[T, J, 3]`` float32 — (x, y, confidence) per joint, confidence 0 = missing —
with its frame rate, text and optional precomputed sentence features ``[L, width]``. Sources
(``sources.py``) yield samples one at a time, so a dataset larger than memory is never loaded whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol, Sequence

import numpy as np

from .layout import Layout


class DataError(ValueError):
    """Data the twin cannot train on or read; the message names the file or sample and what to do."""


@dataclass
class PoseSample:
    values: np.ndarray  # [T, J, 3] float32
    fps: float
    text: str | None = None
    name: str | None = None
    gloss: str | None = None
    signer: str | None = None
    text_features: np.ndarray | None = None  # [L, width] float32

    @property
    def frame_count(self) -> int:
        return int(self.values.shape[0])

    def label(self, index: int, role: str = "sample") -> str:
        return f"{role} {index}" + (f" ('{self.name}')" if self.name else "")


class PoseSource(Protocol):
    """What the trainer reads: a layout, a sample count, samples by index, frame counts without
    loading the samples (for length bucketing). The sharded dataset and the in-memory JSON dataset
    both provide it."""

    layout: Layout

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> PoseSample: ...

    def frame_counts(self) -> Sequence[int]: ...


class PoseDataset:
    """Samples held in memory (a JSON dataset, or samples made in code)."""

    def __init__(self, layout: Layout, samples: list[PoseSample]) -> None:
        for index, sample in enumerate(samples):
            if sample.values.ndim != 3 or sample.values.shape[1:] != (layout.joint_count, 3):
                raise DataError(f"sample {index} has values of shape {tuple(sample.values.shape)}; "
                                f"the layout '{layout.name}' needs [T, {layout.joint_count}, 3]")
        self.layout = layout
        self.samples = samples

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> PoseSample:
        return self.samples[index]

    def __iter__(self) -> Iterator[PoseSample]:
        return iter(self.samples)

    def frame_counts(self) -> list[int]:
        return [s.frame_count for s in self.samples]

    def to_json(self) -> str:
        """The dataset in PoseData's JSON form (``Docs/data-formats.md``)."""
        samples = []
        for s in self.samples:
            entry: dict[str, object] = {k: v for k, v in (("name", s.name), ("text", s.text), ("gloss", s.gloss),
                                                         ("signer", s.signer)) if v is not None}
            entry["fps"] = s.fps
            entry["frames"] = s.values.tolist()
            if s.text_features is not None:
                entry["text_features"] = s.text_features.tolist()
            samples.append(entry)
        layout = json.loads(self.layout.json_string())
        return json.dumps({"layout": layout, "samples": samples}, ensure_ascii=False)


def read_json_dataset(path: str | Path) -> PoseDataset:
    """Reads a dataset in PoseData's JSON form; errors name the file and sample."""
    path = Path(path)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(f"{path}: cannot read a JSON dataset ({error})") from None
    if not isinstance(obj, dict) or "samples" not in obj or "layout" not in obj:
        raise DataError(f"{path}: a JSON dataset is an object with 'layout' and 'samples'")
    layout = Layout.from_json(obj["layout"], context=f"{path}: layout")
    samples = []
    for index, raw in enumerate(obj["samples"]):
        where = f"{path}: sample {index}"
        if not isinstance(raw, dict) or "frames" not in raw or "fps" not in raw:
            raise DataError(f"{where} needs 'frames' and 'fps'")
        fps = raw["fps"]
        if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not fps > 0 or not np.isfinite(fps):
            raise DataError(f"{where}: 'fps' must be a positive number, not {fps!r}")
        try:
            values = np.asarray(raw["frames"], dtype=np.float32)
            if values.size == 0:
                values = values.reshape(0, layout.joint_count, 3)
        except (ValueError, TypeError):
            raise DataError(f"{where}: 'frames' must be frames of [x, y, confidence] per joint, all of one size") from None
        if values.ndim != 3 or values.shape[1:] != (layout.joint_count, 3):
            raise DataError(f"{where}: frames have shape {values.shape}; the layout needs [T, {layout.joint_count}, 3]")
        features = None
        if raw.get("text_features") is not None:
            try:
                features = np.asarray(raw["text_features"], dtype=np.float32)
            except (ValueError, TypeError):
                raise DataError(f"{where}: 'text_features' must be rows of numbers of one width") from None
            if features.ndim != 2:
                raise DataError(f"{where}: 'text_features' must be L rows of equal width")
        text_fields = {}
        for key in ("text", "name", "gloss", "signer"):
            value = raw.get(key)
            if value is not None and not isinstance(value, str):
                raise DataError(f"{where}: '{key}' must be a string or null")
            text_fields[key] = value
        samples.append(PoseSample(values=values, fps=float(fps), text_features=features, **text_fields))
    return PoseDataset(layout, samples)
