"""Building blocks shared by the network's modules: layers initialised exactly as Swift's
``Tensors`` layers (same generator, same order), sin-cos embeddings, adaLN modulation, attention.

Every layer takes an optional ``RandomGenerator``: with one, its weights are the numbers Swift draws
for the same seed; without (a model about to load a checkpoint) it is left at zero.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .rng import RandomGenerator


def linear(inputs: int, outputs: int, rng: RandomGenerator | None) -> nn.Linear:
    """``Linear(inputs, outputs)``: weight then bias uniform in ±1/√inputs (PyTorch's default range)."""
    layer = nn.Linear(inputs, outputs, device="meta")
    bound = np.float32(1) / np.sqrt(np.float32(inputs))
    if rng is None:
        return _materialise(layer)
    weight = rng.uniform_array([outputs, inputs], low=-bound, high=bound)
    bias = rng.uniform_array([outputs], low=-bound, high=bound)
    layer.weight = nn.Parameter(torch.from_numpy(weight))
    layer.bias = nn.Parameter(torch.from_numpy(bias))
    return layer


def zero_linear(inputs: int, outputs: int) -> nn.Linear:
    """``Linear(zeros:)``: zero weight and bias (adaLN projections, output heads)."""
    return _materialise(nn.Linear(inputs, outputs, device="meta"))


def _materialise(layer: nn.Linear) -> nn.Linear:
    layer.weight = nn.Parameter(torch.zeros(layer.out_features, layer.in_features))
    layer.bias = nn.Parameter(torch.zeros(layer.out_features))
    return layer


def normal_parameter(shape: list[int], std: float, rng: RandomGenerator | None) -> nn.Parameter:
    if rng is None:
        return nn.Parameter(torch.zeros(shape))
    return nn.Parameter(torch.from_numpy(rng.normal_array(shape, std=std)))


def embedding(count: int, dim: int, rng: RandomGenerator | None) -> nn.Embedding:
    """``Embedding(count, dim)``: a table from N(0, 1)."""
    layer = nn.Embedding(count, dim, device="meta")
    layer.weight = normal_parameter([count, dim], 1.0, rng)
    return layer


def layer_norm(dim: int) -> nn.LayerNorm:
    return nn.LayerNorm(dim, eps=1e-5)


def rms_norm(dim: int) -> nn.RMSNorm:
    return nn.RMSNorm(dim, eps=1e-6)


class FeedForward(nn.Module):
    """``In → Hidden → Out`` with a tanh-approximated GELU between (children ``in``, ``out``)."""

    def __init__(self, inputs: int, hidden: int, outputs: int, rng: RandomGenerator | None) -> None:
        super().__init__()
        self.add_module("in", linear(inputs, hidden, rng))
        self.add_module("out", linear(hidden, outputs, rng))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._modules["out"](F.gelu(self._modules["in"](x), approximate="tanh"))


def sin_cos_frequencies(dim: int, max_period: float = 10_000.0) -> np.ndarray:
    """``f_k = maxPeriod^(−k/half)``, ``k < half = dim/2``, computed in float32 as Swift does."""
    half = dim // 2
    k = np.arange(half, dtype=np.float32)
    return np.exp(-np.log(np.float32(max_period)) * k / np.float32(half)).astype(np.float32)


_frequency_tables: dict[tuple[int, torch.device], torch.Tensor] = {}


def sin_cos(positions: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embeddings ``[sin(p·f_k)…, cos(p·f_k)…]``: ``[N]`` → ``[N, dim]`` (differentiable)."""
    # Kept per device: copying the table to a GPU in every pass would make the host wait for it.
    key = (dim, positions.device)
    if key not in _frequency_tables:
        _frequency_tables[key] = torch.from_numpy(sin_cos_frequencies(dim)).to(positions.device)
    angles = positions.reshape(-1, 1).float() * _frequency_tables[key]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


def sin_cos_table(positions: np.ndarray, dim: int) -> np.ndarray:
    """Sinusoidal embeddings of constant positions, in float32 numpy."""
    angles = np.asarray(positions, dtype=np.float32).reshape(-1, 1) * sin_cos_frequencies(dim)
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """adaLN: ``x·(1 + scale) + shift``."""
    return x * (1 + scale) + shift


def plain_layer_norm(x: torch.Tensor) -> torch.Tensor:
    """LayerNorm without parameters (adaLN blocks), ε = 1e-5."""
    return F.layer_norm(x, (x.shape[-1],), eps=1e-5)


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scale: float,
              bias: torch.Tensor | None = None, mask: torch.Tensor | None = None, fused: bool = False) -> torch.Tensor:
    """``softmax(scale·Q·Kᵀ + bias + mask)·V`` per (batch, head); q ``[B, H, Tq, Dh]``, k, v
    ``[B, H, Tk, Dh]``, bias broadcastable to ``[B, H, Tq, Tk]``, mask (0 / −inf) to ``[B, 1, Tq, Tk]``.

    ``fused`` uses ``scaled_dot_product_attention`` (GPU kernels; no forward-mode AD, so the MeanFlow
    JVP pass runs with ``fused=False``). A query whose keys are all masked gives zeros, as in Swift.
    """
    additive = None
    if bias is not None and mask is not None:
        additive = bias + mask
    elif bias is not None or mask is not None:
        additive = bias if bias is not None else mask
    if fused:
        if additive is not None:
            additive = additive.to(q.dtype).expand(q.shape[0], q.shape[1], q.shape[2], k.shape[2])
        return F.scaled_dot_product_attention(q, k, v, attn_mask=additive, scale=scale)
    logits = torch.matmul(q, k.transpose(-1, -2)) * scale
    if additive is not None:
        logits = logits + additive
    weights = torch.softmax(logits, dim=-1)
    if mask is not None:
        weights = torch.nan_to_num(weights, nan=0.0)
    return torch.matmul(weights, v)


def head_scale(dim: int, heads: int) -> float:
    return 1.0 / math.sqrt(dim // heads)
