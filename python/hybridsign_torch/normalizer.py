"""PoseData's ``Normalizer``: confidence-weighted per-channel standardisation of x and y."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from . import swift_json
from .poses import DataError

#: Standard deviations below this are replaced by 1 (a constant channel is shifted, not blown up).
MINIMUM_STANDARD_DEVIATION = np.float32(1e-6)


@dataclass(frozen=True)
class Normalizer:
    """x' = (x − mean_x) / std_x, y' = (y − mean_y) / std_y; missing joints (c = 0) get x = y = 0."""

    mean_x: np.float32
    mean_y: np.float32
    std_x: np.float32
    std_y: np.float32

    @classmethod
    def fit(cls, samples: Iterable[np.ndarray]) -> "Normalizer":
        """Fits mean = Σc·v/Σc and std = √(Σc·(v − mean)²/Σc) over every joint of every frame, in
        double, two passes (as Swift). ``samples`` yields ``[T, J, 3]`` arrays and is iterated twice
        (a list, or a re-iterable view of a dataset that reads one sample at a time)."""
        weight = sum_x = sum_y = 0.0
        for values in samples:
            flat = values.reshape(-1, 3).astype(np.float64)
            c = np.where(flat[:, 2] > 0, flat[:, 2], 0.0)
            weight += float(c.sum())
            sum_x += float((c * flat[:, 0]).sum())
            sum_y += float((c * flat[:, 1]).sum())
        if not (weight > 0 and np.isfinite(weight) and np.isfinite(sum_x) and np.isfinite(sum_y)):
            raise DataError("cannot fit normalisation statistics: the data holds non-finite values" if weight > 0
                            else "cannot fit normalisation statistics: no joint has a confidence above 0")
        mean_x, mean_y = sum_x / weight, sum_y / weight
        squares_x = squares_y = 0.0
        for values in samples:
            flat = values.reshape(-1, 3).astype(np.float64)
            c = np.where(flat[:, 2] > 0, flat[:, 2], 0.0)
            squares_x += float((c * (flat[:, 0] - mean_x) ** 2).sum())
            squares_y += float((c * (flat[:, 1] - mean_y) ** 2).sum())

        def deviation(squares: float) -> np.float32:
            std = np.float32(np.sqrt(squares / weight))
            return std if std >= MINIMUM_STANDARD_DEVIATION and np.isfinite(std) else np.float32(1)

        return cls(np.float32(mean_x), np.float32(mean_y), deviation(squares_x), deviation(squares_y))

    @classmethod
    def identity(cls) -> "Normalizer":
        return cls(np.float32(0), np.float32(0), np.float32(1), np.float32(1))

    def normalize(self, values: np.ndarray) -> np.ndarray:
        """``[..., 3]`` (x, y, c) → normalised copy; missing joints x = y = 0."""
        out = np.array(values, dtype=np.float32, copy=True)
        visible = out[..., 2] > 0
        one = np.float32(1)
        out[..., 0] = np.where(visible, (out[..., 0] - self.mean_x) * (one / self.std_x), 0)
        out[..., 1] = np.where(visible, (out[..., 1] - self.mean_y) * (one / self.std_y), 0)
        return out

    def denormalize(self, values: np.ndarray) -> np.ndarray:
        out = np.array(values, dtype=np.float32, copy=True)
        visible = out[..., 2] > 0
        out[..., 0] = np.where(visible, out[..., 0] * self.std_x + self.mean_x, 0)
        out[..., 1] = np.where(visible, out[..., 1] * self.std_y + self.mean_y, 0)
        return out

    def to_json(self) -> str:
        return swift_json.dumps({"meanX": self.mean_x, "meanY": self.mean_y, "stdX": self.std_x, "stdY": self.std_y})

    @classmethod
    def from_json(cls, text: str) -> "Normalizer":
        obj = json.loads(text)
        values = [np.float32(obj[k]) for k in ("meanX", "meanY", "stdX", "stdY")]
        if not all(np.isfinite(v) for v in values) or values[2] <= 0 or values[3] <= 0:
            raise DataError(f"normaliser statistics must be finite with positive deviations, not {obj}")
        return cls(*values)
