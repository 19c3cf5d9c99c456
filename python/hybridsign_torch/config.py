"""Model configuration and training options, read from the Swift definitions.

The defaults and the ``small`` / ``paper`` presets come from ``presets.json``, which the Swift test
``TwinPresetsTests`` writes from ``ModelConfig.preset`` and checks on every test run: the Swift
presets are the one definition. Configuration keys the twin does not know are an error (a new Swift
field fails the twin's tests until the twin implements it).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import swift_json
from .layout import Layout

if TYPE_CHECKING:
    import torch


class ConfigError(ValueError):
    """A configuration that does not fit together, or that the twin cannot read."""


@lru_cache(maxsize=1)
def _presets_file() -> dict[str, Any]:
    return json.loads((Path(__file__).with_name("presets.json")).read_text(encoding="utf-8"))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


class _Float32Fields:
    """Float fields hold 32-bit values, as Swift's ``Float``s do, however they are set."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _float_fields(type(self)) and value is not None:
            value = float(np.float32(value))
        super().__setattr__(name, value)


@lru_cache(maxsize=None)
def _float_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.type == "float")


TOKEN_KINDS = ("joint", "part")
MODES = ("hybrid", "ar", "diffusion")
TEXT_CONDITIONINGS = ("characters", "words", "sentence")
FLOW_SOURCES = ("estimate", "noise")
FLOW_BACKBONES = ("shared", "separate")


