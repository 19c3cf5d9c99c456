#!/usr/bin/env python3
"""Copies the multilingual fingerspelling dev and test splits into data/multilingual/, cut to fit
the repository.

The shared splits (../shared/data/fingerspelling/multilingual/, 40 words × 2 sign languages each)
are about 5 MB gzipped; the poses are float32 at full precision and barely compress. This keeps
the first WORDS words of each split in file order, with all their languages, and the samples
unchanged (same dicts, same arrays), so a figure on the copy is a figure on a subset of the shared
split. The train split (74 MB) is not copied: `hybridsign train` reads it from the shared data.

Usage: scripts/make_multilingual_subset.py [--source DIR] [--out DIR] [--words N]
"""
import argparse
import gzip
import os
import pickle
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=os.path.join(ROOT, "..", "shared", "data", "fingerspelling", "multilingual"))
    parser.add_argument("--out", default=os.path.join(ROOT, "data", "multilingual"))
    parser.add_argument("--words", type=int, default=16)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for split in ("dev", "test"):
        path = os.path.join(args.source, f"{split}.pkl.gz")
        try:
            with gzip.open(path, "rb") as f:
                samples = pickle.load(f)
        except OSError as error:
            print(f"cannot read {path}: {error}", file=sys.stderr)
            return 1
        words = []
        for sample in samples:
            if sample["text"] not in words:
                words.append(sample["text"])
        kept = set(words[: args.words])
        subset = [s for s in samples if s["text"] in kept]
        target = os.path.join(args.out, f"{split}.pkl.gz")
        temporary = target + ".tmp"
        # mtime=0: the same input gives the same bytes.
        with open(temporary, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            pickle.dump(subset, f, protocol=4)
        os.replace(temporary, target)
        languages = sorted({s["signer"] for s in subset})
        print(f"{target}: {len(subset)} samples, {len(kept)} words, {len(languages)} languages "
              f"({' '.join(languages)}), {os.path.getsize(target)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
