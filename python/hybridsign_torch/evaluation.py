"""Dev evaluation during training (``EvaluationRunner``): sample each reference's text with the
reference sampler (1 flow step, τ = 0, sample k with seed k) and score DTW-MJE / MJE against it."""

from __future__ import annotations

import numpy as np

from .metrics import DatasetMetrics, compare
from .model import HybridSignModel
from .poses import DataError, PoseSource
from .sampler import sample


def evaluate(model: HybridSignModel, dataset: PoseSource, limit: int | None = None, steps: int = 1, seed: int = 0) -> DatasetMetrics | None:
    if not dataset.layout.same_parts(model.config.layout):
        raise DataError(f"the data follows layout '{dataset.layout.name}'; the model was built for '{model.config.layout.name}'")
    count = len(dataset) if limit is None else min(limit, len(dataset))
    if count == 0:
        raise DataError("the evaluation data has no samples")
    scores = []
    for k in range(count):
        reference = dataset[k]
        generated = sample(model, text=reference.text, features=reference.text_features, steps=steps, seed=seed + k)
        metrics = compare(generated.values, reference.values, dataset.layout)
        if metrics is not None:
            scores.append(metrics)
    return DatasetMetrics.average(scores)


def summary(metrics: DatasetMetrics | None) -> str:
    """One line, as ``hybridsign train`` prints its dev scores."""
    if metrics is None:
        return "no reference frame showed any joint"

    def figure(value: float | None) -> str:
        return "null" if value is None or not np.isfinite(value) else f"{value:.6g}"

    return (f"DTW-MJE {metrics.dtw_mje:.2f} (normalised {figure(metrics.dtw_mje_normalized)}, hands {figure(metrics.dtw_mje_hands)}), "
            f"MJE {metrics.mje:.2f}, {metrics.samples} samples")
