"""The training objectives ``hybrid``, ``ar`` and ``diffusion`` (``Sources/HybridSign/Objective.swift``).

For a shard of a batch, with every term divided by the whole batch's normaliser:

- AR: Σ c·(μ − x)² / (2·Σc), over the clean stream's estimates of the recorded frames;
- confidence: Σ (ĉ − c)² / (real frames · J); progress: Σ (p − q/(n−1))² / real frames;
- flow (hybrid, per chosen frame; diffusion, per frame of a sequence): z = (1 − t)·x + t·s, v = s − x
  with s = sg(μ) + σ·ε (hybrid) or ε (diffusion); u = (z − x̂)/t from the noisy stream; target
  u_tgt = v − (t − r)·du/dt with du/dt the exact JVP along (dz, dt) = (v, 1) (``torch.func.jvp``),
  a constant; per item err = Σ w·(u − u_tgt)² (w: the confidences, summing to 1 over its visible
  coordinates), weighted by sg(1/(err + 1e−3)^p), summed and divided by the batch's flow items;
- total: λ_flow·flow + λ_ar·AR + λ_c·confidence + λ_p·progress (diffusion: the flow alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.func import jvp

from .network import CleanOutput, History, HybridSignNetwork, TextContext
from .shard_inputs import DiffusionGroup, FlowGroup, ShardInputs, TextInputs

#: ε of the adaptive weight 1/(err + ε)^p.
ADAPTIVE_EPSILON = 1e-3


@dataclass
class LossParts:
    """A shard's losses as device tensors (no host synchronisation until they are logged)."""

    total: torch.Tensor
    flow: torch.Tensor
    flow_error: torch.Tensor  # the raw per-item errors' sum over the batch's flow items
    ar: torch.Tensor
    confidence: torch.Tensor
    progress: torch.Tensor

    def detached(self) -> "LossParts":
        return LossParts(*(getattr(self, name).detach() for name in ("total", "flow", "flow_error", "ar", "confidence", "progress")))

    def __add__(self, other: "LossParts") -> "LossParts":
        return LossParts(*(getattr(self, n) + getattr(other, n) for n in ("total", "flow", "flow_error", "ar", "confidence", "progress")))


def masked_mse(prediction: torch.Tensor, target: torch.Tensor, mask: torch.Tensor, normalizer: float) -> torch.Tensor:
    """Σ mask·(p − t)² / normalizer (0 when the normaliser is 0)."""
    scale = 1.0 / normalizer if normalizer > 0 else 0.0
    return ((prediction - target) ** 2 * mask).sum() * scale


