"""DTW-MJE and MJE exactly as ``Sources/Evaluation`` computes them (the Swift test ``TwinMetricsTests``
checks the two agree on fixed inputs).

- DTW-MJE: exact dynamic time warping between the generated and the reference frames, frame cost the
  mean L2 joint distance over the joints present in the reference frame (confidence > 0); the value is
  the mean cost along the optimal path over the reference frames that show any joint. Ties prefer the
  diagonal step, then the step that advances the generated side.
- normalised: divided by the reference's mean shoulder width; hands: only joints of parts named ``*hand*``.
- MJE: the generated sequence linearly resampled to the reference's length, then the mean frame cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layout import Layout


@dataclass
class SequenceMetrics:
    dtw_mje: float
    dtw_mje_normalized: float | None
    dtw_mje_hands: float | None
    mje: float


@dataclass
class DatasetMetrics:
    """Means over samples of the figures that exist (a sample without hands does not count for hands)."""

    dtw_mje: float
    dtw_mje_normalized: float | None
    dtw_mje_hands: float | None
    mje: float
    samples: int

    @classmethod
    def average(cls, metrics: list[SequenceMetrics]) -> "DatasetMetrics | None":
        if not metrics:
            return None

        def mean(values: list[float]) -> float | None:
            return sum(values) / len(values) if values else None

        return cls(mean([m.dtw_mje for m in metrics]), mean([m.dtw_mje_normalized for m in metrics if m.dtw_mje_normalized is not None]),
                   mean([m.dtw_mje_hands for m in metrics if m.dtw_mje_hands is not None]), mean([m.mje for m in metrics]), len(metrics))

    def as_json(self) -> dict[str, float | int | None]:
        return {"dtw_mje": self.dtw_mje, "dtw_mje_norm": self.dtw_mje_normalized, "dtw_mje_hands": self.dtw_mje_hands,
                "mje": self.mje, "samples": self.samples}


def frame_costs(generated: np.ndarray, reference: np.ndarray, joints: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Costs ``[Tg, Tr]`` (mean distance over the chosen joints present in the reference frame) and
    which reference frames count (any chosen joint present). Values ``[T, J, 3]``."""
    if joints is not None:
        generated, reference = generated[:, joints], reference[:, joints]
    present = reference[:, :, 2] > 0  # [Tr, J]
    # Differences in float32, as Swift subtracts Floats before widening.
    dx = (generated[:, None, :, 0] - reference[None, :, :, 0]).astype(np.float64)
    dy = (generated[:, None, :, 1] - reference[None, :, :, 1]).astype(np.float64)
    distances = np.sqrt(dx * dx + dy * dy) * present[None]
    counts = present.sum(axis=1)
    costs = np.where(counts[None] > 0, distances.sum(axis=2) / np.maximum(counts[None], 1), 0.0)
    return costs, counts > 0


def align(costs: np.ndarray) -> list[tuple[int, int]]:
    """The optimal warping path from (0, 0) to (n−1, m−1) (steps (1, 0), (0, 1), (1, 1))."""
    rows, columns = costs.shape
    accumulated = np.full((rows, columns), np.inf)
    for i in range(rows):
        for j in range(columns):
            if i == 0 and j == 0:
                accumulated[0, 0] = costs[0, 0]
                continue
            best = np.inf
            if i > 0 and j > 0:
                best = accumulated[i - 1, j - 1]
            if i > 0:
                best = min(best, accumulated[i - 1, j])
            if j > 0:
                best = min(best, accumulated[i, j - 1])
            accumulated[i, j] = best + costs[i, j]
    i, j = rows - 1, columns - 1
    steps = [(i, j)]
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            diagonal, up, left = accumulated[i - 1, j - 1], accumulated[i - 1, j], accumulated[i, j - 1]
            if diagonal <= up and diagonal <= left:
                i, j = i - 1, j - 1
            elif up <= left:
                i -= 1
            else:
                j -= 1
        steps.append((i, j))
    return steps[::-1]


def dtw_mje(generated: np.ndarray, reference: np.ndarray, joints: np.ndarray | None = None) -> float | None:
    costs, counted = frame_costs(generated, reference, joints)
    if not counted.any():
        return None
    path = [(i, j) for i, j in align(costs) if counted[j]]
    return float(sum(costs[i, j] for i, j in path) / len(path))


def resample(values: np.ndarray, frames: int) -> np.ndarray:
    """x and y linearly resampled to ``frames`` frames (ends kept); confidence from the nearer frame."""
    source = values.shape[0]
    if source <= 1 or frames <= 1:
        return np.repeat(values[:1], frames, axis=0)
    out = np.zeros((frames,) + values.shape[1:], dtype=np.float32)
    for frame in range(frames):
        position = frame * (source - 1) / (frames - 1)
        lower = min(int(position), source - 2)
        w = np.float32(position - lower)
        a, b = values[lower], values[lower + 1]
        out[frame, :, :2] = a[:, :2] * (np.float32(1) - w) + b[:, :2] * w
        out[frame, :, 2] = a[:, 2] if w < 0.5 else b[:, 2]
    return out


def shoulder_width(reference: np.ndarray, layout: Layout) -> float | None:
    if "right_shoulder" not in layout.joints or "left_shoulder" not in layout.joints:
        return None
    right, left = reference[:, layout.joints.index("right_shoulder")], reference[:, layout.joints.index("left_shoulder")]
    both = (right[:, 2] > 0) & (left[:, 2] > 0)
    if not both.any():
        return None
    dx = (right[both, 0] - left[both, 0]).astype(np.float64)
    dy = (right[both, 1] - left[both, 1]).astype(np.float64)
    total = float(np.sqrt(dx * dx + dy * dy).sum())
    return total / int(both.sum()) if total > 0 else None


def compare(generated: np.ndarray, reference: np.ndarray, layout: Layout) -> SequenceMetrics | None:
    """All figures for one pair of ``[T, J, 3]`` sequences in ``layout`` (None: the reference shows no joint)."""
    if generated.shape[0] == 0 or reference.shape[0] == 0:
        raise ValueError("cannot compare an empty sequence")
    dtw = dtw_mje(generated, reference)
    if dtw is None:
        return None
    hand_joints = np.array([j for part in layout.parts if "hand" in part.name for j in part.joints], dtype=np.int64)
    hands = dtw_mje(generated, reference, hand_joints) if hand_joints.size else None
    width = shoulder_width(reference, layout)
    costs, counted = frame_costs(resample(generated, reference.shape[0]), reference, None)
    diagonal = [costs[f, f] for f in range(reference.shape[0]) if counted[f]]
    mje = sum(diagonal) / len(diagonal) if diagonal else dtw
    return SequenceMetrics(dtw, dtw / width if width is not None else None, hands, mje)
