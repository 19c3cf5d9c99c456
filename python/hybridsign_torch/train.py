"""Train a HybridSign model with the twin, on one process or many:

    torchrun --nproc_per_node=N -m hybridsign_torch.train --data D --preset paper --out m.safetensors

The options are ``hybridsign train``'s, under the same names (``--batch`` is the global batch,
whatever N is); ``--micro-batch`` splits each process's share into gradient-accumulation steps. The
checkpoint is the Swift tool's format: ``hybridsign sample/stream/eval`` and the REPL load it, and
``--resume`` continues a run written by either engine exactly. Ctrl-C or SIGTERM saves and stops.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

import torch

from . import checkpoint as checkpoints
from . import distributed
from .config import FLOW_BACKBONES, ConfigError, ModelConfig, TrainingOptions
from .evaluation import evaluate, summary
from .objective import LossParts
from .poses import DataError
from .pretrained_text import PretrainedTextEncoder, WithTextFeatures
from .sources import open_source
from .trainer import Diverged, Trainer, reduce_losses


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m hybridsign_torch.train", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="training data: a sharded dataset, .json, .pkl, .pkl.gz, .pose or a directory")
    p.add_argument("--dev", help="development data, evaluated every --eval-every steps (rank 0)")
    p.add_argument("--preset", default="small", help="model preset: small or paper")
    p.add_argument("--mode", default="hybrid", choices=["hybrid", "ar", "diffusion"])
    p.add_argument("--tokens", choices=["part", "joint"], help="tokens (default: the preset's)")
    p.add_argument("--dim", type=int, help="model width (default: the preset's)")
    p.add_argument("--depth", type=int, help="blocks per expert (default: the preset's)")
    p.add_argument("--text", default="characters", choices=["characters", "words", "sentence"])
    p.add_argument("--text-encoder", help="a pretrained text encoder's folder (Hugging Face: T5 or BERT family): the model reads its last "
                                          "hidden states of each text (sets --text sentence; Docs/text-encoders.md)")
    for switch in ("experts", "confidence", "fusion"):
        p.add_argument(f"--{switch}", action=argparse.BooleanOptionalAction, default=True,
                       help=f"ablation switch, as hybridsign train's --{switch}/--no-{switch}")
    p.add_argument("--max-frames", type=int, default=200, help="longest training crop in frames")
    p.add_argument("--flow-weight", type=float, help="weight of the flow loss (default: the preset's)")
    p.add_argument("--flow-fraction", type=float, help="share of frames the flow trains on per step (default: the preset's)")
    p.add_argument("--sigma", type=float, help="source noise σ of the flow (default: the preset's)")
    p.add_argument("--flow-source", default="estimate", choices=["estimate", "noise"],
                   help="where the flow starts: the AR estimate + σ·noise (the method), or σ·noise alone")
    p.add_argument("--flow-backbone", default="shared", choices=list(FLOW_BACKBONES),
                   help="whether the flow runs through the AR stream's expert stacks and fusion (the method) or its own")
    p.add_argument("--history-noise", type=float, default=0.0, help="std of the noise on the clean stream's input frames")
    p.add_argument("--adaptive-power", type=float, default=1.0, help="adaptive loss weighting power p")
    p.add_argument("--detach-history", action=argparse.BooleanOptionalAction, default=None,
                   help="stop the flow's gradient at the clean stream's keys/values (default: the preset's)")
    p.add_argument("--signer-conditioning", action="store_true",
                   help="learn an embedding of the data's signer field (sampling then takes a signer, or none)")
    p.add_argument("--signer-dropout", type=float, default=0.5,
                   help="probability that a training sample's signer is hidden (with --signer-conditioning)")
    p.add_argument("--steps", type=int, help="optimiser steps")
    p.add_argument("--minutes", type=float, help="train for this many minutes instead of a step count")
    p.add_argument("--batch", type=int, default=8, help="sequences per step (global, over all processes)")
    p.add_argument("--lr", type=float, default=1e-3, help="peak learning rate")
    p.add_argument("--seed", type=int, default=0, help="seed of weights, data order and noise")
    p.add_argument("--eval-every", type=int, default=0, help="evaluate on --dev every N steps (0: only at the end)")
    p.add_argument("--eval-limit", type=int, help="samples of --dev to evaluate")
    p.add_argument("--checkpoint-every", type=int, default=200, help="write the checkpoint every N steps")
    p.add_argument("--log-every", type=int, default=10, help="print progress every N steps")
    p.add_argument("--out", required=True, help="the checkpoint to write (.safetensors)")
    p.add_argument("--resume", action="store_true", help="continue the run saved in --out")
    p.add_argument("--micro-batch", type=int, help="sequences per forward pass on a process (gradient accumulation)")
    p.add_argument("--workers", type=int, help="data-loader worker processes per process (default: 2 on CUDA, 0 on the CPU)")
    p.add_argument("--device", choices=["cpu", "cuda"], help="default: cuda when available")
    p.add_argument("--cache", help="where converted .pkl/.pose data is kept (default: ~/.cache/hybridsign-torch)")
    return p


def make_config(args: argparse.Namespace) -> ModelConfig:
    config = ModelConfig.preset(args.preset)
    config.mode, config.text = args.mode, args.text
    if args.tokens:
        config.tokens = args.tokens
    if args.dim is not None:
        config.dim = args.dim
    if args.depth is not None:
        config.depth = args.depth
    config.experts, config.confidence, config.fusion = args.experts, args.confidence, args.fusion
    config.max_frames = args.max_frames
    config.adaptive_power, config.history_noise = args.adaptive_power, args.history_noise
    config.flow_source = args.flow_source
    config.flow_backbone = args.flow_backbone
    config.signer_conditioning, config.signer_dropout = args.signer_conditioning, args.signer_dropout
    for name in ("flow_weight", "flow_fraction", "sigma", "detach_history"):
        if getattr(args, name) is not None:
            setattr(config, name, getattr(args, name))
    return config


def validate(args: argparse.Namespace) -> None:
    if args.steps is None and args.minutes is None and not args.resume:
        raise SystemExit("give --steps N or --minutes M")
    if args.steps is not None and args.steps < 1:
        raise SystemExit("--steps must be at least 1")
    if args.minutes is not None and not args.minutes > 0:
        raise SystemExit("--minutes must be positive")
    if args.micro_batch is not None and args.micro_batch < 1:
        raise SystemExit("--micro-batch must be at least 1")


class StopRequest:
    """Set by SIGINT / SIGTERM while training (a context): the run saves its checkpoint after the
    current step and stops. The previous handlers come back on exit."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "StopRequest":
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:
        self.requested = True


