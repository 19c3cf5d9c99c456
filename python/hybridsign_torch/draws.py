"""Everything a training step draws at random, drawn for the whole batch in Swift's order
(``Sources/HybridSign/StepDraws.swift``), plus the whole batch's loss normalisers.

Step k's generator is ``RandomGenerator(seed + φ·(k + 1))``. The draws, in order: the clean stream's
input noise (``historyNoise`` > 0 only, visible joints only); then per sequence its flow frames
(stochastic count, partial shuffle, stochastic split into r ≠ t and r = t), the (t, r) pairs of the
r ≠ t frames, then of the r = t frames, then the noise of those frames in that order (hybrid); or per
sequence one (t, r) pair and noise over the batch's padded length (diffusion); last, with signer
conditioning, one uniform per sequence (its signer is hidden when it is below ``signerDropout``). Because the twin
draws the same numbers in the same order as Swift, a step is the same in both engines, whatever
splits the batch into shards, processes or accumulation steps: every part of a batch divides its
loss terms by the batch's normalisers, so the parts' gradients add up to the batch's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .batching import ModelBatch
from .config import ModelConfig
from .rng import RandomGenerator

#: Joints whose confidence is below this are missing in the clean stream's input (as the sampler feeds
#: back the joints it predicts invisible).
VISIBILITY_THRESHOLD = np.float32(0.5)
#: Flow times are kept at or above this (u = (z − x̂)/t).
MINIMUM_TIME = np.float32(0.02)
_STEP_MIX = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1


def step_generator(seed: int, step: int) -> RandomGenerator:
    """The generator of step ``step`` (0-based): ``RandomGenerator(seed &+ φ &* (step + 1))``."""
    return RandomGenerator((seed + _STEP_MIX * (step + 1)) & _MASK)


@dataclass
class LossNormalizers:
    """The whole batch's divisors: the AR mask sum (2 coordinates per joint, confidence-weighted), the
    counts of real joint slots and frames, the number of flow items."""

    ar: float
    confidence: float
    progress: float
    flow: float


@dataclass
class SequenceFlowDraws:
    """Hybrid: the frames with r ≠ t (JVP group) and r = t, each frame's (t, r) ``[length, 2]`` and
    noise ``[length, J, 2]`` (zero for frames not chosen)."""

    jvp: list[int]
    equal: list[int]
    pairs: np.ndarray
    noise: np.ndarray


@dataclass
class SequenceDiffusionDraws:
    """Diffusion: one (t, r) and noise ``[T, J, 2]`` over the batch's padded length."""

    pair: tuple[np.float32, np.float32]
    noise: np.ndarray


def time_pair(config: ModelConfig, rng: RandomGenerator, equal: bool | None = None) -> tuple[np.float32, np.float32]:
    """Logit-normal (t, r): t = max, r = min of two samples (t ≥ 0.02); r = t with probability
    ``flowMatchingFraction`` unless ``equal`` says."""
    a, b = _logit_normal(config, rng.normals(2))
    t = max(a, b, MINIMUM_TIME)
    if equal is None:
        equal = bool(rng.uniform() < np.float32(config.flow_matching_fraction))
    return (t, t) if equal else (t, min(a, b))


def _logit_normal(config: ModelConfig, normals: np.ndarray) -> list[np.float32]:
    one = np.float32(1)
    x = np.float32(config.time_mean) + np.float32(config.time_std) * normals
    return [np.float32(one / (one + np.exp(-v))) for v in x.astype(np.float32)]


def stochastic_round(x: np.float32, rng: RandomGenerator) -> int:
    """``x`` rounded down or up at random, up with probability frac(x)."""
    low = np.floor(x)
    return int(low) + (1 if rng.uniform() < np.float32(x - low) else 0)


def flow_frames(length: int, config: ModelConfig, rng: RandomGenerator) -> tuple[list[int], list[int]]:
    """The frames of a sequence the flow trains on, split into r ≠ t and r = t, each in frame order:
    ``flowFraction · length`` frames (stochastically rounded, partial shuffle), of which
    ``1 − flowMatchingFraction`` (stochastically rounded) get r ≠ t."""
    count = min(length, stochastic_round(np.float32(config.flow_fraction) * np.float32(length), rng))
    order = list(range(length))
    for i, u in enumerate(rng.uniforms(count)):
        span = length - i
        j = i + int(np.float32(u * np.float32(span))) % span
        order[i], order[j] = order[j], order[i]
    chosen = order[:count]
    jvp_count = min(count, stochastic_round(np.float32(count) * (np.float32(1) - np.float32(config.flow_matching_fraction)), rng))
    return sorted(chosen[:jvp_count]), sorted(chosen[jvp_count:])


