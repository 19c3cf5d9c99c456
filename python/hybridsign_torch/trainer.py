"""The twin's trainer: the Swift trainer's step (same batches, same draws, same AdamW, schedule,
clipping and EMA) on one process or many (DistributedDataParallel), resumable exactly from a
checkpoint written by either engine.

A step's batch is the global batch (``--batch``, independent of the number of processes). It is cut
into ``processes × accumulation`` shards of sequences (``draws.shard_ranges``); a process runs its
shards one after another, each divided by the whole batch's normalisers, so the shards' gradients add
up to the batch's. DDP averages gradients over processes, so each process scales its loss by the
number of processes: the result is the batch's gradient, as one process would compute it.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from . import checkpoint as checkpoints
from .batching import TrainingData
from .config import ModelConfig, TrainingOptions
from .draws import StepDraws, shard_ranges, step_generator
from .model import HybridSignModel
from .objective import LossParts, StepLoss
from .optim import EMA, adamw_state, clip_gradients, learning_rate, load_adamw_state, make_adamw
from .poses import PoseSource
from .shard_inputs import ShardInputs, prepare


class Diverged(RuntimeError):
    """The loss or the gradient norm became NaN or infinite."""


@dataclass(frozen=True)
class Topology:
    """This process's place in the run: rank, number of processes, device."""

    rank: int = 0
    world_size: int = 1
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0


@dataclass
class PreparedStep:
    """What a process needs for one step, made on the host (possibly in a data-loader worker)."""

    step: int
    shards: list[ShardInputs]
    frames: int  # real frames of the whole batch

    def pin_memory(self) -> "PreparedStep":
        return PreparedStep(self.step, [s.pin_memory() for s in self.shards], self.frames)


class StepSource(torch.utils.data.Dataset):
    """Step index → this process's shards of that step's batch (batch, draws and tensors)."""

    def __init__(self, data: TrainingData, options: TrainingOptions, topology: Topology, micro_batch: int | None) -> None:
        self.data = data
        self.config = data.mapping.config
        self.options = options
        self.topology = topology
        self.micro_batch = micro_batch

    def __len__(self) -> int:
        return self.options.steps

    def block(self, batch_size: int) -> tuple[int, int]:
        """The sequences of the batch this process runs."""
        world = self.topology.world_size
        if batch_size < world:
            raise ValueError(f"a batch of {batch_size} sequences cannot be split over {world} processes; "
                             f"give --batch at least {world}")
        return shard_ranges(batch_size, world)[self.topology.rank]

    def local_ranges(self, batch_size: int) -> list[tuple[int, int]]:
        """This process's shards: its block of the batch, cut into micro-batches."""
        start, end = self.block(batch_size)
        pieces = 1 if self.micro_batch is None else max(1, math.ceil((end - start) / self.micro_batch))
        return [(start + a, start + b) for a, b in shard_ranges(end - start, pieces)]

    def __getitem__(self, step: int) -> PreparedStep:
        batch = self.data.batch(step)
        draws = StepDraws.draw(self.config, batch, step_generator(self.options.seed, step), needed=self.block(batch.batch_size))
        shards = [prepare(draws.sequences(a, b), self.config) for a, b in self.local_ranges(batch.batch_size)]
        return PreparedStep(step, shards, int(sum(batch.lengths)))


