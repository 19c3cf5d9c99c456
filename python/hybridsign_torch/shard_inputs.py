"""A shard of a step's draws as the tensors the loss reads, made on the host (in data-loader workers)
so the step itself never waits for the host: masks, padding, flow groups and normalisers are all
known before the model runs. ``to(device)`` copies everything with ``non_blocking`` from pinned memory.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import torch

from .config import ModelConfig
from .draws import LossNormalizers, StepDraws
from .network import noisy_mask


@dataclass
class TextInputs:
    """Padded text ids ``[B, L]`` (0 = padding) or features ``[B, L, width]``, lengths ``[B]`` (≥ 1),
    and (signer conditioning) signer ids ``[B]`` (0 = none)."""

    ids: torch.Tensor | None
    features: torch.Tensor | None
    lengths: torch.Tensor
    signers: torch.Tensor | None = None

    @classmethod
    def make(cls, ids: list[list[int]] | None, features: list[np.ndarray] | None, width: int,
             signers: list[int] | None = None) -> "TextInputs":
        made = cls._make(ids, features, width)
        if signers is not None:
            made.signers = torch.tensor(signers, dtype=torch.long)
        return made

    @classmethod
    def _make(cls, ids: list[list[int]] | None, features: list[np.ndarray] | None, width: int) -> "TextInputs":
        if features is not None:
            lengths = [max(f.shape[0], 1) for f in features]
            values = np.zeros((len(features), max(lengths), width), dtype=np.float32)
            for k, f in enumerate(features):
                if f.shape[1] == width:
                    values[k, :f.shape[0]] = f
            return cls(None, torch.from_numpy(values), torch.tensor(lengths))
        ids = ids if ids is not None else [[0]]
        lengths = [max(len(row), 1) for row in ids]
        padded = np.zeros((len(ids), max(lengths)), dtype=np.int64)
        for k, row in enumerate(ids):
            padded[k, :len(row)] = row
        return cls(torch.from_numpy(padded), None, torch.tensor(lengths))


@dataclass
class FlowGroup:
    """One noisy pass of the hybrid's flow (r ≠ t with the JVP, or r = t), items ``[B, Tg]``: frame
    indices (−1 padding), times, the data's frame, the noise, per-joint loss weights (each real item's
    sum to 1 over its visible coordinates), and the temporal mask (``network.noisy_mask``)."""

    jvp: bool
    frames: torch.Tensor
    real: torch.Tensor
    t: torch.Tensor
    r: torch.Tensor
    x: torch.Tensor
    noise: torch.Tensor
    weight: torch.Tensor
    mask: torch.Tensor | None


@dataclass
class DiffusionGroup:
    """The diffusion baseline's sequences with r ≠ t (JVP) or r = t: noisy frames, velocity, times,
    weights and masks over the shard's padded length, and the members' texts."""

    jvp: bool
    text: TextInputs
    frames: torch.Tensor
    real: torch.Tensor
    z: torch.Tensor
    v: torch.Tensor
    t: torch.Tensor
    r: torch.Tensor
    weight: torch.Tensor
    mask: torch.Tensor | None


@dataclass
class ShardInputs:
    text: TextInputs
    coordinates: torch.Tensor  # [B, T, J, 2] as recorded (targets)
    confidence: torch.Tensor  # [B, T, J] as recorded (loss weights)
    input_coordinates: torch.Tensor  # the clean stream's input
    input_confidence: torch.Tensor
    frame_mask: torch.Tensor  # [B, T, J]: 1 on real frames
    progress_target: torch.Tensor  # [B, T]
    progress_mask: torch.Tensor
    flow_groups: list[FlowGroup]
    diffusion_groups: list[DiffusionGroup]
    normalizers: LossNormalizers
    frames: int  # real frames in this shard

    def to(self, device: torch.device | str) -> "ShardInputs":
        return _move(self, torch.device(device))

    def pin_memory(self) -> "ShardInputs":
        return _move(self, None)


def _move(value: Any, device: torch.device | None) -> Any:
    """Tensors in (nested) dataclasses and lists copied to ``device`` (None: pinned host memory)."""
    if isinstance(value, torch.Tensor):
        if device is None:
            return value.pin_memory()
        return value.to(device, non_blocking=True)
    if isinstance(value, list):
        return [_move(v, device) for v in value]
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, LossNormalizers):
        return replace(value, **{f.name: _move(getattr(value, f.name), device) for f in fields(value)})
    return value


def prepare(draws: StepDraws, config: ModelConfig) -> ShardInputs:
    """The tensors of one shard (its sequences padded to their own longest length)."""
    batch = draws.batch
    b, t, j = batch.coordinates.shape[:3]
    frame_mask = np.zeros((b, t, j), dtype=np.float32)
    progress_target = np.zeros((b, t), dtype=np.float32)
    progress_mask = np.zeros((b, t), dtype=np.float32)
    for k, n in enumerate(batch.lengths):
        frame_mask[k, :n] = 1
        progress_target[k, :n] = (np.arange(n, dtype=np.float32) / np.float32(n - 1)) if n > 1 else 1
        progress_mask[k, :n] = 1
    sentence = config.text == "sentence"
    text = TextInputs.make(None if sentence else batch.text_ids, batch.features if sentence else None, config.sentence_width,
                           batch.signer_ids)
    flow_groups = _flow_groups(draws) if draws.flow is not None else []
    diffusion_groups = _diffusion_groups(draws, config) if draws.diffusion is not None else []
    return ShardInputs(text, torch.from_numpy(batch.coordinates), torch.from_numpy(batch.confidence),
                       torch.from_numpy(np.ascontiguousarray(draws.input_coordinates)),
                       torch.from_numpy(np.ascontiguousarray(draws.input_confidence)), torch.from_numpy(frame_mask),
                       torch.from_numpy(progress_target), torch.from_numpy(progress_mask), flow_groups, diffusion_groups,
                       draws.normalizers, int(sum(batch.lengths)))


def _item_weights(confidence: np.ndarray) -> np.ndarray:
    """Per joint c / (2·Σc) of a frame's recorded confidences (0 when nothing is visible)."""
    visible = confidence.sum(axis=-1, dtype=np.float32, keepdims=True)
    return np.where(visible > 0, confidence / (np.float32(2) * np.where(visible > 0, visible, 1)), 0).astype(np.float32)