def _flow_draws(config: ModelConfig, lengths: list[int], joints: int, rng: RandomGenerator,
                needed: range) -> list[SequenceFlowDraws]:
    draws = []
    for k, length in enumerate(lengths):
        jvp, equal = flow_frames(length, config, rng)
        pairs = np.zeros((length, 2), dtype=np.float32)
        for i in jvp:
            pairs[i] = time_pair(config, rng, equal=False)
        for i in equal:
            pairs[i] = time_pair(config, rng, equal=True)
        noise = np.zeros((length, joints, 2), dtype=np.float32)
        chosen = jvp + equal
        if k in needed:
            noise[chosen] = rng.normals(len(chosen) * joints * 2).reshape(len(chosen), joints, 2)
        else:
            rng.skip_normals(len(chosen) * joints * 2)
        draws.append(SequenceFlowDraws(jvp, equal, pairs, noise))
    if draws and all(not d.jvp and not d.equal for d in draws):
        # At least one flow item per batch.
        first = draws[0]
        first.equal.append(0)
        first.pairs[0] = time_pair(config, rng, equal=True)
        if 0 in needed:
            first.noise[0] = rng.normals(joints * 2).reshape(joints, 2)
        else:
            rng.skip_normals(joints * 2)
    return draws


def clean_input(batch: ModelBatch, std: float, rng: RandomGenerator | None, needed: range | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The clean stream's input: joints with confidence < 0.5 missing (x = y = 0, c = 0); visible ones
    get N(0, std²) noise when std > 0 (drawn per visible coordinate in row-major order)."""
    visible = np.where(batch.confidence >= VISIBILITY_THRESHOLD, batch.confidence, np.float32(0)).astype(np.float32)
    mask = (visible > 0)[..., None].repeat(2, axis=-1)
    coordinates = np.where(mask, batch.coordinates, np.float32(0)).astype(np.float32)
    if std > 0:
        for k in range(batch.batch_size):
            count = int(mask[k].sum())
            if needed is None or k in needed:
                coordinates[k][mask[k]] += np.float32(std) * rng.normals(count)
            else:
                rng.skip_normals(count)
    return coordinates, visible


@dataclass
class StepDraws:
    batch: ModelBatch  # as recorded: targets and loss weights
    input_coordinates: np.ndarray  # the clean stream's input (diffusion: the batch's)
    input_confidence: np.ndarray
    flow: list[SequenceFlowDraws] | None
    diffusion: list[SequenceDiffusionDraws] | None
    normalizers: LossNormalizers

    @classmethod
    def draw(cls, config: ModelConfig, batch: ModelBatch, rng: RandomGenerator, needed: tuple[int, int] | None = None) -> "StepDraws":
        """The step's draws; noise only for the sequences ``needed`` (start, end) — the generator skips
        the others' (a process needs its own part of the batch; every other draw and the normalisers
        are the whole batch's)."""
        wanted = range(*needed) if needed is not None else range(batch.batch_size)
        if config.mode == "diffusion":
            coordinates, confidence = batch.coordinates, batch.confidence
        else:
            coordinates, confidence = clean_input(batch, config.history_noise, rng, wanted)
        j = batch.coordinates.shape[2]
        frames = float(sum(batch.lengths))
        flow_items = frames
        flow = diffusion = None
        if config.mode == "hybrid":
            flow = _flow_draws(config, batch.lengths, j, rng, wanted)
            flow_items = float(sum(len(d.jvp) + len(d.equal) for d in flow))
        elif config.mode == "diffusion":
            diffusion = []
            count = batch.max_frames * j * 2
            for k in range(batch.batch_size):
                pair = time_pair(config, rng)
                if k in wanted:
                    noise = rng.normals(count).reshape(batch.max_frames, j, 2)
                else:
                    rng.skip_normals(count)
                    noise = np.zeros((batch.max_frames, j, 2), dtype=np.float32)
                diffusion.append(SequenceDiffusionDraws(pair, noise))
        normalizers = LossNormalizers(ar=float(np.float32(2) * np.float32(_sum(batch.confidence))), confidence=frames * j,
                                      progress=frames, flow=flow_items)
        if config.signer_conditioning:
            # Drawn last, as in Swift: hides each sequence's signer with probability signerDropout.
            dropout = np.float32(config.signer_dropout)
            signers = [0 if rng.uniform() < dropout else s for s in batch.signer_ids]
            batch = dataclasses.replace(batch, signer_ids=signers)
        return cls(batch, coordinates, confidence, flow, diffusion, normalizers)

    def sequences(self, start: int, end: int) -> "StepDraws":
        """The draws of sequences ``start..<end`` (padded to their own longest length) with the whole
        batch's normalisers."""
        part = self.batch.sequences(start, end)
        t = part.max_frames
        return StepDraws(part, self.input_coordinates[start:end, :t], self.input_confidence[start:end, :t],
                         None if self.flow is None else self.flow[start:end],
                         None if self.diffusion is None else self.diffusion[start:end], self.normalizers)


def shard_ranges(batch_size: int, shards: int) -> list[tuple[int, int]]:
    """Sequence ranges of ``shards`` shards of about equal size (fewer when the batch is smaller)."""
    n = max(1, min(shards, batch_size))
    return [(s * batch_size // n, (s + 1) * batch_size // n) for s in range(n)]


def _sum(values: np.ndarray) -> float:
    """Swift's ``Tensor.sum()``: float32 partial sums of blocks of 4096, added in double."""
    flat = values.reshape(-1)
    return float(sum(float(np.float32(flat[i:i + 4096].sum(dtype=np.float32))) for i in range(0, flat.size, 4096)))
