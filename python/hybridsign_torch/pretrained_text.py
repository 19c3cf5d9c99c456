"""Pretrained text encoders for the twin: the same Hugging Face folders as Swift's ``TextEncoders``
(``config.json``, ``tokenizer.json``, ``model.safetensors``; T5 family through ``T5EncoderModel``,
BERT family through ``AutoModel``), the same checkpoint record (``text_encoder`` metadata: name,
weights hash, family, width, folder) and the same rules for finding the folder again
(``Docs/text-encoders.md``).

Training with ``--text-encoder`` gives every sample the encoder's last hidden states of its text as
``text_features`` (each distinct text encoded once), so the rest of the twin runs a ``text: sentence``
model unchanged, and ``hybridsign`` streams the checkpoint with the same encoder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from .poses import PoseSample

_C1 = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xC2B2AE3D27D4EB4F)
_C3 = 0xFF51AFD7ED558CCD
_MASK = (1 << 64) - 1

#: Longest T5 input, as Swift's ``EncoderLimits.maxRelativeTokens``.
T5_MAX_TOKENS = 4096


class TextEncoderError(ValueError):
    """A text encoder folder or record that cannot be used; the message says what to do."""


def weights_hash(path: str | Path) -> str:
    """Swift's ``WeightsHash`` of a file (16 hex digits): ``a = Σ w_i·(2i+1)·C1``,
    ``b = Σ (w_i ^ (w_i >> 31))·(2i+1)·C2`` over little-endian 64-bit words (mod 2⁶⁴), the tail
    bytes as one more word, then MurmurHash3's 64-bit finaliser."""
    data = np.memmap(path, dtype=np.uint8, mode="r") if os.path.getsize(path) > 0 else np.zeros(0, dtype=np.uint8)
    n = int(data.shape[0])
    words = n // 8
    a = b = 0
    chunk = 1 << 22
    with np.errstate(over="ignore"):
        view = np.frombuffer(data[:words * 8], dtype="<u8") if words else np.zeros(0, dtype=np.uint64)
        for start in range(0, words, chunk):
            w = view[start:start + chunk].astype(np.uint64)
            k = np.arange(start, start + w.shape[0], dtype=np.uint64) * np.uint64(2) + np.uint64(1)
            a = (a + int(np.sum(w * (k * _C1), dtype=np.uint64))) & _MASK
            b = (b + int(np.sum((w ^ (w >> np.uint64(31))) * (k * _C2), dtype=np.uint64))) & _MASK
    tail = 0
    for j, byte in enumerate(bytes(data[words * 8:])):
        tail |= byte << (8 * j)
    h = a ^ (((b << 32) | (b >> 32)) & _MASK) ^ ((tail * _C3) & _MASK) ^ n
    h ^= h >> 33
    h = (h * _C3) & _MASK
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK
    h ^= h >> 33
    return f"{h:016x}"


