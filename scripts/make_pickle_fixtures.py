#!/usr/bin/env python3
"""Generates the pickle fixtures of Tests/PoseDataTests/Fixtures/pickle and their expected values.

Run from the repository root:  python3 scripts/make_pickle_fixtures.py

Every format the safe reader claims is covered by a small file: protocols 0-5, numpy 2.x module
paths and numpy 1.x ones (written by pointing the pickler at stand-in modules named
`numpy.core.*`), float16/float64/int/uint8/bool/big-endian dtypes, Fortran order, (T, J*3)
shapes, nested lists, a dict name -> sample, OrderedDicts, gzip, and the HybridSign authors'
torch format (tensors pickled with pickle.dump: `torch._utils._rebuild_tensor_v2` over storages
from `torch.storage._load_from_bytes` in torch's legacy serialization), reproduced without
torch from the structure of ../shared/data/pickle-formats/authors-torch.pkl.

expected.json holds, per file and sample, what Python's pickle gives: metadata, frame and joint
counts, float64 sums of x, y and confidence, and a position-weighted checksum
sum(v[i] * (i % 7 + 1)) over the flat (T, J, 3) values, which catches reordered values.
words-expected.json gets the same, compactly, for the bundled data/words/dev.pkl and test.pkl.
"""
import collections
import gzip
import io
import json
import math
import os
import pickle
import struct
import sys
import types

import numpy as np

# Set iteration order depends on string hashing; a fixed seed makes the fixtures reproducible.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execvpe(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))

OUT = os.path.join("Tests", "PoseDataTests", "Fixtures", "pickle")


# ---------------------------------------------------------------- expected values

def summary(sample_values, meta):
    pose = np.asarray(sample_values, dtype=np.float64)
    frames = pose.shape[0]
    pose = pose.reshape(frames, -1, 3)
    flat = pose.reshape(-1)
    weights = (np.arange(flat.size) % 7) + 1
    out = {
        "frames": int(frames),
        "joints": int(pose.shape[1]),
        "sum_x": math.fsum(pose[..., 0].reshape(-1).tolist()),
        "sum_y": math.fsum(pose[..., 1].reshape(-1).tolist()),
        "sum_c": math.fsum(pose[..., 2].reshape(-1).tolist()),
        "checksum": math.fsum((flat * weights).tolist()),
    }
    for key in ("name", "text", "gloss", "signer"):
        if meta.get(key) is not None:
            out[key] = meta[key]
    out["fps"] = float(meta["fps"]) if meta.get("fps") is not None else 25.0
    sentence = meta.get("sentence")
    if sentence is not None:
        sentence = np.asarray(sentence, dtype=np.float64)
        out["sentence_shape"] = list(sentence.shape)
        out["sentence_sum"] = math.fsum(sentence.reshape(-1).tolist())
    return out


def expected_for(obj):
    """Expected values of a loaded dataset object (list, or dict name -> sample)."""
    if isinstance(obj, dict):
        items = [(dict(v, name=v.get("name", k)) if isinstance(v, dict) else v) for k, v in obj.items()]
    else:
        items = list(obj)
    result = []
    for sample in items:
        key = next(k for k in ("keypoints", "pose", "skeleton") if k in sample)
        values = sample[key]
        if hasattr(values, "numpy"):
            values = values.numpy()
        result.append(summary(np.asarray(values, dtype=np.float64), sample))
    return result


# ---------------------------------------------------------------- sample data

RNG = np.random.default_rng(20260125)


def make_samples(count=3, joints=5, frames=(4, 5, 3)):
    samples = []
    for index in range(count):
        t = frames[index % len(frames)]
        pose = RNG.uniform(-300, 900, size=(t, joints, 3)).astype(np.float32)
        pose[..., 2] = RNG.uniform(0, 1, size=(t, joints)).astype(np.float32)
        pose[0, 0] = 0  # a missing joint
        samples.append({
            "name": f"fixture-{index}",
            "signer": "gsg",
            "text": ["Baum", "Haus", "Äpfel"][index % 3],
            "gloss": ["B A U M", "H A U S", "Ä P F E L"][index % 3],
            "fps": 12.5,
            "pose": pose,
        })
    return samples


# ---------------------------------------------------------------- numpy 1.x module paths