class Trainer:
    def __init__(self, model: HybridSignModel, dataset: PoseSource, options: TrainingOptions,
                 topology: Topology = Topology(), micro_batch: int | None = None, check_data: bool = True) -> None:
        if options.steps < 1 or options.batch_size < 1 or not options.learning_rate > 0:
            raise ValueError("training needs steps ≥ 1, batch ≥ 1 and a positive learning rate")
        self.model = model
        self.options = options
        self.topology = topology
        self.step = 0
        model.network.to(topology.device)
        model.network.fused_attention = topology.device.type == "cuda"
        self.data = TrainingData(dataset, model.mapping, options.batch_size, options.seed, check=check_data)
        self.steps = StepSource(self.data, options, topology, micro_batch)
        self.loss = StepLoss(model.network)
        self.parallel = None
        if topology.world_size > 1:
            self.parallel = DistributedDataParallel(self.loss, device_ids=[topology.device.index] if topology.device.type == "cuda" else None,
                                                    gradient_as_bucket_view=True)
        self.optimizer = make_adamw(model.network, options.learning_rate, options.weight_decay)
        self.ema = EMA(model.network, options.ema_decay)
        self.optimizer_steps = 0
        self.non_finite = torch.zeros((), dtype=torch.bool, device=topology.device)

    @classmethod
    def fresh(cls, config: ModelConfig, dataset: PoseSource, options: TrainingOptions, **kwargs) -> "Trainer":
        """A new model fitted to ``dataset`` (initialised from the seed, as Swift's) and its trainer."""
        return cls(HybridSignModel.fit(config, dataset, options.seed), dataset, options, **kwargs)

    @classmethod
    def resuming(cls, path: str, dataset: PoseSource, steps: int | None = None, **kwargs) -> "Trainer":
        """Continues the run saved in ``path`` (by either engine): weights, EMA, AdamW state, step."""
        saved = checkpoints.load(path)
        if saved.training is None or saved.adamw_step is None:
            raise checkpoints.CheckpointError(f"{path} holds no training state to resume (it was saved without optimiser state)")
        options = saved.training
        if steps is not None:
            options.steps = steps
        trainer = cls(saved.model, dataset, options, **kwargs)
        load_adamw_state(trainer.optimizer, saved.model.network, saved.adamw_step, saved.adamw_m, saved.adamw_v, str(path))
        trainer.ema.load(saved.ema, str(path))
        trainer.optimizer_steps = saved.adamw_step
        trainer.step = saved.step
        return trainer

    @property
    def tokens_per_frame(self) -> float:
        """Tokens a real frame puts through the network (both streams' share for hybrid)."""
        config = self.model.config
        return config.tokens_per_frame * ((1 + config.flow_fraction) if config.mode == "hybrid" else 1)

    def learning_rate(self, step: int) -> float:
        o = self.options
        return learning_rate(step, o.learning_rate, o.warmup_steps, o.steps)

    def train_step(self, prepared: PreparedStep | None = None) -> LossParts:
        """One optimiser step on the next batch; returns its losses (device tensors)."""
        parts = self.accumulate_gradients(prepared)
        lr = self.learning_rate(self.step)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        norm = clip_gradients(list(self.model.network.parameters()), self.options.clip_norm)
        self.non_finite |= ~(torch.isfinite(norm) & torch.isfinite(parts.total))
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.optimizer_steps += 1
        self.ema.update(self.step)
        self.step += 1
        return parts

    def accumulate_gradients(self, prepared: PreparedStep | None = None) -> LossParts:
        """Forward and backward of this process's shards of the current step's batch: the
        parameters' ``grad`` is then the whole batch's gradient (summed over processes by DDP)."""
        if prepared is None:
            prepared = self.steps[self.step]
        if prepared.step != self.step:
            raise ValueError(f"prepared step {prepared.step} is not the trainer's step {self.step}")
        module = self.parallel if self.parallel is not None else self.loss
        parts_sum: LossParts | None = None
        for index, shard in enumerate(prepared.shards):
            last = index == len(prepared.shards) - 1
            sync = contextlib.nullcontext() if last or self.parallel is None else self.parallel.no_sync()
            with sync:
                with self._autocast():
                    total, parts = module(shard.to(self.topology.device))
                (total * self.topology.world_size).backward()
            parts_sum = parts.detached() if parts_sum is None else parts_sum + parts.detached()
        return parts_sum

    def _autocast(self):
        if self.topology.device.type == "cuda":
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def check_finite(self) -> None:
        """Raises ``Diverged`` if a step since the start produced NaN or infinity (a host sync: call it
        at logging intervals)."""
        if bool(self.non_finite.item()):
            raise Diverged(f"the loss or the gradient norm became NaN or infinite by step {self.step}; "
                           "the weights are broken: resume from the last checkpoint with a lower --lr")

    def save(self, path: str) -> None:
        """Weights, EMA, AdamW state, options and step, atomically (call on the main process)."""
        m, v = adamw_state(self.optimizer, self.model.network)
        checkpoints.save(checkpoints.Checkpoint(self.model, self.step, self.options, self.ema.state(), self.optimizer_steps, m, v), path)

    @contextlib.contextmanager
    def averaged_weights(self):
        """The EMA weights in the model for the duration (e.g. to evaluate)."""
        self.ema.swap()
        try:
            yield self.model
        finally:
            self.ema.swap()


def reduce_losses(parts: LossParts, topology: Topology) -> LossParts:
    """Sums the processes' shard losses (each is already divided by the whole batch's normalisers)."""
    if topology.world_size == 1:
        return parts
    stacked = torch.stack([parts.total, parts.flow, parts.flow_error, parts.ar, parts.confidence, parts.progress]).float()
    dist.all_reduce(stacked)
    return LossParts(*stacked.unbind())
