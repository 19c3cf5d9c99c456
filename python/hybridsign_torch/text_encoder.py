"""The built-in text encoder (embeddings + sin-cos positions + a small non-causal transformer) or the
projection of precomputed sentence features."""

from __future__ import annotations

import torch
from torch import nn

from .config import ModelConfig
from .layers import FeedForward, attention, embedding, head_scale, layer_norm, linear, sin_cos
from .rng import RandomGenerator


class TextLayer(nn.Module):
    """A pre-norm transformer layer over the text (key-padding masked)."""

    def __init__(self, dim: int, heads: int, mlp: int, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.heads = heads
        self.norm1 = layer_norm(dim)
        self.norm2 = layer_norm(dim)
        self.qkv = linear(dim, 3 * dim, rng)
        self.out = linear(dim, dim, rng)
        self.mlp = FeedForward(dim, mlp, dim, rng)

    def forward(self, x: torch.Tensor, mask: torch.Tensor, fused: bool = False) -> torch.Tensor:
        b, length, d = x.shape
        q, k, v = (p.reshape(b, length, self.heads, d // self.heads).transpose(1, 2)
                   for p in self.qkv(self.norm1(x)).split(d, dim=2))
        a = attention(q, k, v, head_scale(d, self.heads), mask=mask, fused=fused)
        h = x + self.out(a.transpose(1, 2).reshape(b, length, d))
        return h + self.mlp(self.norm2(h))


class TextEncoder(nn.Module):
    """Texts (ids, 0 = padding) or features ``[B, L, width]`` → states ``[B, L, D]`` + mask ``[B, 1, 1, L]``."""

    def __init__(self, config: ModelConfig, vocabulary_size: int, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.dim = config.dim
        if config.text == "sentence":
            self.projection = linear(config.sentence_width, config.dim, rng)
        else:
            self.embedding = embedding(max(vocabulary_size, 1), config.dim, rng)
        # Swift constructs the layers before the final norm; norms draw no numbers.
        self.layers = nn.ModuleList([TextLayer(config.dim, config.heads, config.mlp, rng) for _ in range(config.text_layers)])
        self.norm = layer_norm(config.dim)

    def forward(self, ids: torch.Tensor | None, features: torch.Tensor | None, lengths: torch.Tensor,
                fused: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
        """``ids`` ``[B, L]`` (long) or ``features`` ``[B, L, width]``; ``lengths`` ``[B]`` (≥ 1)."""
        if ids is not None:
            x = self.embedding(ids)
        else:
            x = self.projection(features)
        length = x.shape[1]
        positions = torch.arange(length, device=x.device, dtype=torch.float32)
        x = x + sin_cos(positions, self.dim).unsqueeze(0)
        keys = torch.arange(length, device=x.device)
        mask = torch.zeros(x.shape[0], 1, 1, length, device=x.device)
        mask = mask.masked_fill((keys[None, :] >= lengths[:, None]).reshape(x.shape[0], 1, 1, length), float("-inf"))
        for layer in self.layers:
            x = layer(x, mask, fused=fused)
        return self.norm(x), mask
