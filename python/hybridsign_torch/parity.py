"""Compares the twin with fixtures written by the Swift test ``TwinParityTests`` (``TwinFixtures.swift``):

    python -m hybridsign_torch.parity DIR

prints one JSON object: per case the maximum relative differences (max|twin − swift| / max|swift| per
tensor) of the initial weights from the seed, the batch, the forward outputs, the losses and every
parameter's gradient; for ``resume``, the state after the twin's next step from a Swift checkpoint.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open

from . import checkpoint as checkpoints
from .batching import TrainingData
from .draws import StepDraws, clean_input, step_generator
from .network import HybridSignNetwork
from .objective import StepLoss
from .optim import adamw_state
from .poses import read_json_dataset
from .shard_inputs import TextInputs, prepare
from .trainer import Trainer


def relative(twin: torch.Tensor | np.ndarray, swift: torch.Tensor | np.ndarray, floor: float = 0.0) -> float:
    """max|twin − swift| / max(max|swift|, floor)."""
    a = torch.as_tensor(np.asarray(twin, dtype=np.float64) if isinstance(twin, np.ndarray) else twin.detach().double())
    b = torch.as_tensor(np.asarray(swift, dtype=np.float64) if isinstance(swift, np.ndarray) else swift.detach().double())
    if a.shape != b.shape:
        return float("inf")
    scale = max(float(b.abs().max()) if b.numel() else 0.0, floor)
    difference = float((a - b).abs().max()) if b.numel() else 0.0
    return difference / scale if scale > 0 else (0.0 if difference == 0 else float("inf"))


def overall(twin: dict[str, torch.Tensor], swift: dict[str, torch.Tensor]) -> float:
    """max over tensors of max|twin − swift|, divided by the largest |swift| of all."""
    scale = max(float(t.abs().max()) for t in swift.values())
    return max(float((twin[n].double() - swift[n].double()).abs().max()) for n in swift) / scale


def _tensors(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    with safe_open(str(path), framework="pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, f.metadata() or {}


def compare_case(directory: Path) -> dict[str, float]:
    report: dict[str, float] = {}
    fixture, meta = _tensors(directory / "fixture.safetensors")
    seed, step, batch_size = int(meta["seed"]), int(meta["step"]), int(meta["batch"])

    initial = checkpoints.load(directory / "init.safetensors")
    fresh = HybridSignNetwork(initial.model.config, initial.model.vocabulary.size if initial.model.vocabulary else 1, seed)
    stored = initial.model.network.state_dict()
    report["init"] = max(relative(value, stored[name]) for name, value in fresh.state_dict().items())

    model = checkpoints.load(directory / "model.safetensors").model
    network = model.network
    dataset = read_json_dataset(directory / "data.json")
    data = TrainingData(dataset, model.mapping, batch_size, seed)
    if str(data.indices(step)) != meta["indices"]:
        report["batch indices"] = float("inf")
    batch = data.batch(step)
    with torch.no_grad():
        report.update(_forward(network, batch, fixture))

    draws = StepDraws.draw(model.config, batch, step_generator(seed, step))
    shard = prepare(draws, model.config)
    total, parts = StepLoss(network)(shard)
    total.backward()
    for key in ("total", "flow", "flow_error", "ar", "confidence", "progress"):
        report[f"loss.{key}"] = relative(getattr(parts, key), fixture[f"loss.{key}"])
    # A gradient that is analytically 0 (e.g. a bias every key's logit shares, which the softmax
    # ignores) is float noise in both engines: compare against at least 1e-4 of the largest gradient.
    floor = 1e-4 * max(float(fixture["grad." + name].abs().max()) for name, _ in network.named_parameters())
    worst = 0.0
    for name, p in network.named_parameters():
        grad = p.grad if p.grad is not None else torch.zeros_like(p)
        worst = max(worst, relative(grad, fixture["grad." + name], floor))
    report["gradient (worst parameter)"] = worst
    return report


def _forward(network: HybridSignNetwork, batch, fixture: dict[str, torch.Tensor]) -> dict[str, float]:
    report = {}
    config = network.config
    sentence = config.text == "sentence"
    inputs = TextInputs.make(None if sentence else batch.text_ids, batch.features if sentence else None, config.sentence_width)
    text = network.encode_text(inputs.ids, inputs.features, inputs.lengths)
    history = None
    if config.mode != "diffusion":
        coordinates, confidence = clean_input(batch, 0.0, None)
        clean = network.clean_pass(torch.from_numpy(coordinates), torch.from_numpy(confidence), 0, True, text, None)
        for key in ("mean", "confidence", "progress"):
            report[f"clean.{key}"] = relative(getattr(clean, key), fixture[f"clean.{key}"])
        history = clean.produced
    if config.mode != "ar":
        u = network.noisy_pass(fixture["noisy.z"], fixture["noisy.mean"], fixture["noisy.own_confidence"],
                               fixture["noisy.frames"].long(), fixture["noisy.t"], fixture["noisy.r"], text, history)
        report["noisy.u"] = relative(u, fixture["noisy.u"])
    return report


def compare_resume(directory: Path) -> dict[str, float]:
    """Resumes Swift's checkpoint in the twin, takes one step, compares with Swift's next step."""
    dataset = read_json_dataset(directory / "data.json")
    trainer = Trainer.resuming(str(directory / "resume.safetensors"), dataset)
    parts = trainer.train_step()
    after, _ = _tensors(directory / "after.safetensors")
    losses, _ = _tensors(directory / "step.safetensors")
    report = {f"loss.{key}": relative(getattr(parts, key), losses[f"loss.{key}"]) for key in ("total", "ar", "flow")}
    # Weights and their averages against the largest weight: Adam turns the float noise of a
    # gradient that is analytically 0 (a key bias, which the softmax ignores) into a step of ±lr in
    # either engine, so single near-zero entries differ by ~lr·1e-3 however exact the twin is.
    state = trainer.model.network.state_dict()
    report["weights after the next step"] = overall(state, {n: after["model." + n] for n in state})
    ema = trainer.ema.state()
    report["EMA after the next step"] = overall(ema, {n: after["ema." + n] for n in ema})
    m, v = adamw_state(trainer.optimizer, trainer.model.network)
    for label, ours, key in (("AdamW first moments", m, "adamw.m."), ("AdamW second moments", v, "adamw.v.")):
        floor = 1e-4 * max(float(after[key + n].abs().max()) for n in ours)
        report[label] = max(relative(ours[n], after[key + n], floor) for n in ours)
    report["AdamW step"] = relative(torch.tensor(float(trainer.optimizer_steps)), after["adamw.step"])
    return report


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m hybridsign_torch.parity FIXTURE_DIRECTORY")
    torch.manual_seed(0)
    root = Path(argv[0])
    report = {}
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        report[directory.name] = compare_resume(directory) if directory.name == "resume" else compare_case(directory)
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
