"""Text units as Swift reads them: characters (grapheme clusters), words, the case fallback."""

from __future__ import annotations

import pytest

from hybridsign_torch.length_model import LengthModel
from hybridsign_torch.vocabulary import TextVocabulary, UnsupportedText, characters


def test_characters_keep_combining_marks_and_emoji_together() -> None:
    assert characters("Bäume") == ["B", "ä", "u", "m", "e"]
    assert characters("Ba\u0308") == ["B", "a\u0308"]
    assert characters("👍🏽!") == ["👍🏽", "!"]
    assert characters("a\r\nb") == ["a", "\r\n", "b"]


def test_vocabulary_ids_fallback_and_errors() -> None:
    vocabulary = TextVocabulary.fit("characters", ["Baum", "gras"])
    assert vocabulary.units == ("B", "a", "g", "m", "r", "s", "u") and vocabulary.size == 8
    assert vocabulary.encode("GRAS") == vocabulary.encode("gras")
    with pytest.raises(UnsupportedText, match="does not know the characters 'x' .* it supports: Bagmrsu"):
        vocabulary.encode("Bax")
    with pytest.raises(UnsupportedText, match="the text is empty"):
        vocabulary.encode("")
    words = TextVocabulary.fit("words", ["der Baum", "das  Gras"])
    assert words.encode("Baum der") == [words.units.index("Baum") + 1, words.units.index("der") + 1]


def test_length_model_fits_and_rounds_like_swift() -> None:
    model = LengthModel.fit([1, 2, 3], [10, 20, 30])
    assert abs(model.slope - 10) < 1e-12 and abs(model.intercept) < 1e-9
    assert LengthModel(0.5, 1).frames(2, 100) == 3  # 2.5 rounds away from zero
    assert LengthModel(60, 0).frames(5, 40) == 40 and LengthModel(-9, 0).frames(1, 40) == 2
    assert LengthModel.fit([4, 4], [7, 9]) == LengthModel(8.0, 0.0)
