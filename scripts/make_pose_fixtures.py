#!/usr/bin/env python3
"""Generates the PoseData test fixtures with pose-format (pip install pose-format) and numpy.

Run from the repository root: python3 scripts/make_pose_fixtures.py
Needs ../shared/data/fingerspelling (the shared data) for the cut and the expected values.
Writes Tests/PoseDataTests/Fixtures/:
  holistic-cut.pose              3 frames of a MediaPipe Holistic clip, written by pose-format
  holistic-cut.expected.json     header fields, sums, and the OpenPose-137 conversion (numpy)
  openpose-posefmt.pose          2 frames of synthetic OpenPose data, written by pose-format's load_openpose
  openpose-posefmt.expected.json the values pose-format reads back from it
  version01.pose                 a v0.1 file (pose-format writes only 0.2; built with struct, read back by pose-format)
  version01.expected.json        what pose-format reads from it
  holistic-ase-a.pose            a whole shared clip (ASL letter A, MediaPipe Holistic, 211 KB), copied as it is
  holistic-ase-a.expected.json   its header fields and sums, and the matching clip of letters.pkl.gz
                                 (the OpenPose-137 reference)
  normalization-dataset.json     a small synthetic dataset in HybridSign's JSON format (written by Python's json)
  normalization.expected.json    numpy's confidence-weighted mean/std and statistics of that dataset
"""
import gzip, json, os, pickle, struct, sys
import numpy as np
from pose_format import Pose
from pose_format.numpy.pose_body import NumPyPoseBody
from pose_format.utils.openpose import load_openpose

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "PoseDataTests", "Fixtures")
SHARED = os.path.join(ROOT, "..", "shared", "data", "fingerspelling")
if not os.path.isdir(SHARED):
    SHARED = "/work/shared/data/fingerspelling"

BODY = [0, (11, 12), 12, 14, 16, 11, 13, 15, (23, 24), 24, 26, 28, 23, 25, 27, 5, 2, 8, 7, 31, 31, 29, 32, 32, 30]
FACE = [int(x) for x in (
    "162 234 93 58 172 136 149 148 152 377 378 365 397 288 323 454 389 71 63 105 66 107 336 296 334 293 301 "
    "168 197 5 4 75 97 2 326 305 33 160 158 133 153 144 362 385 387 263 373 380 61 39 37 0 267 269 291 405 314 "
    "17 84 181 78 82 13 312 308 317 14 87 468 473").split()]


def holistic_to_openpose(data, conf):
    """(T, N, D) data and (T, N) confidence of a Holistic pose → (T, 137, 3) as the pickles were made."""
    T = data.shape[0]
    out = np.zeros((T, 137, 3), np.float32)

    def put(j, idx):
        if isinstance(idx, tuple):
            a, b = idx
            out[:, j, :2] = (data[:, a, :2] + data[:, b, :2]) / 2
            out[:, j, 2] = np.minimum(conf[:, a], conf[:, b])
        else:
            out[:, j, :2] = data[:, idx, :2]
            out[:, j, 2] = conf[:, idx]
    for j, i in enumerate(BODY):
        put(j, i)
    for j, i in enumerate(FACE):
        put(25 + j, 33 + i)
    for j in range(21):
        put(95 + j, 33 + 478 + j)
        put(116 + j, 33 + 478 + 21 + j)
    out[out[..., 2] == 0, :2] = 0
    return out


def header_summary(pose):
    h = pose.header
    return {
        "version": round(float(h.version), 6),
        "width": h.dimensions.width, "height": h.dimensions.height, "depth": h.dimensions.depth,
        "components": [{
            "name": c.name, "format": c.format, "pointCount": len(c.points), "limbCount": len(c.limbs),
            "colorCount": len(c.colors), "firstPoints": c.points[:3],
            "firstLimbs": [list(map(int, l)) for l in c.limbs[:3]],
            "firstColor": list(map(int, c.colors[0])) if len(c.colors) else [],
        } for c in h.components],
    }