class Numpy1Pickler(pickle.Pickler):
    """Pickles ndarrays exactly as numpy does, but naming numpy 1.x's `numpy.core` modules.

    The reduce callables are stand-ins registered under the old module names, so the pickler
    writes `numpy.core.multiarray _reconstruct` (and friends) through its ordinary code paths.
    """
    stand_ins = {}

    def __init__(self, file, protocol):
        super().__init__(file, protocol=protocol)
        self.protocol = protocol

    @classmethod
    def stand_in(cls, module, name):
        key = (module, name)
        if key not in cls.stand_ins:
            function = types.FunctionType((lambda *a: None).__code__, {}, name)
            function.__module__ = module
            function.__qualname__ = name
            cls.stand_ins[key] = function
        return cls.stand_ins[key]

    def reducer_override(self, obj):
        if isinstance(obj, np.ndarray) and type(obj) is np.ndarray:
            reduced = obj.__reduce_ex__(self.protocol)
            callable_, rest = reduced[0], reduced[1:]
            module = callable_.__module__.replace("numpy._core", "numpy.core")
            return (self.stand_in(module, callable_.__name__),) + tuple(rest)
        if isinstance(obj, np.generic):
            callable_, arguments = obj.__reduce__()[:2]
            module = callable_.__module__.replace("numpy._core", "numpy.core")
            return (self.stand_in(module, callable_.__name__), arguments)
        return NotImplemented


def dumps_numpy1(obj, protocol):
    saved = {}
    names = {module for module, _ in [("numpy.core.multiarray", 0), ("numpy.core.numeric", 0)]}
    for module in names:
        saved[module] = sys.modules.get(module)
        sys.modules[module] = types.ModuleType(module)
    try:
        for module in names:
            for name in ("_reconstruct", "scalar", "_frombuffer"):
                setattr(sys.modules[module], name, Numpy1Pickler.stand_in(module, name))
        buffer = io.BytesIO()
        Numpy1Pickler(buffer, protocol=protocol).dump(obj)
        return buffer.getvalue()
    finally:
        for module, original in saved.items():
            if original is None:
                del sys.modules[module]
            else:
                sys.modules[module] = original


# ---------------------------------------------------------------- Python 2 style strings

class Python2Pickler(pickle._Pickler):
    """Writes bytes as Python 2 wrote `str`: BINSTRING / SHORT_BINSTRING (protocol 2), which Python 3
    reads back with encoding="latin1" as numpy array data."""

    def save_py2_str(self, obj):
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch = dict(pickle._Pickler.dispatch)
    dispatch[bytes] = save_py2_str


def dumps_python2_style(obj):
    buffer = io.BytesIO()
    Python2Pickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()


# ---------------------------------------------------------------- torch's format, without torch

MAGIC = 0x1950A86A20F9469CFC6C
STORAGE_TYPES = {np.dtype("float32"): "FloatStorage", np.dtype("float64"): "DoubleStorage",
                 np.dtype("float16"): "HalfStorage", np.dtype("int64"): "LongStorage"}


def fake_module(name):
    """A stand-in module registered in sys.modules (with its parents), so pickle can name it."""
    module = sys.modules.get(name)
    if module is None or not getattr(module, "__fake__", False):
        module = types.ModuleType(name)
        module.__fake__ = True
        sys.modules[name] = module
        if "." in name:
            parent, child = name.rsplit(".", 1)
            setattr(fake_module(parent), child, module)
    return module


def fake_function(module, name, body=None):
    function = body or types.FunctionType((lambda *a: None).__code__, {}, name)
    function.__module__ = module
    function.__qualname__ = name
    function.__name__ = name
    setattr(fake_module(module), name, function)
    return function


def fake_class(module, name):
    cls = type(name, (), {"__module__": module})
    cls.__qualname__ = name
    setattr(fake_module(module), name, cls)
    return cls


def legacy_storage_bytes(storage, key):
    """torch's legacy serialization of one storage (what `_load_from_bytes` reads)."""
    storage_type = fake_class("torch", STORAGE_TYPES[storage.dtype])

    class Marker:
        pass

    marker = Marker()

    class ObjectPickler(pickle.Pickler):
        def persistent_id(self, obj):
            if obj is marker:
                return ("storage", storage_type, key, "cpu", storage.size)
            return None

    out = io.BytesIO()
    pickle.dump(MAGIC, out, protocol=2)
    pickle.dump(1001, out, protocol=2)
    pickle.dump({"protocol_version": 1001, "little_endian": True,
                 "type_sizes": {"short": 2, "int": 4, "long": 4}}, out, protocol=2)
    ObjectPickler(out, protocol=2).dump(marker)
    pickle.dump([key], out, protocol=2)
    out.write(struct.pack("<q", storage.size))
    out.write(storage.astype(storage.dtype.newbyteorder("<")).tobytes())
    return out.getvalue()


class FakeStorage:
    def __init__(self, values, key):
        self.values, self.key = values, key

    def __reduce__(self):
        load = fake_function("torch.storage", "_load_from_bytes")
        return (load, (legacy_storage_bytes(self.values, self.key),))


class FakeTensor:
    """Pickles as torch 2.x does: `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`."""

    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce__(self):
        rebuild = fake_function("torch._utils", "_rebuild_tensor_v2")
        return (rebuild, (self.storage, self.offset, tuple(self.size), tuple(self.stride), False,
                          collections.OrderedDict()))


