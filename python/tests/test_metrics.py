"""DTW-MJE: the warping path, the counted frames, the variants (Swift's agreement is TwinMetricsTests)."""

from __future__ import annotations

import numpy as np

from conftest import TINY_LAYOUT
from hybridsign_torch.metrics import DatasetMetrics, align, compare, dtw_mje


def walk(frames: int, offset: float = 0.0, lift: float = 0.0) -> np.ndarray:
    values = np.zeros((frames, 6, 3), dtype=np.float32)
    values[:, :, 0] = np.arange(frames)[:, None] + offset
    values[:, :, 1] = lift
    values[:, :, 2] = 1
    return values


def test_identical_sequences_score_zero_and_a_shift_scores_it() -> None:
    assert dtw_mje(walk(5), walk(5)) == 0
    assert abs(dtw_mje(walk(5, 0.5), walk(5)) - 0.5) < 1e-9


def test_a_slower_copy_is_aligned_by_warping() -> None:
    slow = np.repeat(walk(4), 2, axis=0)
    assert dtw_mje(slow, walk(4)) == 0
    assert align(np.zeros((2, 3))) == [(0, 0), (0, 1), (1, 2)]  # ties: the diagonal first, backwards from the end


def test_reference_frames_without_joints_do_not_count() -> None:
    reference = walk(3)
    reference[1, :, 2] = 0
    assert dtw_mje(walk(3, 1.0), reference) == 1.0


def test_hands_and_averaging() -> None:
    metrics = compare(walk(4, lift=2.0), walk(4), TINY_LAYOUT)
    assert metrics.dtw_mje_hands == 2.0 and metrics.dtw_mje_normalized is None and metrics.mje == 2.0
    average = DatasetMetrics.average([metrics, compare(walk(4), walk(4), TINY_LAYOUT)])
    assert average.dtw_mje == 1.0 and average.samples == 2
