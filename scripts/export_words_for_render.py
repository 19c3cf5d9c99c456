#!/usr/bin/env python3
"""Export a few fingerspelled words from the shared pickles as raw float32 fixtures for RenderTests.

The Render branch cannot read pickles through PoseData yet (the pickle reader is written in
parallel), so its tests read this simple raw format instead:

  words.json      [{"name", "text", "gloss", "signer", "fps", "frames", "joints", "file"}, ...]
  <name>.bin      float32 little-endian, frames x joints x 3 (x, y, confidence), frame-major

Usage: scripts/export_words_for_render.py [--pickle PATH] [--out DIR] [WORD ...]
Defaults: ../shared/data/fingerspelling/words/dev.pkl, Tests/RenderTests/Fixtures, Mai Uhr Ohr.
"""
import argparse
import json
import os
import pickle
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pickle", default=os.path.join(ROOT, "..", "shared", "data", "fingerspelling", "words", "dev.pkl"))
    parser.add_argument("--out", default=os.path.join(ROOT, "Tests", "RenderTests", "Fixtures"))
    parser.add_argument("words", nargs="*", default=["Mai", "Uhr", "Ohr"])
    args = parser.parse_args()

    # The shared pickles are trusted project data; the Swift reader elsewhere never runs pickle code.
    with open(args.pickle, "rb") as handle:
        samples = pickle.load(handle)
    by_text = {sample["text"]: sample for sample in samples}
    missing = [word for word in args.words if word not in by_text]
    if missing:
        print(f"{args.pickle}: no sample with text {', '.join(missing)}", file=sys.stderr)
        return 1

    os.makedirs(args.out, exist_ok=True)
    header = []
    for word in args.words:
        sample = by_text[word]
        pose = np.ascontiguousarray(sample["pose"], dtype="<f4")
        frames, joints, channels = pose.shape
        assert channels == 3, f"{word}: expected (T, J, 3), got {pose.shape}"
        file_name = f"{sample['name']}.bin"
        tmp = os.path.join(args.out, file_name + ".tmp")
        pose.tofile(tmp)
        os.replace(tmp, os.path.join(args.out, file_name))
        header.append({
            "name": sample["name"], "text": sample["text"], "gloss": sample.get("gloss"),
            "signer": sample.get("signer"), "fps": float(sample["fps"]),
            "frames": frames, "joints": joints, "file": file_name,
        })
    tmp = os.path.join(args.out, "words.json.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(header, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    os.replace(tmp, os.path.join(args.out, "words.json"))
    for entry in header:
        print(f"{entry['name']}: {entry['frames']} frames x {entry['joints']} joints -> {entry['file']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