def _item_arrays(rows: int, items: int, joints: int, time: float) -> tuple[np.ndarray, ...]:
    """Frame indices (−1: padding), t, r (filled with ``time``), two ``[rows, items, J, 2]`` value arrays
    and the per-joint weights of a group's items, to be filled in."""
    times = [np.full((rows, items), time, dtype=np.float32) for _ in range(2)]
    values = [np.zeros((rows, items, joints, 2), dtype=np.float32) for _ in range(2)]
    return (np.full((rows, items), -1, dtype=np.int64), *times, *values, np.zeros((rows, items, joints), dtype=np.float32))


def _flow_groups(draws: StepDraws) -> list[FlowGroup]:
    batch, sequences = draws.batch, draws.flow
    b, j = batch.batch_size, batch.coordinates.shape[2]
    groups = []
    for jvp, members in ((True, [s.jvp for s in sequences]), (False, [s.equal for s in sequences])):
        tg = max((len(m) for m in members), default=0)
        if tg == 0:
            continue
        # Padding items get t = r = 1 (u divides by t) and weight 0.
        frames, t, r, x, noise, weight = _item_arrays(b, tg, j, time=1)
        for k, chosen in enumerate(members):
            if not chosen:
                continue
            n = len(chosen)
            frames[k, :n] = chosen
            t[k, :n], r[k, :n] = sequences[k].pairs[chosen, 0], sequences[k].pairs[chosen, 1]
            x[k, :n] = batch.coordinates[k, chosen]
            noise[k, :n] = sequences[k].noise[chosen]
            weight[k, :n] = _item_weights(batch.confidence[k, chosen])
        frames_tensor = torch.from_numpy(frames)
        groups.append(FlowGroup(jvp, frames_tensor, frames_tensor >= 0, torch.from_numpy(t), torch.from_numpy(r),
                                torch.from_numpy(x), torch.from_numpy(noise), torch.from_numpy(weight),
                                noisy_mask(frames_tensor, batch.max_frames + 1)))
    return groups


def _diffusion_groups(draws: StepDraws, config: ModelConfig) -> list[DiffusionGroup]:
    batch = draws.batch
    b, t, j = batch.coordinates.shape[:3]
    pairs = [d.pair for d in draws.diffusion]
    groups = []
    sentence = config.text == "sentence"
    for jvp in (True, False):
        members = [k for k in range(b) if (pairs[k][0] != pairs[k][1]) == jvp]
        if not members:
            continue
        bg = len(members)
        frames, tt, rr, z, v, weight = _item_arrays(bg, t, j, time=0)
        for slot, k in enumerate(members):
            n = batch.lengths[k]
            tt[slot], rr[slot] = pairs[k]
            frames[slot, :n] = np.arange(n)
            weight[slot, :n] = _item_weights(batch.confidence[k, :n])
            time = np.float32(pairs[k][0])
            source, data = draws.diffusion[k].noise[:n], batch.coordinates[k, :n]
            z[slot, :n] = (np.float32(1) - time) * data + time * source
            v[slot, :n] = source - data
        text = TextInputs.make(None if sentence else [batch.text_ids[k] for k in members],
                               [batch.features[k] for k in members] if sentence else None, config.sentence_width,
                               [batch.signer_ids[k] for k in members])
        frames_tensor = torch.from_numpy(frames)
        groups.append(DiffusionGroup(jvp, text, frames_tensor, frames_tensor >= 0, torch.from_numpy(z), torch.from_numpy(v),
                                     torch.from_numpy(tt), torch.from_numpy(rr), torch.from_numpy(weight),
                                     noisy_mask(frames_tensor, None)))
    return groups
