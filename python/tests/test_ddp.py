"""DistributedDataParallel on two gloo processes against one process.

- Global batch 8 over two processes gives one process's batch-8 gradient (to 1e-5).
- Ten DDP steps equal ten single-process steps: the same losses (1e-5) and weights (1e-4 of the largest
  weight: AdamW turns the last-bit differences of gradients that are analytically zero, such as a key
  bias the softmax ignores, into ±lr steps in either run).
- A checkpoint written mid-run by rank 0 resumes (again on two processes) to the same weights as the
  uninterrupted run.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from conftest import synthetic_dataset, tiny_config, tiny_options
from hybridsign_torch.parity import overall, relative
from hybridsign_torch.trainer import Topology, Trainer, reduce_losses

TEXTS = ("ab", "ba", "abc", "cab", "bca", "ac", "ca", "cb", "abcab", "bb")
FRAMES = (6, 7, 8, 9, 10, 5, 7, 11, 9, 6)


def dataset():
    return synthetic_dataset(TEXTS, FRAMES)


def gradients(trainer: Trainer) -> dict[str, torch.Tensor]:
    return {n: p.grad.detach().clone() for n, p in trainer.model.network.named_parameters()}


def weights(trainer: Trainer) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in trainer.model.network.named_parameters()}


def _worker(rank: int, port: int, directory: str) -> None:
    """Step 0's gradients; ten steps with a checkpoint at step 5; the run resumed from that checkpoint."""
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    try:
        topology = Topology(rank, 2, torch.device("cpu"))
        out = Path(directory)
        trainer = Trainer.fresh(tiny_config(), dataset(), tiny_options(), topology=topology)
        trainer.accumulate_gradients()
        torch.save(gradients(trainer), out / f"gradients-{rank}.pt")
        trainer.optimizer.zero_grad(set_to_none=True)
        losses = []
        while trainer.step < trainer.options.steps:
            losses.append(float(reduce_losses(trainer.train_step(), topology).total))
            if trainer.step == 5 and rank == 0:
                trainer.save(str(out / "mid.safetensors"))
            dist.barrier()
        torch.save(weights(trainer), out / f"weights-{rank}.pt")
        torch.save(losses, out / f"losses-{rank}.pt")
        resumed = Trainer.resuming(str(out / "mid.safetensors"), dataset(), topology=topology)
        while resumed.step < resumed.options.steps:
            resumed.train_step()
        torch.save(weights(resumed), out / f"resumed-{rank}.pt")
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("ddp")
    mp.spawn(_worker, args=(_free_port(), str(directory)), nprocs=2, join=True)
    return directory


def single_process(micro_batch: int | None) -> Trainer:
    return Trainer.fresh(tiny_config(), dataset(), tiny_options(), micro_batch=micro_batch)


def test_two_processes_give_the_gradient_of_one_process(ddp_run: Path) -> None:
    one = single_process(None)
    one.accumulate_gradients()
    reference = gradients(one)
    floor = 1e-4 * max(float(g.abs().max()) for g in reference.values())
    for rank in (0, 1):
        ddp = torch.load(ddp_run / f"gradients-{rank}.pt")
        worst = max(relative(ddp[n], reference[n], floor) for n in reference)
        print(f"rank {rank}: gradient vs one process (batch 8), max relative difference {worst:.2e}")
        assert worst <= 1e-5


def test_ten_ddp_steps_equal_ten_single_process_steps(ddp_run: Path) -> None:
    one = single_process(None)
    losses = [float(one.train_step().total) for _ in range(10)]
    ddp_losses = torch.load(ddp_run / "losses-0.pt")
    loss_difference = max(abs(a - b) / abs(b) for a, b in zip(ddp_losses, losses))
    ddp = torch.load(ddp_run / "weights-0.pt")
    weight_difference = overall(ddp, weights(one))
    print(f"10 DDP steps vs 10 steps of one process: losses {loss_difference:.2e}, weights {weight_difference:.2e}")
    assert len(ddp_losses) == 10
    assert loss_difference <= 1e-5
    assert weight_difference <= 1e-4
    assert overall(torch.load(ddp_run / "weights-1.pt"), ddp) == 0


def test_mid_run_checkpoint_resumes_exactly(ddp_run: Path) -> None:
    uninterrupted = torch.load(ddp_run / "weights-0.pt")
    resumed = torch.load(ddp_run / "resumed-0.pt")
    difference = overall(resumed, uninterrupted)
    print(f"resumed at step 5 vs uninterrupted, after 10 steps: {difference:.2e}")
    assert difference == 0


def separate_flow_config():
    """A hybrid whose flow has its own backbone and trains on a quarter of the frames, so a rank's
    shard can leave the flow's stacks without a gradient of its own."""
    config = tiny_config()
    config.flow_backbone, config.flow_fraction, config.detach_history = "separate", 0.25, True
    return config


def _separate_flow_worker(rank: int, port: int, directory: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    try:
        trainer = Trainer.fresh(separate_flow_config(), dataset(), tiny_options(), topology=Topology(rank, 2, torch.device("cpu")))
        for _ in range(3):
            trainer.train_step()
        trainer.accumulate_gradients()
        torch.save(gradients(trainer), Path(directory) / f"gradients-{rank}.pt")
    finally:
        dist.destroy_process_group()


def test_a_separate_flow_backbone_trains_under_ddp_as_in_one_process(tmp_path: Path) -> None:
    """The fourth step's gradients (the zero-initialised velocity heads pass none back at first)."""
    mp.spawn(_separate_flow_worker, args=(_free_port(), str(tmp_path)), nprocs=2, join=True)
    one = Trainer.fresh(separate_flow_config(), dataset(), tiny_options())
    for _ in range(3):
        one.train_step()
    one.accumulate_gradients()
    reference = gradients(one)
    assert any(name.startswith("flow_experts.") and float(g.abs().max()) > 0 for name, g in reference.items())
    floor = 1e-4 * max(float(g.abs().max()) for g in reference.values())
    for rank in (0, 1):
        ddp = torch.load(tmp_path / f"gradients-{rank}.pt")
        assert max(relative(ddp[n], reference[n], floor) for n in reference) <= 1e-5
