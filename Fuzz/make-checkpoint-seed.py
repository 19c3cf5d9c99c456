"""Writes Fuzz/seeds/checkpoint/tiny.safetensors: a complete, loadable HybridSign model small
enough (a few KB) for the fuzzer to mutate quickly. The bundled model (data/models) is 13 MB, too
large for a seed. Made with the PyTorch twin, which writes the Swift tool's checkpoint format.

Run from the repository root: PYTHONPATH=python /work/venv/bin/python Fuzz/make-checkpoint-seed.py
"""
import json
import sys
from pathlib import Path

import numpy as np

from hybridsign_torch import checkpoint
from hybridsign_torch.config import ModelConfig
from hybridsign_torch.length_model import LengthModel
from hybridsign_torch.model import HybridSignModel
from hybridsign_torch.normalizer import Normalizer
from hybridsign_torch.vocabulary import TextVocabulary

layout = json.dumps({"name": "tiny", "joints": ["a", "b", "c", "d"],
                     "parts": {"body": [0, 1], "hand": [2, 3]}, "bones": [[0, 1], [2, 3]]})
config = ModelConfig.from_json(json.dumps({"dim": 8, "heads": 2, "depth": 1, "mlp": 8, "textLayers": 1,
                                           "sentenceWidth": 4, "maxFrames": 8, "layout": layout}))
vocabulary = TextVocabulary.from_json(json.dumps({"unit": "characters", "units": ["a", "b"]}))
normalizer = Normalizer.from_json(json.dumps({"meanX": 0, "meanY": 0, "stdX": 1, "stdY": 1}))
length = LengthModel.from_json(json.dumps({"intercept": 1.0, "slope": 0.5}))
model = HybridSignModel(config, normalizer, vocabulary, length, np.ones(4, dtype=np.float32), 12.5, seed=0)
target = Path(sys.argv[1] if len(sys.argv) > 1 else "Fuzz/seeds/checkpoint/tiny.safetensors")
checkpoint.save(checkpoint.Checkpoint(model=model, step=1), target)
print(f"{target}: {target.stat().st_size} bytes")
