"""The twin's reference sampler (``Sources/HybridSign/Sampler.swift``), for evaluation during training.

``hybrid``: per frame the source μ_i + τ·σ·ε, N flow steps z ← z − (t − r)·u(z, r, t) on the grid 1 → 0
against the KV cache of finished frames, then one clean pass of the frame (joints predicted below 0.5
fed back as missing) appends it to the cache and gives μ_{i+1}, ĉ_{i+1} and the progress. ``ar``: the
estimate is the frame. ``diffusion``: the whole sequence in N steps from ε. Noise comes from
``RandomGenerator(seed)`` in Swift's order, so at any temperature the frames are Swift's.
Stopping (``frames=None``): after frame i ≥ 1 when progress·(1 + 0.5/i) ≥ 1, or at
min(maxFrames, 2 × the length model's estimate).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from .draws import VISIBILITY_THRESHOLD
from .model import HybridSignModel
from .network import History
from .poses import PoseSample
from .rng import RandomGenerator
from .shard_inputs import TextInputs
from .vocabulary import characters


def _append(cache: History | None, produced: History) -> History:
    if cache is None:
        return produced
    return [[old.appending(new) for old, new in zip(layers, new_layers)] for layers, new_layers in zip(cache, produced)]


@torch.no_grad()
def sample(model: HybridSignModel, text: str | None = None, features: np.ndarray | None = None, steps: int = 1, seed: int = 0,
           frames: int | None = None, temperature: float = 0.0, signer: str | None = None,
           on_frame: Callable[[int], None] | None = None) -> PoseSample:
    """A sequence for ``text`` (or sentence ``features`` for ``text: sentence`` models) in data space,
    signed as ``signer`` (signer-conditioning models; None: no signer). ``on_frame(i)`` is called as
    frame i is ready (hybrid and ar: before its clean pass, as Swift's sampler emits it)."""
    config = model.config
    network = model.network
    signer_ids = torch.tensor([model.signer_id(signer)], dtype=torch.long)
    if not (steps >= 1 or (steps == 0 and config.mode == "hybrid")):
        raise ValueError(f"sampling needs at least 1 flow step (0 only for hybrid models: the AR estimate alone), not {steps}")
    if frames is not None and not 1 <= frames <= 100_000:
        raise ValueError(f"frames must be between 1 and 100000, not {frames}")
    device = next(network.parameters()).device
    if config.text == "sentence":
        if features is None or features.ndim != 2 or features.shape[1] != config.sentence_width or features.shape[0] == 0:
            raise ValueError(f"this model reads sentence features of width {config.sentence_width}")
        inputs = TextInputs.make(None, [features], config.sentence_width)
        units = features.shape[0]
    else:
        ids = model.text_ids(text or "")
        inputs = TextInputs.make([ids], None, config.sentence_width)
        units = len(ids) if config.text == "words" else len(characters(text or ""))
    text_context = network.encode_text(*(None if v is None else v.to(device) for v in (inputs.ids, inputs.features)),
                                       inputs.lengths.to(device), signer_ids.to(device))
    rng = RandomGenerator(seed)
    j = model.part_order.shape[0]
    if config.mode == "diffusion":
        count = frames if frames is not None else model.length_model.frames(units, config.max_frames)
        z = torch.from_numpy(rng.normal_array([1, count, j, 2])).to(device)
        index = torch.arange(count, device=device)[None]
        for k in range(steps):
            t, r = _grid(k, steps)
            u = network.noisy_pass(z, torch.zeros_like(z), torch.ones(1, count, j, device=device), index,
                                   torch.full((1, count), t, device=device), torch.full((1, count), r, device=device), text_context, None)
            z = z - u * float(np.float32(t) - np.float32(r))
        confidence = np.maximum(model.joint_confidence[model.part_order], np.float32(1e-3))
        values = model.data_space(z[0].cpu().numpy(), np.repeat(confidence[None], count, axis=0))
        return PoseSample(values, model.fps, text=text)

    clean = network.clean_pass(None, None, 0, True, text_context, None)
    cache = clean.produced
    limit = frames if frames is not None else min(config.max_frames, 2 * model.length_model.frames(units, config.max_frames))
    out = []
    for i in range(limit):
        mean, predicted = clean.mean.reshape(1, 1, j, 2), clean.confidence.reshape(1, 1, j)
        x = mean
        if config.mode == "hybrid" and steps > 0:
            noise = torch.from_numpy(rng.normal_array([1, 1, j, 2])).to(device)
            z = config.flow_start(mean, noise * float(np.float32(temperature) * np.float32(config.sigma)))
            for k in range(steps):
                t, r = _grid(k, steps)
                u = network.noisy_pass(z, mean, predicted, torch.tensor([[i]], device=device), torch.full((1, 1), t, device=device),
                                       torch.full((1, 1), r, device=device), text_context, cache)
                z = z - u * float(np.float32(t) - np.float32(r))
            x = z
        if not bool(torch.isfinite(x).all()):
            raise FloatingPointError(f"sampling produced NaN or infinity at frame {i}; the model weights are broken")
        out.append(model.data_space(x[0, 0].cpu().numpy()[None], predicted[0, 0].cpu().numpy()[None])[0])
        if on_frame is not None:
            on_frame(i)
        # Fed back as in the data: joints predicted invisible are missing (confidence 0, x = y = 0).
        fed_confidence = torch.where(predicted >= float(VISIBILITY_THRESHOLD), predicted, 0.0)
        fed = torch.where(fed_confidence[..., None] > 0, x, 0.0)
        clean = network.clean_pass(fed, fed_confidence, i, False, text_context, cache)
        cache = _append(cache, clean.produced)
        progress = float(clean.progress[0, 0])
        if frames is None and i >= 1 and np.float32(progress) * (np.float32(1) + np.float32(0.5) / np.float32(i)) >= 1:
            break
    return PoseSample(np.stack(out).astype(np.float32), model.fps, text=text)


def _grid(k: int, steps: int) -> tuple[float, float]:
    """The k-th step's (t, r) on the even grid 1 → 0, in float32."""
    t = np.float32(1) - np.float32(k) / np.float32(steps)
    r = np.float32(1) - np.float32(k + 1) / np.float32(steps)
    return float(t), float(r)
