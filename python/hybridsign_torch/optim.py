"""Optimisation as the Swift trainer does it (``Tensors/Training``): AdamW with decoupled decay on
matrices (rank ≥ 2) only, warm-up + cosine to 10% of the peak, global-norm clipping, EMA with the
usual warm-up; and the mapping between PyTorch's AdamW state and a checkpoint's ``adamw.*`` tensors."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

BETAS = (0.9, 0.999)
EPSILON = 1e-8


def learning_rate(step: int, peak: float, warmup: int, total: int) -> float:
    """The rate of 0-based ``step``: ``min(warmup, max(total/10, 1))`` linear warm-up steps, then cosine
    to 10% of the peak at ``total`` (float32, as Swift computes it)."""
    f = np.float32
    peak32 = f(peak)
    minimum = peak32 * f(0.1)
    warmup = min(warmup, max(total // 10, 1))
    if step < warmup:
        return float(peak32 * f(step + 1) / f(warmup))
    span = max(1, total - warmup)
    progress = min(f(1), f(step - warmup) / f(span))
    return float(minimum + (peak32 - minimum) * f(0.5) * (f(1) + f(math.cos(float(f(np.pi) * progress)))))


def make_adamw(network: nn.Module, learning_rate: float, weight_decay: float) -> torch.optim.AdamW:
    """AdamW over the network's parameters, decaying only those of rank ≥ 2 (matrices, embeddings)."""
    decayed = [p for p in network.parameters() if p.dim() >= 2]
    plain = [p for p in network.parameters() if p.dim() < 2]
    fused = next(network.parameters()).is_cuda
    return torch.optim.AdamW([{"params": decayed, "weight_decay": weight_decay}, {"params": plain, "weight_decay": 0.0}],
                             lr=learning_rate, betas=BETAS, eps=EPSILON, fused=fused or None, foreach=None if fused else True)


def load_adamw_state(optimizer: torch.optim.AdamW, network: nn.Module, step: int, m: dict[str, torch.Tensor],
                     v: dict[str, torch.Tensor], context: str) -> None:
    """Puts a checkpoint's ``adamw.step`` / ``adamw.m.<name>`` / ``adamw.v.<name>`` into PyTorch's state
    (per parameter ``step``, ``exp_avg``, ``exp_avg_sq``)."""
    fused = bool(optimizer.defaults.get("fused"))
    for name, p in network.named_parameters():
        for kind, store in (("m", m), ("v", v)):
            if name not in store:
                raise ValueError(f"{context}: optimiser state 'adamw.{kind}.{name}' is missing from the checkpoint")
            if tuple(store[name].shape) != tuple(p.shape):
                raise ValueError(f"{context}: optimiser state 'adamw.{kind}.{name}' has shape {list(store[name].shape)}, expected {list(p.shape)}")
        optimizer.state[p] = {
            "step": torch.tensor(float(step), dtype=torch.float32, device=p.device if fused else "cpu"),
            "exp_avg": m[name].to(p.device, torch.float32).clone(),
            "exp_avg_sq": v[name].to(p.device, torch.float32).clone(),
        }


def adamw_state(optimizer: torch.optim.AdamW, network: nn.Module) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    """The moments by parameter name (zeros for a parameter not yet stepped)."""
    m, v = {}, {}
    for name, p in network.named_parameters():
        state = optimizer.state.get(p, {})
        m[name] = state["exp_avg"] if "exp_avg" in state else torch.zeros_like(p)
        v[name] = state["exp_avg_sq"] if "exp_avg_sq" in state else torch.zeros_like(p)
    return m, v


def clip_gradients(parameters: list[torch.Tensor], max_norm: float) -> torch.Tensor:
    """Scales the gradients so their global L2 norm is at most ``max_norm`` (coefficient
    ``max/(norm + 1e−6)`` when the norm exceeds it); returns the norm before clipping, on the device."""
    grads = [p.grad for p in parameters if p.grad is not None]
    norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)).double()).float()
    coefficient = torch.where(torch.isfinite(norm) & (norm > max_norm), max_norm / (norm + 1e-6), torch.ones_like(norm))
    torch._foreach_mul_(grads, coefficient)
    return norm


class EMA:
    """Exponential moving average of the parameters: ``shadow ← d·shadow + (1 − d)·p`` with
    ``d = min(decay, (k + 1)/(k + 10))`` after step k."""

    def __init__(self, network: nn.Module, decay: float) -> None:
        self.names = [name for name, _ in network.named_parameters()]
        self.parameters = [p for _, p in network.named_parameters()]
        self.shadow = [p.detach().clone() for p in self.parameters]
        self.decay = decay

    def update(self, step: int) -> None:
        d = min(np.float32(self.decay), np.float32(step + 1) / np.float32(step + 10))
        with torch.no_grad():
            torch._foreach_mul_(self.shadow, float(d))
            torch._foreach_add_(self.shadow, [p.detach() for p in self.parameters], alpha=float(np.float32(1) - d))

    def state(self) -> dict[str, torch.Tensor]:
        return dict(zip(self.names, self.shadow))

    def load(self, state: dict[str, torch.Tensor], context: str) -> None:
        for i, (name, p) in enumerate(zip(self.names, self.parameters)):
            if name not in state:
                raise ValueError(f"{context}: optimiser state 'ema.{name}' is missing from the checkpoint")
            if tuple(state[name].shape) != tuple(p.shape):
                raise ValueError(f"{context}: 'ema.{name}' has shape {list(state[name].shape)}, expected {list(p.shape)}")
            self.shadow[i] = state[name].to(p.device, torch.float32).clone()

    def swap(self) -> None:
        """Exchanges the parameters and the averages (call twice to restore)."""
        with torch.no_grad():
            for p, s in zip(self.parameters, self.shadow):
                current = p.detach().clone()
                p.copy_(s)
                s.copy_(current)