def tensor(values, key):
    values = np.ascontiguousarray(values)
    strides = [s // values.itemsize for s in values.strides]
    return FakeTensor(FakeStorage(values.reshape(-1), key), 0, values.shape, strides)


def strided_tensor(values, key):
    """A tensor whose storage holds its values transposed and after 7 unrelated elements, so that
    reading it needs the storage offset and the strides."""
    values = np.asarray(values)
    transposed = np.ascontiguousarray(np.transpose(values, (2, 1, 0)))  # (3, J, T)
    storage = np.concatenate([np.arange(7, dtype=values.dtype), transposed.reshape(-1)])
    t, j, c = values.shape
    return FakeTensor(FakeStorage(storage, key), 7, (t, j, c), (1, t, t * j))


def load_torch_legacy(path):
    """Reads an authors-format file without torch, with numpy stand-ins for torch's functions."""

    def load_from_bytes(data):
        stream = io.BytesIO(data)
        assert pickle.load(stream) == MAGIC and pickle.load(stream) == 1001
        pickle.load(stream)  # sys info

        class Unpickler(pickle.Unpickler):
            def persistent_load(self, pid):
                return ("storage", pid[1], pid[2], pid[4])

            def find_class(self, module, name):
                return np.float32 if name == "FloatStorage" else super().find_class(module, name)

        ref = Unpickler(stream).load()
        keys = pickle.load(stream)
        storages = {}
        for key in keys:
            count, = struct.unpack("<q", stream.read(8))
            storages[key] = np.frombuffer(stream.read(count * 4), dtype="<f4")
        return storages[ref[2]]

    def rebuild(storage, offset, size, stride, *rest):
        return np.lib.stride_tricks.as_strided(storage[offset:], shape=size,
                                               strides=[s * storage.itemsize for s in stride]).copy()

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return rebuild
            if (module, name) == ("torch.storage", "_load_from_bytes"):
                return load_from_bytes
            return super().find_class(module, name)

    with open(path, "rb") as file:
        return Unpickler(file).load()


# ---------------------------------------------------------------- fixtures

def write(name, data, expected, loaded):
    path = os.path.join(OUT, name)
    with open(path, "wb") as file:
        file.write(data)
    expected[name] = expected_for(loaded)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    samples = make_samples()

    # Protocols 0-5 with numpy 2.x paths (numpy's own pickling).
    for protocol in range(6):
        data = pickle.dumps(samples, protocol=protocol)
        write(f"protocol{protocol}.pkl", data, expected, pickle.loads(data))

    # numpy 1.x paths (`numpy.core.multiarray._reconstruct`, `numpy.core.numeric._frombuffer`).
    for protocol in (2, 4, 5):
        data = dumps_numpy1(samples, protocol)
        assert b"numpy.core" in data and b"numpy._core" not in data
        write(f"numpy1-protocol{protocol}.pkl", data, expected, pickle.loads(data))

    # Python 2 style: array data as BINSTRING, read as Python 3 does with encoding="latin1".
    data = dumps_python2_style([dict(s, pose=s["pose"]) for s in samples])
    assert b"_codecs" not in data
    write("python2-style.pkl", data, expected, pickle.loads(data, encoding="latin1"))

    # Dtypes: every sample's keypoints in another type; numpy scalars for fps.
    dtype_samples = []
    for index, dtype in enumerate(["<f2", "<f8", "<i2", "<i4", "<i8", "u1", "i1", "?", ">f4", ">f8"]):
        pose = samples[index % 3]["pose"]
        if dtype == "?":
            values = pose > 100
        elif dtype in ("u1",):
            values = np.clip(np.abs(pose), 0, 255)
        elif dtype in ("i1",):
            values = np.clip(pose, -128, 127)
        else:
            values = pose
        dtype_samples.append(dict(samples[index % 3], name=f"dtype-{dtype}", pose=values.astype(dtype),
                                  fps=np.float64(30.0) if index % 2 else np.float32(15.0)))
    for protocol in (2, 4):
        data = pickle.dumps(dtype_samples, protocol=protocol)
        write(f"dtypes-protocol{protocol}.pkl", data, expected, pickle.loads(data))
    data = dumps_numpy1(dtype_samples, 2)
    write("dtypes-numpy1.pkl", data, expected, pickle.loads(data))

    # Fortran order, in _reconstruct (protocol 4) and _frombuffer (protocol 5) form.
    fortran = [dict(s, pose=np.asfortranarray(s["pose"])) for s in samples]
    for protocol in (4, 5):
        data = pickle.dumps(fortran, protocol=protocol)
        write(f"fortran-protocol{protocol}.pkl", data, expected, pickle.loads(data))

    # (T, J*3) arrays under `keypoints`; no fps (defaults to 25).
    flat = [{"name": s["name"], "text": s["text"], "keypoints": s["pose"].reshape(s["pose"].shape[0], -1)} for s in samples]
    data = pickle.dumps(flat, protocol=4)
    write("flat-keypoints.pkl", data, expected, pickle.loads(data))

    # Nested lists: (T, J, 3) under `skeleton`, (T, J*3) lists, tuples, ints mixed with floats.
    nested = [
        {"name": "nested-3d", "skeleton": samples[0]["pose"].astype(np.float64).tolist(), "fps": 30},
        {"name": "nested-flat", "skeleton": samples[1]["pose"].astype(np.float64).reshape(5, -1).tolist(), "fps": 30},
        {"name": "nested-tuples", "skeleton": tuple(tuple(tuple(j) for j in f) for f in np.round(samples[2]["pose"]).astype(int).tolist()),
         "fps": 30.0},
    ]
    for protocol in (0, 2, 4):
        data = pickle.dumps(nested, protocol=protocol)
        write(f"nested-protocol{protocol}.pkl", data, expected, pickle.loads(data))

    # A dict name -> sample (OrderedDict samples, sets and bytes in unused keys).
    by_name = collections.OrderedDict()
    for s in samples:
        sample = collections.OrderedDict((k, v) for k, v in s.items() if k != "name")
        sample["extra"] = {"tags": {"a", "b"}, "frozen": frozenset([1]), "blob": b"\x00\xff", "big": 2 ** 80, "neg": -2 ** 70}
        by_name[s["name"]] = sample
    for protocol in (2, 4):
        data = pickle.dumps(by_name, protocol=protocol)
        write(f"dict-protocol{protocol}.pkl", data, expected, pickle.loads(data))

    # gzip.
    data = pickle.dumps(samples, protocol=4)
    write("protocol4.pkl.gz", gzip.compress(data, mtime=0), expected, samples)
    # Two gzip members, as appending to a .gz file makes; gzip.open reads them as one stream.
    half = len(data) // 2
    write("protocol4-two-members.pkl.gz", gzip.compress(data[:half], mtime=0) + gzip.compress(data[half:], mtime=0),
          expected, samples)

    # The authors' torch format: first sample of the shared file, cut to 6 frames, with its
    # `sentence` cut to 3 rows; the second sample as a strided view (offset and strides).
    shared = os.environ.get("HYBRIDSIGN_SHARED_DATA", os.path.join("..", "shared", "data"))
    authors_path = os.path.join(shared, "pickle-formats", "authors-torch.pkl")
    authors = load_torch_legacy(authors_path)
    first = authors[0]
    keypoints = first["keypoints"][:6]
    sentence = first["sentence"][:, :3, :]
    second = authors[1]["keypoints"][:5]
    torch_samples = [
        {"keypoints": tensor(keypoints, "93916495819296"), "sentence": tensor(sentence, "93916495819297")},
        {"keypoints": strided_tensor(second, "93916495819298"), "sentence": tensor(sentence[0], "93916495819299")},
    ]
    data = pickle.dumps(torch_samples, protocol=4)
    plain = [{"keypoints": keypoints, "sentence": sentence}, {"keypoints": second, "sentence": sentence[0]}]
    write("authors-torch-cut.pkl", data, expected, plain)
    # The cut file reads back, through the same stand-ins, as the values it was made from.
    reread = load_torch_legacy(os.path.join(OUT, "authors-torch-cut.pkl"))
    assert np.array_equal(reread[0]["keypoints"], keypoints) and np.array_equal(reread[1]["keypoints"], second)

    with open(os.path.join(OUT, "expected.json"), "w") as file:
        json.dump(expected, file, indent=1, ensure_ascii=False)
        file.write("\n")

    words_expected = {}
    for relative in ["data/words/dev.pkl", "data/words/test.pkl"]:
        with open(relative, "rb") as file:
            words_expected[relative] = expected_for(pickle.load(file))
    # Compact rows keep the fixture small: one array per sample, sums to 12 significant digits.
    columns = ["name", "text", "gloss", "signer", "fps", "frames", "joints", "sum_x", "sum_y", "sum_c", "checksum",
               "sentence_sum"]
    compact = {"columns": columns, "files": {
        relative: [[float(f"{row[c]:.12g}") if isinstance(row.get(c), float) else row.get(c) for c in columns]
                   for row in rows]
        for relative, rows in words_expected.items()}}
    with open(os.path.join("Tests", "PoseDataTests", "Fixtures", "words-expected.json"), "w") as file:
        json.dump(compact, file, separators=(",", ":"), ensure_ascii=False)
        file.write("\n")

if __name__ == "__main__":
    main()