def body_summary(pose):
    d = np.asarray(pose.body.data.data, dtype=np.float64)
    c = np.asarray(pose.body.confidence, dtype=np.float64)
    return {
        "fps": float(pose.body.fps), "frameCount": int(d.shape[0]), "peopleCount": int(d.shape[1]),
        "dimensionCount": int(d.shape[3]),
        "dataSums": [float(d[..., k].sum()) for k in range(d.shape[3])],
        "confidenceSum": float(c.sum()),
        "missingCount": int((c == 0).sum()),
        "firstPoint": [float(v) for v in d[0, 0, 0]] + [float(c[0, 0, 0])],
        "lastPoint": [float(v) for v in d[-1, -1, -1]] + [float(c[-1, -1, -1])],
    }


def dump(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def write_pose(pose, name):
    with open(os.path.join(OUT, name), "wb") as f:
        pose.write(f)


def main():
    os.makedirs(OUT, exist_ok=True)
    letters = {s["name"]: s for s in pickle.load(gzip.open(os.path.join(SHARED, "letters.pkl.gz")))}

    # 1. A cut Holistic clip, written by pose-format.
    source = os.path.join(SHARED, "pose-files", "gsg_fs-sts3c483cfcbfbbb68ca97f4cdf1150cd0b.pose")
    pose = Pose.read(open(source, "rb").read())
    cut = Pose(pose.header, NumPyPoseBody(pose.body.fps, pose.body.data[:3], pose.body.confidence[:3]))
    write_pose(cut, "holistic-cut.pose")
    cut = Pose.read(open(os.path.join(OUT, "holistic-cut.pose"), "rb").read())
    op = holistic_to_openpose(cut.body.data.data[:, 0], cut.body.confidence[:, 0])
    reference = letters["fs-sts3c483cfcbfbbb68ca97f4cdf1150cd0b"]["pose"][:3]
    assert np.array_equal(op, reference), "the Holistic → OpenPose mapping no longer matches letters.pkl.gz"
    dump("holistic-cut.expected.json", {"header": header_summary(cut), "body": body_summary(cut),
                                        "openpose137": [float(v) for v in op.reshape(-1)]})

    # 2. Synthetic OpenPose frames through pose-format's own OpenPose reader.
    rng = np.random.default_rng(7)
    counts = {"pose_keypoints_2d": 25, "face_keypoints_2d": 70, "hand_left_keypoints_2d": 21, "hand_right_keypoints_2d": 21}
    frames = {}
    for t in range(2):
        person = {}
        for name, n in counts.items():
            v = np.round(rng.uniform(0, 500, (n, 3)), 3)
            v[:, 2] = np.round(rng.uniform(0, 1, n), 3)
            v[rng.uniform(size=n) < 0.2] = 0
            person[name] = [float(x) for x in v.reshape(-1)]
        frames[t] = {"people": [person]}
    openpose = load_openpose(frames, fps=25, width=640, height=480)
    write_pose(openpose, "openpose-posefmt.pose")
    back = Pose.read(open(os.path.join(OUT, "openpose-posefmt.pose"), "rb").read())
    values = np.concatenate([back.body.data.data[:, 0], back.body.confidence[:, 0, :, None]], axis=-1)
    dump("openpose-posefmt.expected.json", {"header": header_summary(back), "body": body_summary(back),
                                            "values": [float(v) for v in values.reshape(-1)]})

    # 3. A version 0.1 file: header 0.1, body fps and frames as UInt16.
    comps = [("BODY", "XYC", ["A", "B", "C"], [(0, 1), (1, 2)], [(255, 0, 0)]),
             ("HAND", "XYZC", ["W", "T"], [(0, 1)], [(0, 255, 0), (0, 0, 255)])]
    T, P, N, D = 4, 2, 5, 3
    data = (np.arange(T * P * N * D, dtype=np.float32) * 0.5 - 7).reshape(T, P, N, D)
    conf = (np.arange(T * P * N, dtype=np.float32) % 3 / 2).reshape(T, P, N)
    buf = bytearray(struct.pack("<fHHHH", 0.1, 320, 240, 0, len(comps)))
    for name, fmt, points, limbs, colors in comps:
        for s in (name, fmt):
            buf += struct.pack("<H", len(s)) + s.encode()
        buf += struct.pack("<HHH", len(points), len(limbs), len(colors))
        for p in points:
            buf += struct.pack("<H", len(p)) + p.encode()
        for a, b in limbs:
            buf += struct.pack("<HH", a, b)
        for rgb in colors:
            buf += struct.pack("<HHH", *rgb)
    buf += struct.pack("<HHH", 25, T, P) + data.tobytes() + conf.tobytes()
    with open(os.path.join(OUT, "version01.pose"), "wb") as f:
        f.write(buf)
    v01 = Pose.read(bytes(buf))
    dump("version01.expected.json", {"header": header_summary(v01), "body": body_summary(v01)})

    # 4. The smallest shared .pose file, whole, and its OpenPose-137 reference in letters.pkl.gz.
    clip = "ase_fs-stse28e9ac023b0e29ca0a3acc12dc46540.pose"
    raw = open(os.path.join(SHARED, "pose-files", clip), "rb").read()
    with open(os.path.join(OUT, "holistic-ase-a.pose"), "wb") as f:
        f.write(raw)
    p = Pose.read(raw)
    ref = letters[clip[4:-5]]["pose"].astype(np.float64)
    dump("holistic-ase-a.expected.json", [{
        "file": "holistic-ase-a.pose", "header": header_summary(p), "body": body_summary(p),
        "openpose137": {"frameCount": int(ref.shape[0]), "fps": float(letters[clip[4:-5]]["fps"]),
                        "sums": [float(ref[..., k].sum()) for k in range(3)],
                        "frame0": [float(v) for v in ref[0].reshape(-1)]}}])

    # 5. A synthetic dataset for normalisation and statistics, written with Python's json.
    layout = {"name": "tiny5", "joints": ["head", "neck", "hand_a", "hand_b", "hand_c"],
              "parts": {"upper": [0, 1], "hand": [2, 3, 4]}, "bones": [[0, 1], [2, 3], [3, 4]]}
    samples, arrays = [], []
    for i, (length, fps) in enumerate([(5, 25.0), (9, 25.0), (3, 12.5), (7, 30.0)]):
        v = rng.normal(100, 40, (length, 5, 3)).astype(np.float32)
        v[..., 1] = rng.normal(-20, 7, (length, 5))
        v[..., 2] = rng.uniform(0, 1, (length, 5))
        v[rng.uniform(size=(length, 5)) < 0.25] = 0
        arrays.append(v)
        samples.append({"name": f"s{i}", "text": ["a", "b", "a", "Über"][i], "gloss": None,
                        "signer": ["x", "y", "x", "y"][i], "fps": fps,
                        "frames": [[[float(c) for c in joint] for joint in frame] for frame in v]})
    dump("normalization-dataset.json", {"layout": layout, "samples": samples})
    allv = np.concatenate([a.reshape(-1, 3) for a in arrays]).astype(np.float64)
    w = allv[:, 2]
    mx, my = np.average(allv[:, 0], weights=w), np.average(allv[:, 1], weights=w)
    sx = np.sqrt(np.average((allv[:, 0] - mx) ** 2, weights=w))
    sy = np.sqrt(np.average((allv[:, 1] - my) ** 2, weights=w))
    parts = []
    for pname, joints in layout["parts"].items():
        c = np.concatenate([a[:, joints, 2].reshape(-1) for a in arrays]).astype(np.float64)
        parts.append({"name": pname, "missingFraction": float((c == 0).mean()), "meanConfidence": float(c[c > 0].mean())})
    lengths = [a.shape[0] for a in arrays]
    durations = [a.shape[0] / s["fps"] for a, s in zip(arrays, samples)]
    dump("normalization.expected.json", {
        "meanX": mx, "meanY": my, "stdX": sx, "stdY": sy,
        "minFrames": min(lengths), "maxFrames": max(lengths), "meanFrames": float(np.mean(lengths)),
        "totalDuration": float(sum(durations)), "missingFraction": float((w == 0).mean()), "parts": parts})


if __name__ == "__main__":
    sys.exit(main())
