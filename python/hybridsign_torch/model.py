"""A HybridSign model: the network plus the mappings between data and model space (``HybridSignModel``):
the normaliser, the text vocabulary, the length model, each joint's mean confidence, the frame rate.

Model space: normalised (x, y) per joint, joints in part order; missing joints (c = 0) have x = y = 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from .config import ConfigError, ModelConfig
from .length_model import LengthModel
from .network import HybridSignNetwork
from .normalizer import Normalizer
from .poses import DataError, PoseSample, PoseSource
from .vocabulary import TextVocabulary, UnsupportedText, characters, words


@dataclass
class DataMapping:
    """Everything that maps between data and model space, without the network (cheap to hand to
    data-loader workers): configuration, normaliser, vocabulary, length model, joint confidences, fps,
    signers (sorted; signer ``signers[k]`` has id k + 1, 0 is "no signer"; empty without signer
    conditioning) and the recommended sampling settings (``sampling``: steps, temperature)."""

    config: ModelConfig
    normalizer: Normalizer
    vocabulary: TextVocabulary | None
    length_model: LengthModel
    joint_confidence: np.ndarray
    fps: float
    signers: list[str] = field(default_factory=list)
    sampling: dict = field(default_factory=lambda: {"steps": 1, "temperature": 0.0})

    def __post_init__(self) -> None:
        self.signers = sorted(set(self.signers)) if self.config.signer_conditioning else []
        if self.config.text != "sentence" and self.vocabulary is None:
            raise ConfigError(f"text: {self.config.text} needs a vocabulary")
        if len(self.joint_confidence) != self.config.layout.joint_count:
            raise ConfigError(f"joint confidence has {len(self.joint_confidence)} values for {self.config.layout.joint_count} joints")
        self.joint_confidence = np.asarray(self.joint_confidence, dtype=np.float32)
        self.fps = float(self.fps)
        #: Layout joint index of each model-space joint.
        self.part_order = np.array(self.config.layout.part_order, dtype=np.int64)

    def signer_id(self, code: str | None) -> int:
        """Swift's ``signerID``: 0 for none; an unknown code (or any code for a model without signer
        conditioning) raises ``UnknownSigner`` listing the known ones."""
        if code is None:
            return 0
        if not self.config.signer_conditioning:
            raise UnknownSigner(f"this model was trained without signer conditioning, so it takes no signer (got '{code}'); "
                                "leave the signer out, or train with --signer-conditioning")
        if code not in self.signers:
            raise UnknownSigner(f"unknown signer '{code}'; this model knows: {', '.join(self.signers)}")
        return self.signers.index(code) + 1

    def text_ids(self, text: str) -> list[int]:
        if self.vocabulary is None:
            raise UnsupportedText("this model is conditioned on precomputed sentence features; give a sample with them instead of text")
        return self.vocabulary.encode(text)

    def model_space(self, values: np.ndarray, max_frames: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``[T, J, 3]`` data values → coordinates ``[T', J, 2]`` and confidences ``[T', J]`` in model
        space (normalised, part order, cropped to ``max_frames``)."""
        t = values.shape[0] if max_frames is None else min(values.shape[0], max_frames)
        normalized = self.normalizer.normalize(values[:t])[:, self.part_order]
        confidence = normalized[..., 2].copy()
        coordinates = np.where((confidence > 0)[..., None], normalized[..., :2], 0).astype(np.float32)
        return coordinates, confidence

    def data_space(self, coordinates: np.ndarray, confidence: np.ndarray) -> np.ndarray:
        """Model-space ``[T, J, 2]`` and ``[T, J]`` → data values ``[T, J, 3]`` in layout order."""
        t, j = confidence.shape
        values = np.zeros((t, j, 3), dtype=np.float32)
        values[:, self.part_order, :2] = coordinates
        values[:, self.part_order, 2] = confidence
        return self.normalizer.denormalize(values)


class UnknownSigner(ValueError):
    """A signer the model does not know; the message lists the ones it does."""


