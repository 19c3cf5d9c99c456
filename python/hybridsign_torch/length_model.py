"""The length model: frames ≈ a + b·units, least squares over the training set (``LengthModel``)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Sequence

from . import swift_json


@dataclass(frozen=True)
class LengthModel:
    intercept: float
    slope: float

    @classmethod
    def fit(cls, units: Sequence[int], frames: Sequence[int]) -> "LengthModel":
        """Least-squares fit of ``frames`` on ``units`` in double; one distinct length gives a constant."""
        n = float(len(units))
        if n == 0:
            return cls(60.0, 0.0)
        mx = float(sum(units)) / n
        my = float(sum(frames)) / n
        sxy = sxx = 0.0
        for u, f in zip(units, frames):
            sxy += (u - mx) * (f - my)
            sxx += (u - mx) * (u - mx)
        slope = sxy / sxx if sxx > 0 else 0.0
        return cls(my - slope * mx, slope)

    def frames(self, units: int, maximum: int) -> int:
        """Predicted frames for a text of ``units`` units, clamped to 2...maximum."""
        f = _round_half_away(self.intercept + self.slope * units)
        return int(min(float(maximum), max(2.0, f if math.isfinite(f) else 2.0)))

    def to_json(self) -> str:
        return swift_json.dumps({"intercept": float(self.intercept), "slope": float(self.slope)})

    @classmethod
    def from_json(cls, text: str) -> "LengthModel":
        obj = json.loads(text)
        return cls(float(obj["intercept"]), float(obj["slope"]))


def _round_half_away(x: float) -> float:
    """Swift's ``rounded()`` (to nearest, ties away from zero)."""
    if not math.isfinite(x):
        return x
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)
