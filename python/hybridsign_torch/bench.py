"""Training speed of the twin, comparable with ``hybridsign bench train``, or its streaming speed
(``--stream``), comparable with ``hybridsign bench stream``:

    python -m hybridsign_torch.bench --preset paper --json
    python -m hybridsign_torch.bench --preset paper --stream --json

A random model and random data of a fixed shape (``--batch`` sequences × ``--frames`` frames, the
Swift benchmark's defaults 4 × 40), one warm-up step, then the median of ``--steps`` timed optimiser
steps (forward, MeanFlow JVP, backward, clipping, AdamW, EMA; the batch and its draws are prepared
beforehand, as the data-loader workers do in training). Tokens = batch × frames × tokens per frame.
With ``--stream``: a random model (``random_model``) streams "hallo" for ``--frames`` frames (default
60) with one flow step, after one warm-up sequence, ``--runs`` times; prints the medians of
``{"fps", "ttff_s"}`` over the runs, frames per second counting every frame over the whole time as
Swift's benchmark does (the twin's eager PyTorch sampler: its cache grows by concatenation).
Prints ``{"tokens_per_s", "seconds_per_step", "device", "mfu", ...}``: MFU is the model FLOPs of a step
(counted by ``torch.utils.flop_counter``) per second over the device's peak (bf16 tensor cores on a
known GPU; on the CPU, cores × clock × FP32 FLOPs per cycle of its vector units), null when unknown.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import torch
from torch.utils.flop_counter import FlopCounterMode

from .config import ModelConfig, TrainingOptions
from .sampler import sample
from .synthetic import random_dataset, random_model
from .trainer import Topology, Trainer

#: Dense bf16 tensor-core peaks (FLOP/s) by device name fragment.
GPU_PEAKS = {"H100 SXM": 989e12, "H100 NVL": 835e12, "H100 PCIe": 756e12, "H100": 989e12, "H200": 989e12, "B200": 2250e12,
             "A100": 312e12, "L40S": 362e12, "L4": 121e12, "A10": 125e12, "RTX 4090": 165e12, "RTX 3090": 71e12}


def peak_flops(device: torch.device) -> float | None:
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        return next((peak for key, peak in GPU_PEAKS.items() if key in name), None)
    try:
        with open("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq") as f:
            hertz = int(f.read()) * 1e3
    except OSError:
        hertz = _cpuinfo_mhz() * 1e6
    flags = _cpu_flags()
    per_cycle = 64 if "avx512f" in flags else 32 if {"avx2", "fma"} <= flags else 8
    return torch.get_num_threads() * hertz * per_cycle if hertz > 0 else None


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _cpuinfo_mhz() -> float:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("cpu MHz"):
                    return float(line.split(":", 1)[1])
    except OSError:
        pass
    return 0.0


def measure(preset: str, batch: int, frames: int, steps: int, mode: str, flow_fraction: float | None,
            detach_history: bool | None, device: torch.device, check_syncs: bool = False) -> dict[str, object]:
    config = ModelConfig.preset(preset)
    config.mode = mode
    if flow_fraction is not None:
        config.flow_fraction = flow_fraction
    if detach_history is not None:
        config.detach_history = detach_history
    options = TrainingOptions.defaults()
    options.batch_size, options.steps, options.warmup_steps = batch, steps + 1, 1
    trainer = Trainer.fresh(config, random_dataset(config.layout, batch, frames), options, topology=Topology(device=device))
    prepared = [trainer.steps[k] for k in range(steps + 1)]
    if device.type == "cuda":
        prepared = [p.pin_memory() for p in prepared]  # as the data loader hands them over
    counter = FlopCounterMode(display=False)
    with counter:
        trainer.train_step(prepared[0])
    times = []
    for k in range(1, steps + 1):
        _synchronize(device)
        start = time.perf_counter()
        if check_syncs:
            # Any operation that makes the host wait for the GPU inside the step raises.
            torch.cuda.set_sync_debug_mode("error")
        try:
            trainer.train_step(prepared[k])
        finally:
            if check_syncs:
                torch.cuda.set_sync_debug_mode("default")
        _synchronize(device)
        times.append(time.perf_counter() - start)
    per_step = statistics.median(times)
    tokens = batch * frames * config.tokens_per_frame
    peak = peak_flops(device)
    flops = counter.get_total_flops()
    return {"tokens_per_s": round(tokens / per_step), "seconds_per_step": round(per_step, 4), "device": _device_name(device),
            "mfu": round(flops / per_step / peak, 4) if peak else None, "flops_per_step": flops, "preset": preset, "mode": mode,
            "batch": batch, "frames": frames, "threads": torch.get_num_threads() if device.type == "cpu" else None}


def measure_stream(preset: str, frames: int, runs: int, device: torch.device) -> dict[str, object]:
    """Time to first frame and frames per second of the twin's sampler (medians over ``runs``)."""
    model = random_model(ModelConfig.preset(preset))
    model.network.to(device)
    sample(model, text="warmup", frames=frames, steps=1)
    results = []
    for _ in range(runs):
        times: list[float] = []
        _synchronize(device)
        start = time.perf_counter()
        sample(model, text="hallo", frames=frames, steps=1, on_frame=lambda _: times.append(time.perf_counter() - start))
        results.append((times[0], len(times) / times[-1]))
    return {"fps": round(statistics.median(r[1] for r in results), 1), "ttff_s": round(statistics.median(r[0] for r in results), 4),
            "device": _device_name(device), "preset": preset, "frames": frames, "runs": runs,
            "threads": torch.get_num_threads() if device.type == "cpu" else None}


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)}, bf16 autocast)"
    return f"cpu ({os.cpu_count()} cores, {torch.get_num_threads()} threads, float32)"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m hybridsign_torch.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--preset", default="small", choices=["small", "paper"])
    p.add_argument("--batch", type=int, default=4, help="sequences per batch")
    p.add_argument("--frames", type=int, help="frames per sequence (default: 40; with --stream 60)")
    p.add_argument("--stream", action="store_true", help="time the sampler instead of training")
    p.add_argument("--runs", type=int, default=3, help="--stream: timed sequences (the medians are printed)")
    p.add_argument("--steps", type=int, default=3, help="timed steps (after one warm-up step)")
    p.add_argument("--mode", default="hybrid", choices=["hybrid", "ar", "diffusion"])
    p.add_argument("--flow-fraction", type=float, help="share of frames the flow trains on (default: the preset's)")
    p.add_argument("--detach-history", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--device", choices=["cpu", "cuda"], help="default: cuda when available")
    p.add_argument("--check-syncs", action="store_true",
                   help="CUDA: fail if a timed step makes the host wait for the GPU (torch.cuda.set_sync_debug_mode)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    frames = args.frames if args.frames is not None else (60 if args.stream else 40)
    if args.batch < 1 or frames < 2 or args.steps < 1 or args.runs < 1:
        p.error("--batch, --steps and --runs must be ≥ 1 and --frames ≥ 2")
    device = torch.device("cuda" if (args.device or ("cuda" if torch.cuda.is_available() else "cpu")) == "cuda" else "cpu")
    if args.stream:
        streamed = measure_stream(args.preset, frames, args.runs, device)
        if args.json:
            print(json.dumps(streamed))
        else:
            print(f"{args.preset} preset (twin) on {streamed['device']}: {frames} frames, 1 flow step: "
                  f"first frame {float(streamed['ttff_s']) * 1000:.1f} ms, {streamed['fps']} frames/s")
        return
    if args.check_syncs and device.type != "cuda":
        p.error("--check-syncs needs a CUDA device")
    result = measure(args.preset, args.batch, frames, args.steps, args.mode, args.flow_fraction, args.detach_history, device,
                     args.check_syncs)
    if args.json:
        print(json.dumps(result))
    else:
        mfu = f", MFU {result['mfu']:.1%}" if result["mfu"] is not None else ""
        print(f"{args.preset} preset ({args.mode}) on {result['device']}: batch {args.batch} × {frames} frames: "
              f"{result['seconds_per_step']:.3f} s/step, {result['tokens_per_s']} tokens/s{mfu}")


if __name__ == "__main__":
    main()
