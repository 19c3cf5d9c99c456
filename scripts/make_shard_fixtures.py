#!/usr/bin/env python3
"""Generates the sharded-dataset fixture that the Swift reader and the twin's reader are both
checked against.

Run from the repository root after `swift build -c release --product hybridsign`:
    python3 scripts/make_shard_fixtures.py
Writes Tests/PoseDataTests/Fixtures/:
  shards-source.json   five short samples of data/words/dev.pkl (real OpenPose-137 frames, cut to
                       5 frames) in HybridSign's JSON format; sample 1 has no name, gloss or signer,
                       sample 2 a name with a control character and non-ASCII text, samples 3 and 4
                       text features (3 × 4 and 1 × 4) so the shards carry the feature tensors
  shards/              `hybridsign convert shards-source.json shards/ --shards 2`: three shards and
                       index.json (ShardedDatasetTests checks that a fresh conversion is byte-identical)
"""
import json
import os
import pickle
import shutil
import subprocess

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "PoseDataTests", "Fixtures")


def main() -> None:
    with open(os.path.join(ROOT, "data", "words", "dev.pkl"), "rb") as file:
        rows = pickle.load(file)
    samples = []
    for index, row in enumerate(rows[:5]):
        frames = np.asarray(row["pose"], dtype=np.float32)[:5]
        sample = {"name": row["name"], "text": row["text"], "gloss": row["gloss"], "signer": row["signer"],
                  "fps": float(row["fps"]), "frames": frames.tolist()}
        if index == 1:
            for key in ("name", "gloss", "signer"):
                del sample[key]
        if index == 2:
            sample["name"] = "tab\there-\u00fc\u00df"
            sample["text"] = "Gr\u00fc\u00dfe \u2014 \u624b\u8a71"
        if index == 3:
            sample["text_features"] = (np.arange(12, dtype=np.float32).reshape(3, 4) / 7).tolist()
        if index == 4:
            sample["text_features"] = [[0.5, -1.0, 2.0, 1e-3]]
        samples.append(sample)
    binary = os.path.join(ROOT, ".build", "release", "hybridsign")
    if not os.access(binary, os.X_OK):
        raise SystemExit("build hybridsign first: swift build -c release --product hybridsign")
    # The layout as hybridsign writes it: convert one real sample to JSON and take its layout.
    probe = os.path.join(OUT, ".probe.json")
    subprocess.run([binary, "convert", os.path.join(ROOT, "data", "words", "dev.pkl"), probe, "--sample", "0"], check=True,
                   capture_output=True)
    with open(probe) as file:
        dataset_layout = json.load(file)["layout"]
    os.remove(probe)
    source = os.path.join(OUT, "shards-source.json")
    with open(probe, "w") as file:
        json.dump({"layout": dataset_layout, "samples": samples}, file, ensure_ascii=False)
    # Rewritten by hybridsign: floats in their shortest exact form.
    subprocess.run([binary, "convert", probe, source], check=True, capture_output=True)
    os.remove(probe)
    shards = os.path.join(OUT, "shards")
    shutil.rmtree(shards, ignore_errors=True)
    subprocess.run([binary, "convert", source, shards + "/", "--shards", "2"], check=True)


if __name__ == "__main__":
    main()
