"""The HybridSign network (``Sources/HybridSign``): a causal clean stream (BOS + clean frames) with the
AR estimate, confidence and progress heads, and a noisy stream (one noisy frame per item, reading
the clean stream's temporal keys/values like a KV cache) that predicts the MeanFlow average velocity.

Parameter names are Swift's (``text.*``, ``time.*``, ``experts.<part>.<layer>.*``, ``bos.<part>``, ...),
so ``state_dict()`` is a checkpoint's ``model.*`` without the prefix. Shapes: B sequences, T positions,
J joints in part order, D = ``dim``, n tokens of a part per frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .blocks import ExpertBlock, FusionBlock, TemporalMemory, TextMemory
from .config import ModelConfig
from .embeddings import ConfidenceBias, TimeEmbedding, TokenEmbedder
from .layers import layer_norm, linear, modulate, normal_parameter, plain_layer_norm, sin_cos, sin_cos_table, zero_linear
from .rng import RandomGenerator
from .text_encoder import TextEncoder

#: ``history[part][layer]``: the clean stream's keys/values of earlier positions.
History = list[list[TemporalMemory]]


@dataclass
class TextContext:
    """Encoded texts and, per block, their keys/values (computed once per batch)."""

    states: torch.Tensor
    mask: torch.Tensor
    memories: dict[int, TextMemory]

    def memory(self, block: ExpertBlock) -> TextMemory:
        key = id(block)
        if key not in self.memories:
            self.memories[key] = block.text_memory(self.states, self.mask)
        return self.memories[key]


@dataclass
class CleanOutput:
    """The clean stream's outputs for its new positions q: ``mean`` ``[B, Tq, J, 2]`` (estimate of the
    frame following q), ``confidence`` ``[B, Tq, J]``, ``progress`` ``[B, Tq]``, and their keys/values."""

    mean: torch.Tensor
    confidence: torch.Tensor
    progress: torch.Tensor
    produced: History


class HybridSignNetwork(nn.Module):
    """The network on model-space tensors. ``seed`` initialises it exactly as Swift's
    ``HybridSignNetwork(config:vocabularySize:seed:)``; ``seed=None`` leaves zeros (to load weights)."""

    def __init__(self, config: ModelConfig, vocabulary_size: int, seed: int | None, signers: int = 0) -> None:
        super().__init__()
        config.validate()
        self.config = config
        rng = RandomGenerator(seed) if seed is not None else None
        d = config.dim
        sizes = [len(p.joints) for p in config.layout.parts]
        starts = np.cumsum([0] + sizes)
        self.part_ranges = [(int(starts[i]), int(starts[i + 1])) for i in range(len(sizes))]
        self.tokens_per_part = config.tokens_per_part
        clean, noisy = config.mode != "diffusion", config.mode != "ar"
        self.has_clean_stream, self.has_noisy_stream = clean, noisy
        # Children in Swift's construction order (the generator's draws follow it).
        self.text = TextEncoder(config, vocabulary_size, rng)
        self.time = TimeEmbedding(d, rng)
        self.gap = TimeEmbedding(d, rng)
        self.clean_embed = nn.ModuleList([TokenEmbedder(config.tokens, s, 2, d, rng) for s in sizes] if clean else [])
        self.noisy_embed = nn.ModuleList([TokenEmbedder(config.tokens, s, 4, d, rng) for s in sizes] if noisy else [])
        self.bos = nn.ParameterList([normal_parameter([n, d], 0.02, rng) for n in self.tokens_per_part] if clean else [])
        if config.tokens == "part":
            self.part_embedding = normal_parameter([len(sizes), d], 0.02, rng)
        self.confidence_bias = nn.ModuleList(
            [ConfidenceBias(config.tokens, s, config.heads, rng) for s in sizes] if config.confidence else [])

        self.experts, self.stacks = self._expert_stacks(config, len(sizes), rng)
        self.fusion: FusionBlock | None = FusionBlock(d, config.heads, rng) if config.fusion else None
        outputs_per_token = [s // n for s, n in zip(sizes, self.tokens_per_part)]
        if clean:
            self.clean_norm = layer_norm(d)
            self.mean_head = nn.ModuleList([linear(d, 2 * o, rng) for o in outputs_per_token])
            self.confidence_head = nn.ModuleList([linear(d, o, rng) for o in outputs_per_token])
            self.progress_head = linear(d, 1, rng)
        if noisy:
            self.final_modulation = zero_linear(d, 2 * d)
            self.velocity_head = nn.ModuleList([zero_linear(d, 2 * o) for o in outputs_per_token])
        if config.tokens == "joint":
            tables = []
            for part in config.layout.parts:
                table = np.zeros((1, 1, len(part.joints), d), dtype=np.float32)
                table[0, 0, :, d // 2:] = sin_cos_table(np.array(part.joints, dtype=np.float32), d // 2)
                tables.append(torch.from_numpy(table))
            for p, table in enumerate(tables):
                self.register_buffer(f"joint_positions_{p}", table, persistent=False)
        if config.signer_conditioning:
            # Drawn last, as in Swift: a model without it starts exactly as before.
            self.signer_embedding = normal_parameter([signers + 1, d], 0.02, rng)
        # The flow's own backbone (``flow_backbone: separate``), drawn after everything else.
        self.flow_stacks = self.stacks
        if config.flow_backbone == "separate":
            self.flow_experts, self.flow_stacks = self._expert_stacks(config, len(sizes), rng)
            self.flow_fusion: FusionBlock | None = FusionBlock(d, config.heads, rng) if config.fusion else None
        #: Use ``scaled_dot_product_attention`` (GPU) where no forward-mode AD runs.
        self.fused_attention = False

    @staticmethod
    def _expert_stacks(config: ModelConfig, parts: int, rng: RandomGenerator | None) -> tuple[nn.Module, list[nn.ModuleList]]:
        """One stack of ``depth`` blocks per part (a ``ModuleList``), or one stack every part shares
        (a ``ModuleDict`` under ``shared``, Swift's parameter names); and the stack of each part."""
        def stack() -> nn.ModuleList:
            return nn.ModuleList([ExpertBlock(config.dim, config.heads, config.mlp, config.tokens == "joint", rng)
                                  for _ in range(config.depth)])

        if config.experts:
            stacks = nn.ModuleList([stack() for _ in range(parts)])
            return stacks, list(stacks)
        shared = nn.ModuleDict({"shared": stack()})
        return shared, [shared["shared"]] * parts

    # Shared pieces

    def encode_text(self, ids: torch.Tensor | None, features: torch.Tensor | None, lengths: torch.Tensor,
                    signers: torch.Tensor | None = None) -> TextContext:
        """With signer conditioning, ``signers`` ``[B]`` (0 = none; None = none for all) adds each
        sequence's signer embedding as one more text token after the last slot."""
        states, mask = self.text(ids, features, lengths, fused=self.fused_attention)
        if self.config.signer_conditioning:
            b = states.shape[0]
            if signers is None:
                signers = torch.zeros(b, dtype=torch.long, device=states.device)
            tokens = self.signer_embedding[signers.to(states.device)].reshape(b, 1, -1)
            states = torch.cat([states, tokens], dim=1)
            mask = torch.cat([mask, mask.new_zeros(b, 1, 1, 1)], dim=3)
        return TextContext(states, mask, {})

    def time_condition(self, t: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
        """``[B, T]`` flow times → ``[B, T, D]``: MLP(sincos t) + MLP(sincos(t − r))."""
        b, tt = t.shape
        return (self.time(t) + self.gap(t - r)).reshape(b, tt, self.config.dim)

    def positions(self, p: int, frames: torch.Tensor) -> torch.Tensor:
        """Position embedding of part p for frame indices ``[B, T]`` (−1 = padding, as frame 0)."""
        d = self.config.dim
        b, t = frames.shape
        index = frames.clamp(min=0).to(torch.float32).reshape(-1)
        if self.config.tokens == "part":
            table = sin_cos(index, d).reshape(b, t, 1, d)
            return table + self.part_embedding[p].reshape(1, 1, 1, d)
        half = sin_cos(index, d // 2).reshape(b, t, 1, d // 2)
        frame_half = torch.cat([half, torch.zeros_like(half)], dim=3)
        return frame_half + getattr(self, f"joint_positions_{p}")

    def part_slice(self, x: torch.Tensor, p: int) -> torch.Tensor:
        start, end = self.part_ranges[p]
        return x if len(self.part_ranges) == 1 else x[:, :, start:end]

    def join_parts(self, outputs: list[torch.Tensor], channels: int) -> torch.Tensor:
        joined = [o.reshape(o.shape[0], o.shape[1], end - start, channels) for o, (start, end) in zip(outputs, self.part_ranges)]
        return joined[0] if len(joined) == 1 else torch.cat(joined, dim=2)

    def biases(self, confidence: torch.Tensor) -> list[torch.Tensor | None]:
        if not self.config.confidence:
            return [None] * len(self.part_ranges)
        return [self.confidence_bias[p](self.part_slice(confidence, p)) for p in range(len(self.part_ranges))]

    def run_blocks(self, tokens: list[torch.Tensor], flow: bool, cond: torch.Tensor, history: History | None,
                   own_biases: list[torch.Tensor | None], masks: list[torch.Tensor | None], text: TextContext,
                   fused: bool) -> tuple[list[torch.Tensor], History]:
        """The expert stacks layer by layer, then fusion: the clean stream's, or with ``flow`` the
        noisy stream's (its own under ``flow_backbone: separate``); returns the tokens and each
        layer's keys/values."""
        separate = flow and self.config.flow_backbone == "separate"
        stacks, fusion = (self.flow_stacks, self.flow_fusion) if separate else (self.stacks, self.fusion)
        x = list(tokens)
        produced: History = [[] for _ in x]
        modulations: dict[int, list[torch.Tensor]] = {}
        for layer in range(self.config.depth):
            for p in range(len(x)):
                block = stacks[p][layer]
                if id(block) not in modulations:
                    modulations[id(block)] = block.modulations(cond)
                memory = history[p][layer] if history is not None else None
                x[p], own = block(x[p], modulations[id(block)], memory, own_biases[p], masks[p], text.memory(block), fused=fused)
                produced[p].append(own)
        if fusion is not None:
            counts = [part.shape[2] for part in x]
            x = list(fusion(torch.cat(x, dim=2), fused=fused).split(counts, dim=2))
        return x, produced

    # The two streams

    def clean_pass(self, frames: torch.Tensor | None, confidence: torch.Tensor | None, first_frame: int, prepend_bos: bool,
                   text: TextContext, history: History | None) -> CleanOutput:
        """The clean stream over new positions after ``history``: ``frames`` ``[B, Tf, J, 2]`` (missing
        joints 0) and their keys' ``confidence`` ``[B, Tf, J]``; ``prepend_bos`` adds the start token."""
        d = self.config.dim
        b = frames.shape[0] if frames is not None else text.states.shape[0]
        tf = frames.shape[1] if frames is not None else 0
        tq = tf + (1 if prepend_bos else 0)
        joints = self.part_ranges[-1][1]
        device = text.states.device
        pieces = []
        if prepend_bos:
            pieces.append(torch.ones(b, 1, joints, device=device))
        if confidence is not None:
            pieces.append(confidence)
        key_confidence = pieces[0] if len(pieces) == 1 else torch.cat(pieces, dim=1)
        frame_index = torch.arange(first_frame, first_frame + tf, device=device).expand(b, tf)
        tokens = []
        for p in range(len(self.part_ranges)):
            n = self.tokens_per_part[p]
            parts = []
            if prepend_bos:
                parts.append(self.bos[p].reshape(1, 1, n, d).expand(b, 1, n, d))
            if frames is not None and tf > 0:
                parts.append(self.clean_embed[p](self.part_slice(frames, p)) + self.positions(p, frame_index))
            tokens.append(parts[0] if len(parts) == 1 else torch.cat(parts, dim=1))
        previous = history[0][0].count if history else 0
        mask = causal_mask(tq, previous + tq, device) if tq > 1 else None
        zero = torch.zeros(1, 1, device=device)
        x, produced = self.run_blocks(tokens, False, self.time_condition(zero, zero), history, self.biases(key_confidence),
                                      [mask] * len(tokens), text, fused=self.fused_attention)
        means, confidences, pooled = [], [], []
        for p in range(len(x)):
            h = self.clean_norm(x[p])
            means.append(self.mean_head[p](h))
            confidences.append(torch.sigmoid(self.confidence_head[p](h)))
            pooled.append(h.sum(dim=2))
        pool = pooled[0]
        for extra in pooled[1:]:
            pool = pool + extra
        pool = pool * (1.0 / float(sum(self.tokens_per_part)))
        # Linear, not a sigmoid: with MSE a sigmoid stays below its end target 1 and the stopping
        # rule never fires.
        progress = self.progress_head(pool).reshape(b, tq)
        return CleanOutput(self.join_parts(means, 2), self.join_parts(confidences, 1).reshape(b, tq, joints), progress, produced)

    def noisy_pass(self, z: torch.Tensor, mean: torch.Tensor, own_confidence: torch.Tensor, frames: torch.Tensor,
                   t: torch.Tensor, r: torch.Tensor, text: TextContext, history: History | None,
                   mask: torch.Tensor | None | str = "compute", fused: bool | None = None) -> torch.Tensor:
        """The noisy stream: item (b, i) is noisy frame ``z[b, i]`` of frame index ``frames[b, i]`` (−1
        padding) with coarse estimate ``mean[b, i]`` and own-key confidence ``own_confidence[b, i]``.
        With a ``history`` (clean positions 0...T) item (b, i) attends to clean positions 0...frames[b, i]
        and itself; without one (diffusion) the items of a sequence attend to each other.
        ``mask``: the items' temporal mask from ``noisy_mask`` (``[B, Tg, Tk]`` or None), computed here
        unless given (training prepares it on the host). Returns the average velocity u ``[B, Tg, J, 2]``
        = (z − x̂)/t with x̂ = mean + Δ."""
        b, tg = z.shape[0], z.shape[1]
        values = torch.cat([z, mean], dim=3)
        tokens = [self.noisy_embed[p](self.part_slice(values, p)) + self.positions(p, frames) for p in range(len(self.part_ranges))]
        cond = self.time_condition(t, r)
        if isinstance(mask, str):
            mask = noisy_mask(frames, history[0][0].count if history else None)
        masks = per_token_masks(mask, self.tokens_per_part)
        use_fused = self.fused_attention if fused is None else fused
        x, _ = self.run_blocks(tokens, True, cond, history, self.biases(own_confidence), masks, text, fused=use_fused)
        shift, scale = self.final_modulation(nn.functional.silu(cond)).reshape(b, tg, 1, 2 * self.config.dim).split(self.config.dim, dim=3)
        outputs = [self.velocity_head[p](modulate(plain_layer_norm(x[p]), shift, scale)) for p in range(len(x))]
        # The head predicts a correction Δ of the estimate: x̂ = μ + Δ, u = (z − x̂)/t. Untrained
        # (Δ = 0), one step from t = 1 returns μ exactly.
        clean = mean + self.join_parts(outputs, 2)
        return (z - clean) / t.reshape(b, tg, 1, 1)


def causal_mask(queries: int, keys: int, device: torch.device | str) -> torch.Tensor:
    """``[Tq, Tk]``: query i sees keys 0...i + (Tk − Tq) (0 allowed, −inf not)."""
    shift = keys - queries
    allowed = torch.arange(keys, device=device)[None, :] <= torch.arange(queries, device=device)[:, None] + shift
    return torch.zeros(queries, keys, device=device).masked_fill(~allowed, float("-inf"))


def noisy_mask(frames: torch.Tensor, memory_count: int | None) -> torch.Tensor | None:
    """The noisy stream's temporal mask ``[B, Tg, Tk]`` (0 allowed, −inf not; None when nothing is
    masked). With memory: item i sees clean positions ≤ its frame index and itself; without
    (diffusion): every real item of its sequence, padding only itself."""
    b, tg = frames.shape
    device = frames.device
    own = torch.eye(tg, dtype=torch.bool, device=device).expand(b, tg, tg)
    real = frames >= 0
    if memory_count is not None:
        positions = torch.arange(memory_count, device=device)
        history = real[:, :, None] & (positions[None, None, :] <= frames[:, :, None])
        allowed = torch.cat([history, own], dim=2)
    else:
        allowed = torch.where(real[:, :, None], real[:, None, :].expand(b, tg, tg), own)
    if bool(allowed.all()):
        return None
    return torch.zeros(allowed.shape, device=device).masked_fill(~allowed, float("-inf"))


def per_token_masks(mask: torch.Tensor | None, tokens_per_part: list[int]) -> list[torch.Tensor | None]:
    """Per part the mask for the temporal attention's ``[B·n, 1, Tg, Tk]`` rows (made where the
    mask is: on the GPU in training, so only ``[B, Tg, Tk]`` crosses from the host)."""
    if mask is None:
        return [None] * len(tokens_per_part)
    b, tg, tk = mask.shape
    return [mask[:, None, None].expand(b, n, 1, tg, tk).reshape(b * n, 1, tg, tk) for n in tokens_per_part]