def progress_line(step: int, total: int, parts: LossParts, lr: float, tokens_per_second: float, seconds_left: float) -> str:
    left = f"{int(seconds_left // 60)}m{int(seconds_left) % 60:02d}s" if seconds_left == seconds_left and seconds_left != float("inf") else "?"
    return (f"step {step}/{total}  loss {float(parts.total):.4f} (ar {float(parts.ar):.4f} flow-mse {float(parts.flow_error):.4f} "
            f"conf {float(parts.confidence):.4f} prog {float(parts.progress):.4f})  lr {lr:.2e}  {tokens_per_second:.0f} tok/s  left {left}")


def make_trainer(args: argparse.Namespace, dataset, topology, encoder=None) -> Trainer:
    out = Path(args.out)
    kwargs = {"topology": topology, "micro_batch": args.micro_batch}
    if args.resume and out.exists():
        trainer = Trainer.resuming(str(out), dataset, steps=args.steps, **kwargs)
        say(topology, f"resuming {out} at step {trainer.step} of {trainer.options.steps}")
        return trainer
    options = TrainingOptions.defaults()
    options.steps = args.steps if args.steps is not None else 1_000_000
    options.batch_size, options.learning_rate, options.seed, options.warmup_steps = args.batch, args.lr, args.seed, 100
    config = make_config(args)
    if encoder is not None:
        config.text, config.sentence_width = "sentence", encoder.width
    trainer = Trainer.fresh(config, dataset, options, **kwargs)
    if encoder is not None:
        trainer.model.text_encoder = encoder.record()
    c = trainer.model.config
    count = sum(p.numel() for p in trainer.model.network.parameters())
    say(topology, f"training {c.mode} ({args.preset}: D={c.dim}, depth {c.depth}, {c.tokens} tokens, {count} parameters) on {len(dataset)} samples"
        f", {topology.world_size} process{'es' if topology.world_size > 1 else ''} on {topology.device.type}")
    return trainer


def text_encoder_for(args: argparse.Namespace) -> PretrainedTextEncoder | None:
    """The encoder of ``--text-encoder``, or on ``--resume`` the one the checkpoint records."""
    out = Path(args.out)
    if args.resume and out.exists():
        record = checkpoints.load(str(out)).model.text_encoder
        if record is not None:
            return record.resolve(args.text_encoder)
        if args.text_encoder:
            raise SystemExit(f"{out} was not trained with a text encoder; leave out --text-encoder")
        return None
    return PretrainedTextEncoder(args.text_encoder) if args.text_encoder else None


