"""Checkpoints in the Swift tool's format (``Sources/HybridSign/Checkpoint.swift``), both ways.

One ``.safetensors`` file (float32): ``model.<name>`` weights, ``ema.<name>`` averaged weights,
``adamw.step`` (a scalar), ``adamw.m.<name>`` / ``adamw.v.<name>`` (AdamW's moments), and metadata
``format`` (``hybridsign-model-1``), ``config``, ``normalizer``, ``vocabulary``, ``length_model``,
``joint_confidence``, ``fps``, ``step``, ``training``, ``sampling`` (the recommended sampling settings),
with signer conditioning ``signers``, and ``text_encoder`` (the pretrained encoder a ``--text-encoder``
model reads, ``pretrained_text.TextEncoderRecord``) — the same names, shapes and JSON as Swift, so
``hybridsign`` loads what the twin writes and the twin resumes what ``hybridsign train`` wrote.
Writes are atomic: a temporary file in the target directory, flushed, then renamed over the target.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save as safetensors_bytes

from . import swift_json
from .config import ConfigError, ModelConfig, TrainingOptions
from .length_model import LengthModel
from .model import HybridSignModel
from .normalizer import Normalizer
from .pretrained_text import TextEncoderRecord
from .vocabulary import TextVocabulary

FORMAT = "hybridsign-model-1"


class CheckpointError(ValueError):
    """A file that is not a readable HybridSign checkpoint; the message names the file and the problem."""


@dataclass
class Checkpoint:
    """A model with (optionally) its training state, as stored in one file."""

    model: HybridSignModel
    step: int = 0
    training: TrainingOptions | None = None
    ema: dict[str, torch.Tensor] = field(default_factory=dict)  # by parameter name, without "ema."
    adamw_step: int | None = None
    adamw_m: dict[str, torch.Tensor] = field(default_factory=dict)
    adamw_v: dict[str, torch.Tensor] = field(default_factory=dict)


def save(checkpoint: Checkpoint, path: str | Path) -> None:
    """Writes the checkpoint atomically (temporary file in the same directory, fsync, rename)."""
    model = checkpoint.model
    tensors: dict[str, torch.Tensor] = {}
    for name, value in model.network.state_dict().items():
        tensors["model." + name] = value
    for name, value in checkpoint.ema.items():
        tensors["ema." + name] = value
    if checkpoint.adamw_step is not None:
        tensors["adamw.step"] = torch.tensor(float(checkpoint.adamw_step), dtype=torch.float32)
        for name, value in checkpoint.adamw_m.items():
            tensors["adamw.m." + name] = value
        for name, value in checkpoint.adamw_v.items():
            tensors["adamw.v." + name] = value
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in tensors.items()}
    metadata = {
        "format": FORMAT,
        "config": model.config.to_json(),
        "normalizer": model.normalizer.to_json(),
        "length_model": model.length_model.to_json(),
        "joint_confidence": swift_json.dumps(swift_json.float32_list(model.joint_confidence)),
        "fps": repr(float(model.fps)),
        "step": str(int(checkpoint.step)),
    }
    metadata["sampling"] = swift_json.dumps({"steps": int(model.sampling["steps"]),
                                             "temperature": np.float32(model.sampling["temperature"])})
    if model.config.signer_conditioning:
        metadata["signers"] = swift_json.dumps(list(model.signers))
    if model.vocabulary is not None:
        metadata["vocabulary"] = model.vocabulary.to_json()
    if checkpoint.training is not None:
        metadata["training"] = checkpoint.training.to_json()
    if model.text_encoder is not None:
        metadata["text_encoder"] = model.text_encoder.to_json()
    write_atomically(safetensors_bytes(tensors, metadata=metadata), Path(path))


def write_atomically(data: bytes, path: Path) -> None:
    """``data`` to ``path`` via a temporary file in the same directory, flushed to disk, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    try:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename itself is atomic


def load(path: str | Path, use_ema: bool = False) -> Checkpoint:
    """Reads a checkpoint written by Swift or the twin; ``use_ema`` puts the averaged weights in the
    model (for sampling) when the file has them. Damaged or foreign files raise ``CheckpointError``."""
    path = Path(path)
    try:
        handle = safe_open(str(path), framework="pt")
    except Exception as error:  # safetensors raises its own error types
        raise CheckpointError(f"{path} is not a readable model file: {error}") from None
    with handle as f:
        meta = f.metadata() or {}
        if meta.get("format") != FORMAT:
            found = f"'{meta['format']}'" if "format" in meta else "missing"
            raise CheckpointError(f"{path} is a safetensors file but not a HybridSign model (metadata 'format' is {found}, expected '{FORMAT}')")
        tensors = {name: f.get_tensor(name).to(torch.float32) for name in f.keys()}
    model, step, training = _model_from_metadata(meta, path)
    for name, tensor in tensors.items():
        # Weights and optimiser state must be finite; other tensors (a loss history) may hold NaN.
        if name.startswith(("model.", "ema.", "adamw.")) and not bool(torch.isfinite(tensor).all()):
            raise CheckpointError(f"{path}: tensor '{name}' holds NaN or infinity")
    prefix = "ema." if use_ema and any(k.startswith("ema.") for k in tensors) else "model."
    weights = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
    load_weights(model, weights, f"{path}: the weights do not fit the stored configuration")
    checkpoint = Checkpoint(model, step, training)
    checkpoint.ema = {k[4:]: v for k, v in tensors.items() if k.startswith("ema.")}
    if "adamw.step" in tensors:
        checkpoint.adamw_step = int(tensors["adamw.step"].reshape(-1)[0].item())
        checkpoint.adamw_m = {k[8:]: v for k, v in tensors.items() if k.startswith("adamw.m.")}
        checkpoint.adamw_v = {k[8:]: v for k, v in tensors.items() if k.startswith("adamw.v.")}
    return checkpoint


