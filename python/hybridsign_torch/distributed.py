"""Process-group set-up for ``torchrun``: NCCL between GPUs, gloo on the CPU, and a gloo group for
control messages (stop requests) that never waits for the GPU."""

from __future__ import annotations

import os
from datetime import timedelta

import torch
import torch.distributed as dist

from .trainer import Topology


def start(device: str | None = None) -> tuple[Topology, object | None]:
    """This process's topology (from torchrun's ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``) and the
    control group. Without torchrun: one process, no group."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = torch.cuda.is_available() if device is None else device == "cuda"
    if use_cuda and not torch.cuda.is_available():
        raise SystemExit("--device cuda: no CUDA device is available")
    target = torch.device("cuda", local % max(torch.cuda.device_count(), 1)) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(target)
    if world == 1:
        return Topology(0, 1, target), None
    dist.init_process_group(backend="nccl" if use_cuda else "gloo", timeout=timedelta(minutes=30),
                            device_id=target if use_cuda else None)
    control = dist.new_group(backend="gloo") if use_cuda else dist.group.WORLD
    return Topology(rank, world, target), control


def any_process(flag: bool, control) -> bool:
    """Whether ``flag`` is set in any process (every process must call this at the same point)."""
    if control is None:
        return flag
    value = torch.tensor([1 if flag else 0], dtype=torch.int32)
    dist.all_reduce(value, op=dist.ReduceOp.MAX, group=control)
    return bool(value.item())


def barrier(control) -> None:
    if control is not None:
        dist.barrier(group=control)


def stop() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()
