"""Training batches as the Swift trainer makes them: PoseData's ``PoseBatcher`` order (seeded epochs,
length buckets; ``shards.batch_indices``) and HybridSign's ``TrainingData`` (model space, padded). Step k uses batch k mod (batches per
epoch) of epoch k / (batches per epoch), so a resumed run sees the same data as an uninterrupted one,
in either engine. Samples are read when their batch is made: a dataset need not fit in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from .model import DataMapping, check_dataset
from .poses import DataError, PoseSource
from .shards import batch_indices
from .vocabulary import UnsupportedText

@dataclass
class ModelBatch:
    """A padded batch in model space: ``coordinates`` ``[B, T, J, 2]``, ``confidence`` ``[B, T, J]`` (0 on
    padding), lengths, text ids, (``text: sentence``) features ``[L, width]`` and signer ids (0 = none)
    per sequence."""

    coordinates: np.ndarray
    confidence: np.ndarray
    lengths: list[int]
    text_ids: list[list[int]]
    features: list[np.ndarray] | None
    signer_ids: list[int]

    @property
    def batch_size(self) -> int:
        return len(self.lengths)

    @property
    def max_frames(self) -> int:
        return self.coordinates.shape[1]

    def sequences(self, start: int, end: int) -> "ModelBatch":
        """Sequences ``start..<end``, padded to their own longest length."""
        length = max(self.lengths[start:end], default=1)
        return ModelBatch(self.coordinates[start:end, :length], self.confidence[start:end, :length], self.lengths[start:end],
                          self.text_ids[start:end], None if self.features is None else self.features[start:end],
                          self.signer_ids[start:end])


class TrainingData:
    """A dataset prepared for a model: checked, batched by length with a seeded order; each batch is
    read and converted to model space when it is asked for."""

    def __init__(self, dataset: PoseSource, mapping: DataMapping, batch_size: int, seed: int, check: bool = True) -> None:
        if check:
            check_dataset(dataset, mapping.config, "training")
            self._check_texts(dataset, mapping)
        self.dataset = dataset
        self.mapping = mapping
        if batch_size < 1:
            raise DataError(f"batch size must be at least 1, not {batch_size}")
        self.frame_counts = list(dataset.frame_counts())
        self.batch_size = batch_size
        self.seed = seed
        self.batches_per_epoch = max(len(self.epoch_batches(0)), 1)
        self._epoch: tuple[int, list[list[int]]] | None = None

    @staticmethod
    def _check_texts(dataset: PoseSource, mapping: DataMapping) -> None:
        config = mapping.config
        for index in range(len(dataset)):
            sample = dataset[index]
            if config.text != "sentence":
                try:
                    mapping.text_ids(sample.text or "")
                except UnsupportedText as error:
                    raise DataError(f"{sample.label(index)}: {error}") from None
            if config.signer_conditioning:
                try:
                    mapping.signer_id(sample.signer)
                except ValueError as error:
                    raise DataError(f"{sample.label(index)}: {error}") from None
            if config.text == "sentence" and (sample.text_features is None or sample.text_features.shape[1] != config.sentence_width):
                raise DataError(f"sample {index} has no sentence features of width {config.sentence_width}, which text: sentence needs")

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        """The batches of ``epoch`` in PoseData's ``PoseBatcher`` order (the one definition in ``shards``)."""
        return batch_indices(self.frame_counts, self.batch_size, self.seed, epoch)

    def indices(self, step: int) -> list[int]:
        """Dataset indices of the batch of global step ``step``."""
        epoch = step // self.batches_per_epoch
        if self._epoch is None or self._epoch[0] != epoch:
            self._epoch = (epoch, self.epoch_batches(epoch))
        return self._epoch[1][step % self.batches_per_epoch]

    def batch(self, step: int) -> ModelBatch:
        return self.batch_of(self.indices(step))

    def batch_of(self, indices: list[int]) -> ModelBatch:
        mapping, config = self.mapping, self.mapping.config
        items = []
        for index in indices:
            sample = self.dataset[index]
            coordinates, confidence = mapping.model_space(sample.values, config.max_frames)
            ids = mapping.text_ids(sample.text or "") if config.text != "sentence" else []
            signer = mapping.signer_id(sample.signer) if config.signer_conditioning else 0
            items.append((coordinates, confidence, ids, sample.text_features, signer))
        b, t, j = len(items), max(item[1].shape[0] for item in items), mapping.part_order.shape[0]
        coordinates = np.zeros((b, t, j, 2), dtype=np.float32)
        confidence = np.zeros((b, t, j), dtype=np.float32)
        for k, (xy, c, _, _, _) in enumerate(items):
            coordinates[k, :xy.shape[0]] = xy
            confidence[k, :c.shape[0]] = c
        features = [item[3] for item in items] if all(item[3] is not None for item in items) else None
        return ModelBatch(coordinates, confidence, [item[1].shape[0] for item in items], [item[2] for item in items], features,
                          [item[4] for item in items])
