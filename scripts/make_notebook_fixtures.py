"""Writes Tests/NotebookTests/Fixtures/words.pkl: three short words for the notebook's data verbs.

Made from the render fixtures (Tests/RenderTests/Fixtures: real German fingerspelling of Mai, Uhr
and Ohr from the shared word data, OpenPose-137): every second frame of the first 24, so each word
keeps 12 frames at 6.25 fps. A pickled list of dicts in the seed's format (protocol 4, numpy
float32 `pose` arrays of shape (T, 137, 3)). Run from the repository root:

    python3 scripts/make_notebook_fixtures.py
"""
import json
import pickle
from pathlib import Path

import numpy as np

root = Path(__file__).resolve().parent.parent
source = root / "Tests/RenderTests/Fixtures"
target = root / "Tests/NotebookTests/Fixtures/words.pkl"

samples = []
for entry in json.loads((source / "words.json").read_text()):
    values = np.fromfile(source / entry["file"], dtype="<f4").reshape(entry["frames"], entry["joints"], 3)
    samples.append({
        "name": entry["name"], "signer": entry["signer"], "text": entry["text"], "gloss": entry["gloss"],
        "fps": entry["fps"] / 2, "pose": np.ascontiguousarray(values[0:24:2]),
    })
target.parent.mkdir(parents=True, exist_ok=True)
with open(target, "wb") as file:
    pickle.dump(samples, file, protocol=4)
print(f"wrote {target.relative_to(root)}: {[s['text'] for s in samples]}, {[s['pose'].shape for s in samples]}")