def say(topology, line: str) -> None:
    if topology.is_main:
        print(line, flush=True)


def loader(trainer: Trainer, workers: int):
    steps = range(trainer.step, trainer.options.steps)
    return torch.utils.data.DataLoader(trainer.steps, sampler=steps, batch_size=None, num_workers=workers,
                                       pin_memory=trainer.topology.device.type == "cuda", persistent_workers=False,
                                       prefetch_factor=4 if workers > 0 else None, worker_init_fn=_ignore_stop_signals)


def _ignore_stop_signals(worker: int) -> None:
    """Data-loader workers leave Ctrl-C and SIGTERM to the training process, which saves and stops
    them (a worker killed by the signal would end the run with an error instead)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)


def run(args: argparse.Namespace) -> None:
    topology, control = distributed.start(args.device)
    try:
        if topology.is_main:
            dataset = open_source(args.data, args.cache)  # converts .pkl/.pose once, into the cache
        distributed.barrier(control)
        if not topology.is_main:
            dataset = open_source(args.data, args.cache)
        dev = open_source(args.dev, args.cache) if args.dev and topology.is_main else None
        encoder = text_encoder_for(args)
        if encoder is not None:
            say(topology, f"text encoder {encoder.name} ({encoder.family}, width {encoder.width}, weights hash {encoder.weights_hash})")
            dataset = WithTextFeatures(dataset, encoder)
            dev = WithTextFeatures(dev, encoder) if dev is not None else None
        trainer = make_trainer(args, dataset, topology, encoder)
        with StopRequest() as stop:
            train_loop(args, trainer, dev, control, stop)
    finally:
        distributed.stop()


def train_loop(args: argparse.Namespace, trainer: Trainer, dev, control, stop: StopRequest) -> None:
    topology = trainer.topology
    workers = args.workers if args.workers is not None else (2 if topology.device.type == "cuda" else 0)
    started, first, tokens = time.monotonic(), trainer.step, 0.0
    deadline = started + args.minutes * 60 if args.minutes else None
    budget_fixed = args.minutes is None
    out = args.out
    evaluated_at = -1
    for prepared in loader(trainer, workers):
        if trainer.step >= trainer.options.steps or distributed.any_process(stop.requested, control):
            break
        if deadline is not None and distributed.any_process(time.monotonic() >= deadline, control):
            break
        parts = trainer.train_step(prepared)
        tokens += prepared.frames * trainer.tokens_per_frame
        step = trainer.step
        if not budget_fixed and step - first >= 5:
            # With a time budget, fix the schedule's length once the step rate is known.
            per_step = (time.monotonic() - started) / (step - first)
            trainer.options.steps = max(step + int((deadline - time.monotonic()) / per_step), step + 1)
            budget_fixed = True
        if step % args.log_every == 0 or step == trainer.options.steps:
            parts = reduce_losses(parts, topology)
            trainer.check_finite()
            elapsed = time.monotonic() - started
            left = elapsed / (step - first) * (trainer.options.steps - step)
            if deadline is not None:
                left = min(left, max(0.0, deadline - time.monotonic()))
            say(topology, progress_line(step, trainer.options.steps, parts, trainer.learning_rate(step - 1),
                                        tokens * topology.world_size / max(elapsed, 1e-9), left))
        if args.checkpoint_every > 0 and step % args.checkpoint_every == 0:
            save(trainer, out, control)
        if args.eval_every > 0 and step % args.eval_every == 0:
            run_evaluation(trainer, dev, args, control)
            evaluated_at = step
    trainer.check_finite()
    save(trainer, out, control)
    if stop.requested:
        say(topology, f"interrupted: saved step {trainer.step} to {out} (continue with --resume)")
        return
    say(topology, f"saved step {trainer.step} to {out}")
    if dev is not None or (args.dev and not topology.is_main):
        if evaluated_at != trainer.step:
            run_evaluation(trainer, dev, args, control)


def save(trainer: Trainer, out: str, control) -> None:
    if trainer.topology.is_main:
        trainer.save(out)
    distributed.barrier(control)


def run_evaluation(trainer: Trainer, dev, args: argparse.Namespace, control) -> None:
    if dev is not None:
        with trainer.averaged_weights() as model:
            model.network.eval()
            result = evaluate(model, dev, args.eval_limit)
            model.network.train()
        say(trainer.topology, f"step {trainer.step} dev: {summary(result)}")
    distributed.barrier(control)


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    validate(args)
    try:
        run(args)
    except (DataError, ConfigError, Diverged, ValueError) as error:
        print(f"hybridsign_torch.train: {error}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
