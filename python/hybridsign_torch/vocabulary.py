"""The built-in text encoder's vocabulary (``TextVocabulary``): characters or words of the training
texts, id 0 padding, known units 1...n in sorted order, a case fallback for unknown characters.

Characters are Swift ``Character``s, extended grapheme clusters; the twin splits text into a base
character followed by its combining marks, variation selectors and zero-width-joiner sequences,
which agrees with Swift on letters, digits, accents and emoji (Unicode's full segmentation rules
cover rarer scripts: text in those may split differently; check with ``hybridsign sample``).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from . import swift_json


class UnsupportedText(ValueError):
    """Text the model cannot read; the message lists what it supports."""


def characters(text: str) -> list[str]:
    """``text`` split into user-perceived characters (see the module note)."""
    out: list[str] = []
    joining = False
    for ch in text:
        code = ord(ch)
        attach = out and (joining or unicodedata.combining(ch) != 0 or 0xFE00 <= code <= 0xFE0F or code == 0x200D
                          or unicodedata.category(ch) in ("Mn", "Me", "Mc")
                          or (ch == "\n" and out[-1] == "\r")
                          or (0x1F3FB <= code <= 0x1F3FF))
        if attach:
            out[-1] += ch
        else:
            out.append(ch)
        joining = code == 0x200D
    return out


def words(text: str) -> list[str]:
    return text.split()


@dataclass(frozen=True)
class TextVocabulary:
    unit: str  # "characters" or "words"
    units: tuple[str, ...]

    @classmethod
    def create(cls, unit: str, units: Iterable[str]) -> "TextVocabulary":
        return cls(unit, tuple(sorted(set(units))))

    @classmethod
    def fit(cls, unit: str, texts: Iterable[str]) -> "TextVocabulary":
        return cls.create(unit, (piece for text in texts for piece in split(text, unit)))

    @property
    def size(self) -> int:
        """Ids including padding (0)."""
        return len(self.units) + 1

    def encode(self, text: str) -> list[int]:
        """The ids of ``text`` (no padding); unknown units (after the case fallback) are an error."""
        pieces = split(text, self.unit)
        if not pieces:
            raise UnsupportedText(f"the text is empty; give at least one {'character' if self.unit == 'characters' else 'word'}")
        index = {u: k + 1 for k, u in enumerate(self.units)}
        ids: list[int] = []
        unknown: list[str] = []
        for piece in pieces:
            found = index.get(piece) or index.get(piece.lower()) or index.get(piece.upper())
            if found:
                ids.append(found)
            elif piece not in unknown:
                unknown.append(piece)
        if unknown:
            what = self.unit
            shown = ", ".join(f"'{u}'" for u in unknown)
            supported = "".join(self.units) if self.unit == "characters" else " ".join(self.units[:50]) + (" …" if len(self.units) > 50 else "")
            raise UnsupportedText(f'the model does not know the {what} {shown} in "{text}"; it supports: {supported}')
        return ids

    def to_json(self) -> str:
        return swift_json.dumps({"unit": self.unit, "units": list(self.units)})

    @classmethod
    def from_json(cls, text: str) -> "TextVocabulary":
        obj = json.loads(text)
        if obj.get("unit") not in ("characters", "words") or not isinstance(obj.get("units"), list):
            raise ValueError(f"vocabulary must be {{'unit': 'characters'|'words', 'units': [...]}}, not {text[:100]}")
        return cls.create(obj["unit"], obj["units"])


def split(text: str, unit: str) -> list[str]:
    return characters(text) if unit == "characters" else words(text)
