"""The expert block (adaLN → spatial → confidence-aware temporal → cross-attention → MLP) and the
multi-scale fusion block."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .layers import FeedForward, attention, head_scale, layer_norm, linear, modulate, plain_layer_norm, rms_norm, zero_linear
from .rng import RandomGenerator


@dataclass
class TemporalMemory:
    """Keys, values ``[B·n, H, Tc, Dh]`` and confidence bias ``[B·n, H, 1, Tc]`` (or None) of earlier
    positions of one expert layer's temporal attention: the clean stream's KV cache."""

    keys: torch.Tensor
    values: torch.Tensor
    bias: torch.Tensor | None

    @property
    def count(self) -> int:
        return self.keys.shape[2]

    def appending(self, other: "TemporalMemory") -> "TemporalMemory":
        bias = None
        if self.bias is not None and other.bias is not None:
            bias = torch.cat([self.bias, other.bias], dim=3)
        return TemporalMemory(torch.cat([self.keys, other.keys], dim=2), torch.cat([self.values, other.values], dim=2), bias)

    def detached(self) -> "TemporalMemory":
        return TemporalMemory(self.keys.detach(), self.values.detach(), None if self.bias is None else self.bias.detach())


@dataclass
class TextMemory:
    """The text's keys and values ``[B, H, L, Dh]`` for one block, and the key-padding mask."""

    keys: torch.Tensor
    values: torch.Tensor
    mask: torch.Tensor


class ExpertBlock(nn.Module):
    """One expert block on a part's tokens ``[B, T, n, D]``; each sub-layer has a gated residual
    (adaLN gates zero-initialised: a new block is the identity)."""

    def __init__(self, dim: int, heads: int, mlp: int, spatial: bool, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.dim = dim
        self.heads = heads
        self.sublayers = 4 if spatial else 3
        self.modulation = zero_linear(dim, 3 * self.sublayers * dim)
        self.spatial = spatial
        if spatial:
            self.spatial_qkv = linear(dim, 3 * dim, rng)
            self.spatial_out = linear(dim, dim, rng)
        self.temporal_qkv = linear(dim, 3 * dim, rng)
        self.temporal_out = linear(dim, dim, rng)
        self.cross_q = linear(dim, dim, rng)
        self.cross_kv = linear(dim, 2 * dim, rng)
        self.cross_out = linear(dim, dim, rng)
        self.mlp = FeedForward(dim, mlp, dim, rng)

    def text_memory(self, states: torch.Tensor, mask: torch.Tensor) -> TextMemory:
        b, length = states.shape[0], states.shape[1]
        kv = self.cross_kv(states).reshape(b, length, 2, self.heads, self.dim // self.heads).permute(2, 0, 3, 1, 4)
        return TextMemory(kv[0], kv[1], mask)

    def modulations(self, cond: torch.Tensor) -> list[torch.Tensor]:
        """adaLN (shift, scale, gate) per sub-layer from ``cond`` ``[Bc, Tc, D]``: each ``[Bc, Tc, 1, D]``."""
        m = self.modulation(nn.functional.silu(cond))
        return list(m.reshape(cond.shape[0], cond.shape[1], 1, -1).split(self.dim, dim=3))

    def forward(self, x: torch.Tensor, mods: list[torch.Tensor], memory: TemporalMemory | None,
                own_bias: torch.Tensor | None, temporal_mask: torch.Tensor | None, text: TextMemory,
                fused: bool = False) -> tuple[torch.Tensor, TemporalMemory]:
        """Returns the output and this input's own temporal keys/values/bias (``memory`` comes first
        among the keys; ``temporal_mask`` broadcasts to ``[B·n, 1, T, Tc + T]``)."""
        b, t, n, d = x.shape
        h_, dh = self.heads, d // self.heads
        scale = head_scale(d, h_)
        m = 0
        if self.spatial:
            shift, scl, gate = mods[m:m + 3]
            m += 3
            h = modulate(plain_layer_norm(x), shift, scl)
            q, k, v = self.spatial_qkv(h).reshape(b * t, n, 3, h_, dh).permute(2, 0, 3, 1, 4)
            a = attention(q, k, v, scale, fused=fused)
            x = x + gate * self.spatial_out(a.permute(0, 2, 1, 3).reshape(b, t, n, d))

        shift, scl, gate = mods[m:m + 3]
        m += 3
        h = modulate(plain_layer_norm(x), shift, scl)
        q, k, v = self.temporal_qkv(h).reshape(b, t, n, 3, h_, dh).permute(3, 0, 2, 4, 1, 5).reshape(3, b * n, h_, t, dh)
        own = TemporalMemory(k, v, own_bias)
        keys = memory.appending(own) if memory is not None else own
        a = attention(q, keys.keys, keys.values, scale, bias=keys.bias, mask=temporal_mask, fused=fused)
        merged = a.reshape(b, n, h_, t, dh).permute(0, 3, 1, 2, 4).reshape(b, t, n, d)
        x = x + gate * self.temporal_out(merged)

        shift, scl, gate = mods[m:m + 3]
        m += 3
        h = modulate(plain_layer_norm(x), shift, scl)
        q = self.cross_q(h).reshape(b, t * n, h_, dh).permute(0, 2, 1, 3)
        a = attention(q, text.keys, text.values, scale, mask=text.mask, fused=fused)
        x = x + gate * self.cross_out(a.permute(0, 2, 1, 3).reshape(b, t, n, d))

        shift, scl, gate = mods[m:m + 3]
        x = x + gate * self.mlp(modulate(plain_layer_norm(x), shift, scl))
        return x, own


class FusionBlock(nn.Module):
    """Multi-scale fusion on ``[B, T, N, D]``: ``x ← RMSNorm(x + Attn(LN(x)))`` over all tokens of a frame."""

    def __init__(self, dim: int, heads: int, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.dim = dim
        self.heads = heads
        self.norm = layer_norm(dim)
        self.qkv = linear(dim, 3 * dim, rng)
        self.out = linear(dim, dim, rng)
        self.output_norm = rms_norm(dim)

    def forward(self, x: torch.Tensor, fused: bool = False) -> torch.Tensor:
        b, t, n, d = x.shape
        dh = d // self.heads
        q, k, v = self.qkv(self.norm(x)).reshape(b * t, n, 3, self.heads, dh).permute(2, 0, 3, 1, 4)
        a = attention(q, k, v, head_scale(d, self.heads), fused=fused)
        return self.output_norm(x + self.out(a.permute(0, 2, 1, 3).reshape(b, t, n, d)))