class StepLoss(nn.Module):
    """The loss of one shard as a module, so DistributedDataParallel can wrap it: ``forward(shard)``
    returns the total to differentiate and its parts."""

    def __init__(self, network: HybridSignNetwork) -> None:
        super().__init__()
        self.network = network

    def text(self, inputs: TextInputs) -> TextContext:
        context = self.network.encode_text(inputs.ids, inputs.features, inputs.lengths, inputs.signers)
        # Computed here, not inside the JVP's function: tensors made there must not escape it.
        for stack in self.network.stacks + self.network.flow_stacks:
            for block in stack:
                context.memory(block)
        return context

    def forward(self, shard: ShardInputs) -> tuple[torch.Tensor, LossParts]:
        net, config = self.network, self.network.config
        zero = shard.coordinates.new_zeros(())
        flow_items = shard.normalizers.flow
        if config.mode == "diffusion":
            flow, error = self.diffusion_loss(shard)
            return flow, LossParts(flow, flow, error / max(flow_items, 1.0), zero, zero, zero)
        text = self.text(shard.text)
        clean = net.clean_pass(shard.input_coordinates, shard.input_confidence, 0, True, text, None)
        ar, conf, progress = self.head_losses(clean, shard)
        total = ar * config.ar_weight + conf * config.confidence_weight + progress * config.progress_weight
        flow = error = zero
        if config.mode == "hybrid":
            if shard.flow_groups:
                flow, error = self.hybrid_flow_loss(shard, clean, text)
                total = total + flow * config.flow_weight
            else:
                # No flow item in this shard (others of the batch have them): touch the noisy
                # stream's own parameters with a zero so every process differentiates the same set.
                total = total + 0.0 * sum(p.sum() for p in self.noisy_only_parameters())
        return total, LossParts(total, flow, error / max(flow_items, 1.0), ar, conf, progress)

    def noisy_only_parameters(self) -> list[torch.Tensor]:
        net = self.network
        return [*net.noisy_embed.parameters(), *net.final_modulation.parameters(), *net.velocity_head.parameters()]

    def head_losses(self, clean: CleanOutput, shard: ShardInputs) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        t = shard.coordinates.shape[1]
        normalizers = shard.normalizers
        ar = masked_mse(clean.mean[:, :t], shard.coordinates, shard.confidence.unsqueeze(3), normalizers.ar)
        conf = masked_mse(clean.confidence[:, :t], shard.confidence, shard.frame_mask, normalizers.confidence)
        progress = masked_mse(clean.progress[:, 1:t + 1], shard.progress_target, shard.progress_mask, normalizers.progress)
        return ar, conf, progress

    def hybrid_flow_loss(self, shard: ShardInputs, clean: CleanOutput, text: TextContext) -> tuple[torch.Tensor, torch.Tensor]:
        config = self.network.config
        mu, chat = clean.mean.detach(), clean.confidence.detach()
        history = [[m.detached() for m in layers] for layers in clean.produced] if config.detach_history else clean.produced
        total = error = None
        for group in shard.flow_groups:
            loss, err = self.flow_group_loss(group, mu, chat, text, history, shard.normalizers.flow)
            total = loss if total is None else total + loss
            error = err if error is None else error + err
        return total, error

    def flow_group_loss(self, group: FlowGroup, mu: torch.Tensor, chat: torch.Tensor, text: TextContext,
                        history: History, flow_items: float) -> tuple[torch.Tensor, torch.Tensor]:
        net, config = self.network, self.network.config
        b, tg = group.frames.shape
        # Position i of the clean stream estimates frame i.
        index = group.frames.clamp(min=0)
        rows = torch.arange(b, device=index.device)[:, None]
        real = group.real[..., None, None]
        mean = torch.where(real, mu[rows, index], 0.0)
        own_confidence = torch.where(group.real[..., None], chat[rows, index], 1.0)
        time = group.t[..., None, None]
        source = config.flow_start(mean, config.sigma * group.noise)
        z = torch.where(real, (1 - time) * group.x + time * source, 0.0)
        v = torch.where(real, source - group.x, 0.0)

        def velocity(z_: torch.Tensor, t_: torch.Tensor) -> torch.Tensor:
            return net.noisy_pass(z_, mean, own_confidence, group.frames, t_, group.r, text, history,
                                  mask=group.mask, fused=False if group.jvp else None)

        return self.weighted_flow_loss(group.jvp, velocity, z, v, group.t, group.r, group.weight, group.real, flow_items)

    def diffusion_loss(self, shard: ShardInputs) -> tuple[torch.Tensor, torch.Tensor]:
        net = self.network
        total = error = None
        for group in shard.diffusion_groups:
            text = self.text(group.text)
            b, t, j, _ = group.z.shape

            def velocity(z_: torch.Tensor, t_: torch.Tensor, group: DiffusionGroup = group, text: TextContext = text) -> torch.Tensor:
                return net.noisy_pass(z_, torch.zeros_like(group.z), torch.ones_like(group.weight), group.frames, t_, group.r,
                                      text, None, mask=group.mask, fused=False if group.jvp else None)

            loss, err = self.weighted_flow_loss(group.jvp, velocity, group.z, group.v, group.t, group.r, group.weight, group.real,
                                                shard.normalizers.flow)
            total = loss if total is None else total + loss
            error = err if error is None else error + err
        return total, error

    def weighted_flow_loss(self, needs_jvp: bool, velocity, z: torch.Tensor, v: torch.Tensor, t: torch.Tensor, r: torch.Tensor,
                           weight: torch.Tensor, real: torch.Tensor, flow_items: float) -> tuple[torch.Tensor, torch.Tensor]:
        """Σ over real items of sg(w)·err / (the batch's flow items); returns it and Σ err."""
        if needs_jvp:
            u, dudt = jvp(velocity, (z, t), (v, torch.ones_like(t)))
            target = v - (t - r)[..., None, None] * dudt.detach()
        else:
            u = velocity(z, t)
            target = v
        per_item = ((u - target) ** 2 * weight[..., None]).sum(dim=(2, 3))
        err = per_item.detach()
        adaptive = torch.where(real, 1.0 / (err + ADAPTIVE_EPSILON) ** self.network.config.adaptive_power / flow_items, 0.0)
        return (per_item * adaptive).sum(), (err * real).sum()