def _model_from_metadata(meta: dict[str, str], path: Path) -> tuple[HybridSignModel, int, TrainingOptions | None]:
    def entry(key: str, required: bool = True) -> str | None:
        if key not in meta and required:
            raise CheckpointError(f"{path}: metadata '{key}' is missing")
        return meta.get(key)

    try:
        config = ModelConfig.from_json(entry("config"), context=f"{path}: config")
        normalizer = Normalizer.from_json(entry("normalizer"))
        length_model = LengthModel.from_json(entry("length_model"))
        joint_confidence = np.asarray(json.loads(entry("joint_confidence")), dtype=np.float32)
        vocabulary_text = entry("vocabulary", required=False)
        vocabulary = TextVocabulary.from_json(vocabulary_text) if vocabulary_text is not None else None
        training_text = entry("training", required=False)
        training = TrainingOptions.from_json(training_text) if training_text is not None else None
        encoder_text = entry("text_encoder", required=False)
        text_encoder = TextEncoderRecord.from_json(encoder_text) if encoder_text is not None else None
        fps = float(entry("fps"))
        step = int(entry("step"))
        sampling = _sampling(entry("sampling", required=False), config.mode)
        signers_text = entry("signers", required=config.signer_conditioning)
        signers = json.loads(signers_text) if signers_text is not None else []
        if config.signer_conditioning and (not signers or not all(isinstance(s, str) for s in signers)
                                           or signers != sorted(set(signers))):
            raise CheckpointError(f"{path}: metadata 'signers' must list at least one signer, sorted and without repeats")
    except CheckpointError:
        raise
    except (ValueError, KeyError, TypeError, ConfigError) as error:
        raise CheckpointError(f"{path}: metadata is damaged: {error}") from None
    if not fps > 0 or step < 0:
        raise CheckpointError(f"{path}: metadata 'fps' or 'step' is missing or damaged")
    try:
        model = HybridSignModel(config, normalizer, vocabulary, length_model, joint_confidence, fps, seed=None,
                                signers=signers, sampling=sampling)
        model.text_encoder = text_encoder
    except ConfigError as error:
        raise CheckpointError(f"{path}: {error}") from None
    return model, step, training


def _sampling(text: str | None, mode: str) -> dict:
    """Swift's ``SamplingDefaults``: missing keys keep steps 1, temperature 0."""
    sampling = {"steps": 1, "temperature": 0.0}
    if text is not None:
        stored = json.loads(text)
        if not isinstance(stored, dict):
            raise ValueError("metadata 'sampling' is not a JSON object")
        sampling.update({k: stored[k] for k in ("steps", "temperature") if k in stored})
    steps, temperature = sampling["steps"], sampling["temperature"]
    if not isinstance(steps, int) or not (1 <= steps <= 1000 or (steps == 0 and mode == "hybrid")):
        raise ValueError(f"metadata 'sampling': steps must be 1...1000 (0 only for hybrid models), not {steps!r}")
    if not isinstance(temperature, (int, float)) or not (temperature >= 0 and np.isfinite(temperature)):
        raise ValueError(f"metadata 'sampling': temperature must be 0 or more, not {temperature!r}")
    return {"steps": steps, "temperature": float(np.float32(temperature))}


def load_weights(model: HybridSignModel, weights: dict[str, torch.Tensor], context: str) -> None:
    """Every parameter by name with its shape; extra names are an error."""
    own = model.network.state_dict()
    for name, value in own.items():
        if name not in weights:
            raise CheckpointError(f"{context}: parameter '{name}' is missing from the loaded weights")
        if tuple(weights[name].shape) != tuple(value.shape):
            raise CheckpointError(f"{context}: parameter '{name}' has shape {list(weights[name].shape)} in the file but "
                                  f"{list(value.shape)} in the model")
    extra = sorted(set(weights) - set(own))
    if extra:
        raise CheckpointError(f"{context}: the file holds '{extra[0]}', which the model does not have")
    with torch.no_grad():
        for name, parameter in model.network.named_parameters():
            parameter.copy_(weights[name].to(parameter.device))