class HybridSignModel(DataMapping):
    """The network with its data mapping (the fields and conversions of ``DataMapping``)."""

    def __init__(self, config: ModelConfig, normalizer: Normalizer, vocabulary: TextVocabulary | None,
                 length_model: LengthModel, joint_confidence: np.ndarray, fps: float, seed: int | None,
                 signers: list[str] | None = None, sampling: dict | None = None) -> None:
        super().__init__(config, normalizer, vocabulary, length_model, joint_confidence, fps, list(signers or []),
                         dict(sampling) if sampling is not None else {"steps": 1, "temperature": 0.0})
        if config.signer_conditioning and not self.signers:
            raise ConfigError("signer conditioning needs at least one signer; the training data has no 'signer' field")
        self.network = HybridSignNetwork(config, vocabulary.size if vocabulary else 1, seed, signers=len(self.signers))
        #: The pretrained text encoder the model reads (``pretrained_text.TextEncoderRecord``), if any:
        #: its samples' ``text_features`` are that encoder's hidden states of their texts.
        self.text_encoder = None

    @property
    def mapping(self) -> DataMapping:
        """The mapping alone, without the network (cheap to hand to data-loader workers)."""
        return DataMapping(self.config, self.normalizer, self.vocabulary, self.length_model, self.joint_confidence, self.fps,
                           self.signers, self.sampling)

    @classmethod
    def fit(cls, config: ModelConfig, dataset: PoseSource, seed: int | None) -> "HybridSignModel":
        """A new model for ``dataset``: normaliser, vocabulary, length model and joint confidences
        fitted on it (one pass per statistic, a sample at a time); the layout is the dataset's."""
        config.layout = dataset.layout
        check_dataset(dataset, config, "training")
        normalizer = Normalizer.fit(_values(dataset))
        texts = (dataset[i].text for i in range(len(dataset)))
        vocabulary = None
        if config.text != "sentence":
            vocabulary = TextVocabulary.fit(config.text, (t for t in texts if t is not None))
        units, lengths = [], []
        j = dataset.layout.joint_count
        confidence = np.zeros(j, dtype=np.float64)
        frames = 0
        fps = None
        for i in range(len(dataset)):
            sample = dataset[i]
            fps = sample.fps if fps is None else fps
            units.append(text_units(sample, config.text))
            lengths.append(min(sample.frame_count, config.max_frames))
            confidence += sample.values[:, :, 2].astype(np.float64).sum(axis=0)
            frames += sample.frame_count
        signers = [s for s in (dataset[i].signer for i in range(len(dataset))) if s is not None]
        # Swift's SamplingDefaults(recommendedFor:): a flow that starts from noise is sampled at temperature 1.
        sampling = {"steps": 1, "temperature": 1.0 if config.flow_source == "noise" else 0.0}
        return cls(config, normalizer, vocabulary, LengthModel.fit(units, lengths),
                   (confidence / max(frames, 1)).astype(np.float32), fps if fps is not None else 25.0, seed, signers=signers,
                   sampling=sampling)


def text_units(sample: PoseSample, conditioning: str) -> int:
    """The text's length in the units the model reads (characters, words or feature rows)."""
    if conditioning == "characters":
        return len(characters(sample.text)) if sample.text is not None else 0
    if conditioning == "words":
        return len(words(sample.text)) if sample.text is not None else 0
    return sample.text_features.shape[0] if sample.text_features is not None else 0


class _values:
    """The samples' values, one sample at a time, re-iterable (the normaliser reads them twice)."""

    def __init__(self, dataset: PoseSource) -> None:
        self.dataset = dataset

    def __iter__(self) -> Iterator[np.ndarray]:
        return (self.dataset[i].values for i in range(len(self.dataset)))


def check_dataset(dataset: PoseSource, config: ModelConfig, role: str) -> None:
    """Swift's ``TrainingData.check``: samples present, the model's layout, ≥ 2 frames each with some
    visible joint, finite values."""
    if len(dataset) == 0:
        raise DataError(f"the {role} data has no samples")
    if not dataset.layout.same_parts(config.layout):
        raise DataError(f"the {role} data follows layout '{dataset.layout.name}' ({dataset.layout.joint_count} joints); "
                        f"the model was built for '{config.layout.name}' ({config.layout.joint_count} joints)")
    for index in range(len(dataset)):
        sample = dataset[index]
        label = sample.label(index, f"{role} sample")
        if sample.frame_count < 2:
            raise DataError(f"{label} has {sample.frame_count} frames; a sequence needs at least 2 frames of keypoints")
        bad = np.argwhere(~np.isfinite(sample.values))
        if len(bad):
            f, j, c = bad[0]
            raise DataError(f"{label} holds NaN or infinity at frame {f}, joint {j}, channel {c}; clean the data first")
        if not (sample.values[:, :, 2] > 0).any():
            raise DataError(f"{label} has no keypoints with confidence above 0")
