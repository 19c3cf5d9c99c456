"""Embeddings of the network's inputs: flow times, a part's joint values, key confidences."""

from __future__ import annotations

import torch
from torch import nn

from .layers import FeedForward, linear, sin_cos
from .rng import RandomGenerator

#: Sin-cos features of the flow time.
TIME_FREQUENCIES = 64
#: t ∈ [0, 1] is scaled by this before the sin-cos features (DiT uses 1000; 100 keeps du/dt moderate).
TIME_SCALE = 100.0


class TimeEmbedding(nn.Module):
    """``MLP(sincos(100·t))``: ``t`` (any shape, N values) → ``[N, D]``; differentiable in t, so the
    MeanFlow JVP sees the time dependence."""

    def __init__(self, dim: int, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.mlp = FeedForward(TIME_FREQUENCIES, dim, dim, rng)

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return self.mlp(sin_cos(t.reshape(-1) * TIME_SCALE, TIME_FREQUENCIES))


class TokenEmbedder(nn.Module):
    """A part's joint values → its tokens. Part tokens: ``J_p·c`` values → Linear → GELU → Linear,
    one token per frame; joint tokens: ``Linear(c → D)`` per joint (c = 2 clean, 4 noisy)."""

    def __init__(self, kind: str, joints: int, channels: int, dim: int, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.per_part = kind == "part"
        self.joints = joints
        self.channels = channels
        if self.per_part:
            self.add_module("in", linear(joints * channels, dim, rng))
            self.add_module("out", linear(dim, dim, rng))
        else:
            self.add_module("in", linear(channels, dim, rng))

    def forward(self, values: torch.Tensor) -> torch.Tensor:
        """``[B, T, J_p, c]`` → ``[B, T, n, D]``."""
        first = self._modules["in"]
        if self.per_part:
            b, t = values.shape[0], values.shape[1]
            hidden = first(values.reshape(b, t, 1, self.joints * self.channels))
            return self._modules["out"](nn.functional.gelu(hidden, approximate="tanh"))
        return first(values)


class ConfidenceBias(nn.Module):
    """Confidence → ``Linear → GELU → Linear(→ H)``: one attention-logit bias per head for the
    temporal keys. Part tokens read the part's joints' confidences, joint tokens their own."""

    HIDDEN = 16

    def __init__(self, kind: str, joints: int, heads: int, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.per_part = kind == "part"
        self.joints = joints
        self.heads = heads
        self.mlp = FeedForward(joints if self.per_part else 1, self.HIDDEN, heads, rng)

    def forward(self, confidence: torch.Tensor) -> torch.Tensor:
        """``[B, T, J_p]`` → ``[B·n, H, 1, T]``."""
        b, t = confidence.shape[0], confidence.shape[1]
        n = 1 if self.per_part else self.joints
        bias = self.mlp(confidence.reshape(b, t, n, self.joints if self.per_part else 1))  # [B, T, n, H]
        return bias.permute(0, 2, 3, 1).reshape(b * n, self.heads, 1, t)
