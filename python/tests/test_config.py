"""Configurations: presets and defaults from presets.json (kept equal to Swift's by TwinPresetsTests),
JSON as Swift writes it, strict about keys the twin does not know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hybridsign_torch.config import ConfigError, ModelConfig, TrainingOptions

PRESETS = json.loads((Path(__file__).parents[1] / "hybridsign_torch" / "presets.json").read_text())


def test_every_swift_field_is_a_twin_field() -> None:
    assert set(ModelConfig.defaults().to_json_object()) == set(PRESETS["model_defaults"])
    assert set(json.loads(TrainingOptions.defaults().to_json())) == set(PRESETS["training_defaults"])


@pytest.mark.parametrize("name", ["small", "paper"])
def test_presets_are_read_from_the_swift_definitions(name: str) -> None:
    config = ModelConfig.preset(name)
    config.validate()
    assert json.loads(config.to_json()) == PRESETS["presets"][name]


def test_paper_preset_is_the_released_size() -> None:
    paper = ModelConfig.preset("PAPER")
    assert (paper.dim, paper.depth, paper.tokens, paper.tokens_per_frame) == (512, 1, "joint", 137)


def test_unknown_preset_and_keys_are_errors() -> None:
    with pytest.raises(ConfigError, match="the presets are: small, paper"):
        ModelConfig.preset("huge")
    with pytest.raises(ConfigError, match="unknown configuration keys \\['newSwiftField'\\]"):
        ModelConfig.from_json({"dim": 64, "newSwiftField": 1})
    with pytest.raises(ConfigError, match="'dim' must be an integer"):
        ModelConfig.from_json({"dim": "64"})
    with pytest.raises(ConfigError, match="'mode' must be one of"):
        ModelConfig.from_json({"mode": "gan"})


def test_missing_keys_keep_their_defaults_and_json_round_trips() -> None:
    config = ModelConfig.from_json({"dim": 64, "heads": 2})
    assert config.depth == ModelConfig.defaults().depth
    assert ModelConfig.from_json(config.to_json()) == config
    assert '"sigma":0.5' in config.to_json() and '"flowWeight":1,' in config.to_json()


def test_validation_names_the_problem() -> None:
    config = ModelConfig.defaults()
    config.dim = 30
    with pytest.raises(ConfigError, match="multiple of heads"):
        config.validate()


def test_the_flow_source_is_the_estimate_unless_noise_is_chosen() -> None:
    import torch

    assert ModelConfig.defaults().flow_source == "estimate"
    mean, noise = torch.tensor([1.0, -1.0]), torch.tensor([0.5, 0.5])
    assert ModelConfig.defaults().flow_start(mean, noise).tolist() == [1.5, -0.5]
    config = ModelConfig.from_json({"flowSource": "noise"})
    assert config.flow_start(mean, noise).tolist() == [0.5, 0.5]
    assert '"flowSource":"noise"' in config.to_json()
    assert ModelConfig.from_json(config.to_json()) == config
    with pytest.raises(ConfigError, match="'flow_source' must be one of estimate, noise"):
        ModelConfig.from_json({"flowSource": "prior"})


def test_the_flow_backbone_is_shared_unless_separate_is_chosen_and_only_the_hybrid_separates_it() -> None:
    from hybridsign_torch.network import HybridSignNetwork

    assert ModelConfig.defaults().flow_backbone == "shared"
    config = ModelConfig.from_json({"flowBackbone": "separate", "dim": 16, "heads": 2, "mlp": 8, "depth": 1})
    assert '"flowBackbone":"separate"' in config.to_json()
    assert ModelConfig.from_json(config.to_json()) == config
    with pytest.raises(ConfigError, match="'flow_backbone' must be one of shared, separate"):
        ModelConfig.from_json({"flowBackbone": "twin"})
    names = {name for name, _ in HybridSignNetwork(config, vocabulary_size=4, seed=1).named_parameters()}
    assert {name for name in names if name.startswith("flow_")} == {"flow_" + name for name in names
                                                                     if name.startswith(("experts.", "fusion."))}
    config.mode = "ar"
    with pytest.raises(ConfigError, match="needs mode hybrid.*--mode hybrid"):
        config.validate()