@dataclass(frozen=True)
class TextEncoderRecord:
    """What a checkpoint records of its encoder (JSON keys as Swift's ``TextEncoderRecord``)."""

    name: str
    hash: str
    family: str
    width: int
    folder: str

    def to_json(self) -> str:
        return json.dumps({"family": self.family, "folder": self.folder, "hash": self.hash, "name": self.name, "width": self.width},
                          sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "TextEncoderRecord":
        raw = json.loads(text)
        return cls(name=str(raw["name"]), hash=str(raw["hash"]), family=str(raw["family"]), width=int(raw["width"]), folder=str(raw["folder"]))

    @staticmethod
    def default_directory() -> Path:
        """``$HYBRIDSIGN_TEXT_ENCODERS``, else ``~/.cache/hybridsign/text-encoders``."""
        configured = os.environ.get("HYBRIDSIGN_TEXT_ENCODERS")
        return Path(configured) if configured else Path.home() / ".cache" / "hybridsign" / "text-encoders"

    def candidates(self, given: str | Path | None) -> list[Path]:
        if given is not None:
            return [Path(given)]
        out = [Path(self.folder)]
        for leaf in (self.name.split("/")[-1], Path(self.folder).name):
            if leaf and self.default_directory() / leaf not in out:
                out.append(self.default_directory() / leaf)
        return out

    def resolve(self, given: str | Path | None = None) -> "PretrainedTextEncoder":
        """The encoder this record names, from ``given`` or the first candidate folder that exists;
        a different encoder (weights hash) is an error."""
        tried = self.candidates(given)
        folder = next((c for c in tried if (c / "config.json").exists()), None)
        if folder is None:
            raise TextEncoderError(f"the model was trained with text encoder '{self.name}' (weights hash {self.hash}), which is not at "
                                   f"{', '.join(map(str, tried))}; give its folder (--text-encoder DIR) or put it in {self.default_directory()}")
        encoder = PretrainedTextEncoder(folder)
        if encoder.weights_hash != self.hash:
            raise TextEncoderError(f"the text encoder at {folder} ('{encoder.name}', weights hash {encoder.weights_hash}) is not the one the model "
                                   f"was trained with ('{self.name}', weights hash {self.hash}); give the folder of the original encoder")
        return encoder


class PretrainedTextEncoder:
    """A frozen Hugging Face encoder folder: ``encode(text)`` → last hidden states ``[tokens, width]``
    (float32, cached by text), with the ``tokenizers`` library's ids (no padding; the file's truncation)."""

    def __init__(self, folder: str | Path) -> None:
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel, T5EncoderModel

        self.folder = Path(folder)
        config_path = self.folder / "config.json"
        if not config_path.exists():
            raise TextEncoderError(f"text encoder folder {self.folder} has no config.json; give the folder holding config.json, tokenizer.json and model.safetensors")
        raw = json.loads(config_path.read_text(encoding="utf-8"))
        model_type = raw.get("model_type", "")
        if model_type in ("t5", "mt5"):
            self.family, self.max_tokens = "t5", T5_MAX_TOKENS
            self.model = T5EncoderModel.from_pretrained(self.folder, torch_dtype=torch.float32)
        elif model_type == "bert":
            self.family, self.max_tokens = "bert", int(raw.get("max_position_embeddings", 512))
            self.model = AutoModel.from_pretrained(self.folder, torch_dtype=torch.float32)
        else:
            raise TextEncoderError(f"{config_path}: field 'model_type' is '{model_type}', a model this tool does not run (supported: t5, mt5, bert)")
        self.model.eval()
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.width = int(raw["d_model"] if self.family == "t5" else raw["hidden_size"])
        name = raw.get("_name_or_path") or ""
        self.name = name if name else self.folder.resolve().name
        self.weights_hash = weights_hash(self.folder / "model.safetensors")
        self._cache: dict[str, np.ndarray] = {}

    def record(self) -> TextEncoderRecord:
        return TextEncoderRecord(self.name, self.weights_hash, self.family, self.width, os.path.abspath(self.folder))

    def tokenize(self, text: str) -> list[int]:
        ids = self.tokenizer.encode(text).ids
        return ids if len(ids) <= self.max_tokens else ids[:self.max_tokens - 1] + ids[-1:]

    def encode(self, text: str) -> np.ndarray:
        import torch

        cached = self._cache.get(text)
        if cached is None:
            ids = self.tokenize(text)
            with torch.no_grad():
                hidden = self.model(input_ids=torch.tensor([ids])).last_hidden_state[0]
            cached = hidden.to(torch.float32).cpu().numpy()
            self._cache[text] = cached
        return cached


class WithTextFeatures:
    """A pose source whose samples carry an encoder's hidden states of their texts as
    ``text_features`` (computed once per distinct text, up front, so data-loader workers only copy arrays)."""

    def __init__(self, source, encoder: PretrainedTextEncoder) -> None:
        self.source = source
        self.layout = source.layout
        self.features: dict[str, np.ndarray] = {}
        for index in range(len(source)):
            text = source[index].text or ""
            if text not in self.features:
                self.features[text] = encoder.encode(text)

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, index: int) -> PoseSample:
        sample = self.source[index]
        return replace(sample, text_features=self.features[sample.text or ""])

    def frame_counts(self) -> Sequence[int]:
        return self.source.frame_counts()
