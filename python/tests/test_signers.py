"""Signer conditioning in the twin, as in Swift: the signer embedding (drawn after every other
weight), the extra text token, signer dropout (the step's last draws), unknown signers refused,
and the checkpoint's ``signers`` and ``sampling`` metadata written and read back."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import TINY_LAYOUT, synthetic_sequence, tiny_config, tiny_options
from hybridsign_torch import checkpoint
from hybridsign_torch.batching import TrainingData
from hybridsign_torch.draws import StepDraws
from hybridsign_torch.model import HybridSignModel, UnknownSigner
from hybridsign_torch.poses import PoseDataset
from hybridsign_torch.rng import RandomGenerator
from hybridsign_torch.sampler import sample
from hybridsign_torch.trainer import Trainer


def signed_dataset() -> PoseDataset:
    samples = []
    for text, frames, signer in (("ab", 6, "gsg"), ("ab", 7, "ase"), ("ba", 8, "gsg"), ("cab", 9, "bzs")):
        s = synthetic_sequence(text, frames)
        samples.append(dataclasses.replace(s, signer=signer, name=f"{signer}-{text}"))
    return PoseDataset(TINY_LAYOUT, samples)


def signer_config(dropout: float = 0.5):
    config = tiny_config()
    config.signer_conditioning, config.signer_dropout = True, dropout
    return config


def test_the_embedding_comes_last_and_leaves_the_other_weights_as_without_it() -> None:
    plain = HybridSignModel.fit(tiny_config(), signed_dataset(), seed=3)
    signed = HybridSignModel.fit(signer_config(), signed_dataset(), seed=3)
    assert signed.signers == ["ase", "bzs", "gsg"] and plain.signers == []
    weights = signed.network.state_dict()
    assert tuple(weights["signer_embedding"].shape) == (4, 16)
    for name, value in plain.network.state_dict().items():
        assert torch.equal(value, weights[name]), name


def test_the_signer_is_one_more_text_token_and_none_is_row_zero() -> None:
    model = HybridSignModel.fit(signer_config(), signed_dataset(), seed=3)
    ids, lengths = torch.tensor([[1, 2], [1, 2]]), torch.tensor([2, 2])
    context = model.network.encode_text(ids, None, lengths, torch.tensor([0, model.signer_id("gsg")]))
    assert context.states.shape[1] == 3 and context.mask.shape[-1] == 3
    assert float(context.mask[:, 0, 0, 2].abs().max()) == 0  # the signer token is visible
    table = model.network.signer_embedding
    assert torch.equal(context.states[0, 2], table[0]) and torch.equal(context.states[1, 2], table[3])
    free = model.network.encode_text(ids[:1], None, lengths[:1])
    assert torch.equal(free.states[0, 2], table[0])


def test_an_unknown_signer_is_refused_with_the_known_ones() -> None:
    model = HybridSignModel.fit(signer_config(), signed_dataset(), seed=3)
    with pytest.raises(UnknownSigner, match="unknown signer 'xyz'; this model knows: ase, bzs, gsg"):
        sample(model, text="ab", frames=3, signer="xyz")
    plain = HybridSignModel.fit(tiny_config(), signed_dataset(), seed=3)
    with pytest.raises(UnknownSigner, match="without signer conditioning"):
        sample(plain, text="ab", frames=3, signer="gsg")


def test_the_signer_changes_the_sample() -> None:
    model = HybridSignModel.fit(signer_config(), signed_dataset(), seed=3)
    # A fresh network's zero-initialised gates hide the text; weights as after training show it.
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for parameter in model.network.parameters():
            parameter.add_(0.2 * torch.randn(parameter.shape, generator=generator))
    a = sample(model, text="ab", frames=4, signer="gsg").values
    b = sample(model, text="ab", frames=4, signer="ase").values
    free = sample(model, text="ab", frames=4).values
    assert not np.allclose(a, b) and not np.allclose(a, free)


def test_dropout_hides_signers_as_the_last_draws() -> None:
    model = HybridSignModel.fit(signer_config(0.5), signed_dataset(), seed=3)
    batch = TrainingData(signed_dataset(), model.mapping, 4, seed=1).batch(0)
    assert sorted(batch.signer_ids) == sorted([3, 1, 3, 2])
    kept = StepDraws.draw(dataclasses.replace(model.config, signer_dropout=0.0), batch, RandomGenerator(5))
    hidden = StepDraws.draw(dataclasses.replace(model.config, signer_dropout=1.0), batch, RandomGenerator(5))
    assert kept.batch.signer_ids == batch.signer_ids and hidden.batch.signer_ids == [0, 0, 0, 0]
    # The dropout draws come after every other draw: the flow's are the same as without them.
    plain = StepDraws.draw(dataclasses.replace(model.config, signer_conditioning=False), batch, RandomGenerator(5))
    for a, b in zip(plain.flow, hidden.flow):
        assert a.jvp == b.jvp and a.equal == b.equal and np.array_equal(a.noise, b.noise)
    half = StepDraws.draw(model.config, batch, RandomGenerator(5))
    again = StepDraws.draw(model.config, batch, RandomGenerator(5))
    assert half.batch.signer_ids == again.batch.signer_ids


def test_a_signer_model_trains_and_round_trips_through_a_checkpoint(tmp_path: Path) -> None:
    trainer = Trainer.fresh(signer_config(), signed_dataset(), tiny_options(steps=3, batch=4))
    for _ in range(2):
        trainer.train_step()
    model = trainer.model
    model.sampling = {"steps": 2, "temperature": 0.25}
    out = tmp_path / "signed.safetensors"
    checkpoint.save(checkpoint.Checkpoint(model, step=2), out)
    loaded = checkpoint.load(out).model
    assert loaded.signers == ["ase", "bzs", "gsg"] and loaded.sampling == {"steps": 2, "temperature": 0.25}
    assert torch.equal(loaded.network.signer_embedding, model.network.signer_embedding)
    with open(out, "rb") as f:
        length = int.from_bytes(f.read(8), "little")
        meta = json.loads(f.read(length))["__metadata__"]
    assert meta["signers"] == '["ase","bzs","gsg"]' and meta["sampling"] == '{"steps":2,"temperature":0.25}'
    assert json.loads(meta["config"])["signerConditioning"] is True


def test_damaged_signer_metadata_is_an_error(tmp_path: Path) -> None:
    model = HybridSignModel.fit(signer_config(), signed_dataset(), seed=3)
    out = tmp_path / "m.safetensors"
    checkpoint.save(checkpoint.Checkpoint(model), out)
    from safetensors import safe_open
    from safetensors.torch import save_file
    with safe_open(str(out), framework="pt") as f:
        meta, tensors = dict(f.metadata()), {k: f.get_tensor(k) for k in f.keys()}
    for key, value, message in (("signers", '["gsg","ase"]', "sorted"), ("sampling", '{"steps":-1}', "steps")):
        broken = dict(meta)
        broken[key] = value
        path = tmp_path / f"broken-{key}.safetensors"
        save_file(tensors, str(path), metadata=broken)
        with pytest.raises(checkpoint.CheckpointError, match=message):
            checkpoint.load(path)
    missing = {k: v for k, v in meta.items() if k != "signers"}
    path = tmp_path / "missing.safetensors"
    save_file(tensors, str(path), metadata=missing)
    with pytest.raises(checkpoint.CheckpointError, match="'signers' is missing"):
        checkpoint.load(path)


def test_a_flow_from_noise_recommends_temperature_one() -> None:
    """Swift's ``SamplingDefaults(recommendedFor:)``: at temperature 0 a flow from noise would
    start every frame at the same point."""
    assert HybridSignModel.fit(tiny_config(), signed_dataset(), seed=3).sampling == {"steps": 1, "temperature": 0.0}
    config = tiny_config()
    config.flow_source = "noise"
    assert HybridSignModel.fit(config, signed_dataset(), seed=3).sampling == {"steps": 1, "temperature": 1.0}