@dataclass
class ModelConfig(_Float32Fields):
    """``HybridSign.ModelConfig``: architecture and objective (stored as JSON in checkpoints)."""

    dim: int
    heads: int
    depth: int
    mlp: int
    tokens: str
    mode: str
    text: str
    text_layers: int
    sentence_width: int
    experts: bool
    confidence: bool
    fusion: bool
    sigma: float
    flow_source: str
    flow_backbone: str
    detach_history: bool
    flow_fraction: float
    history_noise: float
    flow_matching_fraction: float
    time_mean: float
    time_std: float
    adaptive_power: float
    flow_weight: float
    ar_weight: float
    confidence_weight: float
    progress_weight: float
    signer_conditioning: bool
    signer_dropout: float
    max_frames: int
    layout: Layout

    @classmethod
    def defaults(cls) -> "ModelConfig":
        """``ModelConfig()`` in Swift."""
        return cls._decode(_presets_file()["model_defaults"], base=None, context="presets.json model_defaults")

    @classmethod
    def preset(cls, name: str, layout: Layout | None = None) -> "ModelConfig":
        """A named preset (``small``, ``paper``) for ``layout`` (default: OpenPose-137)."""
        presets = _presets_file()["presets"]
        key = name.lower()
        if key not in presets:
            raise ConfigError(f"unknown preset '{name}'; the presets are: {', '.join(sorted(presets, reverse=True))}")
        config = cls._decode(presets[key], base=None, context=f"preset '{key}'")
        if layout is not None:
            config.layout = layout
        return config

    @classmethod
    def from_json(cls, text: str | dict[str, Any], context: str = "config") -> "ModelConfig":
        """Reads a configuration as Swift writes it; missing keys keep their defaults."""
        try:
            obj = json.loads(text) if isinstance(text, str) else text
        except json.JSONDecodeError as error:
            raise ConfigError(f"{context}: not valid JSON ({error})") from None
        if not isinstance(obj, dict):
            raise ConfigError(f"{context}: expected a JSON object")
        return cls._decode(obj, base=cls.defaults(), context=context)

    @classmethod
    def _decode(cls, obj: dict[str, Any], base: "ModelConfig | None", context: str) -> "ModelConfig":
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(k for k in obj if _snake(k) not in fields)
        if unknown:
            raise ConfigError(f"{context}: unknown configuration keys {unknown}: this twin is older than the model's Swift code")
        values: dict[str, Any] = dataclasses.asdict(base) if base is not None else {}
        if base is not None:
            values["layout"] = base.layout
        for key, value in obj.items():
            name = _snake(key)
            if name == "layout":
                values[name] = Layout.from_json(value, context=f"{context}: layout") if isinstance(value, str) else value
                continue
            kind = fields[name].type
            if kind == "bool" and not isinstance(value, bool):
                raise ConfigError(f"{context}: '{key}' must be true or false, not {value!r}")
            if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
                raise ConfigError(f"{context}: '{key}' must be an integer, not {value!r}")
            if kind == "float" and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ConfigError(f"{context}: '{key}' must be a number, not {value!r}")
            if kind == "str" and not isinstance(value, str):
                raise ConfigError(f"{context}: '{key}' must be a string, not {value!r}")
            values[name] = float(np.float32(value)) if kind == "float" else value
        missing = [name for name in fields if name not in values]
        if missing:
            raise ConfigError(f"{context}: missing keys {missing}")
        config = cls(**values)
        for name, allowed in (("tokens", TOKEN_KINDS), ("mode", MODES), ("text", TEXT_CONDITIONINGS), ("flow_source", FLOW_SOURCES),
                              ("flow_backbone", FLOW_BACKBONES)):
            if getattr(config, name) not in allowed:
                raise ConfigError(f"{context}: '{name}' must be one of {', '.join(allowed)}, not '{getattr(config, name)}'")
        return config

    def to_json_object(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "layout":
                value = value.json_string()
            elif f.type == "float":
                value = np.float32(value)
            out[_camel(f.name)] = value
        return out

    def to_json(self) -> str:
        """The configuration as Swift's ``JSONEncoder`` (sorted keys) writes it."""
        return swift_json.dumps(self.to_json_object())

    def validate(self) -> None:
        """Checks the numbers fit together (Swift's ``ModelConfig.validate``)."""
        if self.dim <= 0 or self.heads <= 0 or self.dim % self.heads:
            raise ConfigError(f"dim {self.dim} must be a positive multiple of heads {self.heads}")
        if (self.dim // self.heads) % 2:
            raise ConfigError(f"the head width dim/heads = {self.dim // self.heads} must be even")
        if self.dim % 4:
            raise ConfigError(f"dim {self.dim} must be a multiple of 4 (sin-cos embeddings)")
        if self.depth < 1 or self.mlp < 1 or self.text_layers < 0 or self.max_frames < 2:
            raise ConfigError(f"depth ({self.depth}), mlp ({self.mlp}) must be ≥ 1, textLayers ({self.text_layers}) ≥ 0, "
                              f"maxFrames ({self.max_frames}) ≥ 2")
        if not (self.sigma >= 0 and np.isfinite(self.sigma) and 0 <= self.flow_matching_fraction <= 1
                and 0 < self.flow_fraction <= 1 and self.history_noise >= 0 and np.isfinite(self.history_noise)):
            raise ConfigError("sigma and historyNoise must be ≥ 0, flowMatchingFraction in 0...1 and flowFraction in (0, 1]")
        if self.flow_backbone != "shared" and self.mode != "hybrid":
            raise ConfigError(f"a separate flow backbone needs mode hybrid, not {self.mode}: only the hybrid has both a clean stream and a flow; train with --mode hybrid, or leave --flow-backbone at shared")
        if not 0 <= self.signer_dropout <= 1:
            raise ConfigError(f"signerDropout must be in 0...1, not {self.signer_dropout}")
        if not self.layout.parts:
            raise ConfigError(f"layout '{self.layout.name}' has no parts")

    def flow_start(self, mean: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """The flow's source for estimate ``mean`` and scaled noise ``noise``: ``mean + noise``, or
        ``noise`` alone (Swift's ``ModelConfig.flowStart``)."""
        return mean + noise if self.flow_source == "estimate" else noise

    @property
    def tokens_per_part(self) -> list[int]:
        """Tokens per frame of each part (1 for part tokens, the part's joints for joint tokens)."""
        return [1 if self.tokens == "part" else len(p.joints) for p in self.layout.parts]

    @property
    def tokens_per_frame(self) -> int:
        return sum(self.tokens_per_part)


@dataclass
class TrainingOptions(_Float32Fields):
    """``HybridSign.TrainingOptions``: optimiser, schedule, batch and budget (stored in checkpoints)."""

    steps: int
    batch_size: int
    learning_rate: float
    warmup_steps: int
    weight_decay: float
    clip_norm: float
    ema_decay: float
    seed: int

    @classmethod
    def defaults(cls) -> "TrainingOptions":
        return cls.from_json(_presets_file()["training_defaults"], strict=True)

    @classmethod
    def from_json(cls, text: str | dict[str, Any], strict: bool = False, context: str = "training") -> "TrainingOptions":
        obj = json.loads(text) if isinstance(text, str) else text
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(k for k in obj if _snake(k) not in fields)
        if unknown:
            raise ConfigError(f"{context}: unknown training options {unknown}: this twin is older than the Swift code")
        values = {} if strict else dataclasses.asdict(cls.defaults())
        for key, value in obj.items():
            name = _snake(key)
            values[name] = float(np.float32(value)) if fields[name].type == "float" else int(value)
        return cls(**values)

    def to_json(self) -> str:
        return swift_json.dumps({_camel(f.name): (np.float32(getattr(self, f.name)) if f.type == "float" else getattr(self, f.name))
                                 for f in dataclasses.fields(self)})
