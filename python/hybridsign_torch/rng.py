"""The Swift tool's random generators, number for number.

``RandomGenerator`` is ``Tensors.RandomGenerator`` (``Sources/Tensors/Core/Random.swift``):
xoshiro256** seeded through SplitMix64, uniforms with 24 random bits, normals by Box–Muller with
the second value of each pair kept for the next call (PoseData's SplitMix64 batch order is
``shards.batch_indices``). With the same seed and the same calls in
the same order, the twin draws exactly the numbers the Swift trainer draws: initial weights, the
data order, and every step's noise (``draws.py``).

Long runs of draws (a step's noise, a paper-size model's initial weights) are generated in parallel
lanes: xoshiro's state transition is linear over GF(2), so the state ``2^k`` steps ahead is a
256 × 256 bit matrix power applied to the state, and each lane starts where the previous one ends.
The numbers are the same as one draw after another.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
#: Below this many raw draws, a plain loop is faster than setting up lanes.
_LANE_THRESHOLD = 2048
#: Draws per block of lanes.
_BLOCK = 1 << 20


def _split_mix(x: int) -> tuple[int, int]:
    """SplitMix64: the next state and output."""
    x = (x + _GOLDEN) & _MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return x, z ^ (z >> 31)


def _transition(s0: int, s1: int, s2: int, s3: int) -> tuple[int, int, int, int]:
    """xoshiro256**'s state update (without the output function)."""
    t = (s1 << 17) & _MASK
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = ((s3 << 45) | (s3 >> 19)) & _MASK
    return s0, s1, s2, s3


class _JumpTable:
    """Powers ``T^(2^k)`` of xoshiro256**'s state transition, a linear map over GF(2)^256, made on
    demand. A power is kept as byte tables: entry ``[b, v]`` is the image (4 words) of the state
    whose byte b is v and all other bytes 0, so applying it to n states is 32 look-ups and XORs."""

    def __init__(self) -> None:
        columns = np.zeros((256, 4), dtype=np.uint64)
        for j in range(256):
            words = [0, 0, 0, 0]
            words[j // 64] = 1 << (j % 64)
            columns[j] = _transition(*words)
        self.tables: list[np.ndarray] = [_byte_tables(columns)]

    def power(self, k: int) -> np.ndarray:
        while len(self.tables) <= k:
            # The basis images of T^(2^(k+1)) are T^(2^k) applied twice to the basis.
            previous = self.tables[-1]
            self.tables.append(_byte_tables(_apply(previous, _apply(previous, _BASIS))))
        return self.tables[k]

    def advance(self, states: np.ndarray, steps: int) -> np.ndarray:
        """The states (n × 4 words) ``steps`` transitions later."""
        k = 0
        while steps:
            if steps & 1:
                states = _apply(self.power(k), states)
            steps >>= 1
            k += 1
        return states


#: The 256 unit states (bit j set), as n × 4 words.
_BASIS = np.packbits(np.eye(256, dtype=np.uint8), axis=1, bitorder="little").view(np.uint64)


def _byte_tables(images: np.ndarray) -> np.ndarray:
    """Byte tables ``[32, 256, 4]`` of the linear map whose basis images are ``images`` (256 × 4)."""
    tables = np.zeros((32, 256, 4), dtype=np.uint64)
    for bit in range(8):
        high = 1 << bit
        # Entries whose highest set bit is this one: the entry without it, XOR that bit's image.
        tables[:, high:2 * high] = tables[:, :high] ^ images[bit::8][:, None, :]
    return tables


def _apply(tables: np.ndarray, states: np.ndarray) -> np.ndarray:
    """The map of ``tables`` applied to n states (n × 4 uint64 words)."""
    data = np.ascontiguousarray(states, dtype=np.uint64).view(np.uint8)  # n × 32 bytes, little-endian
    out = np.zeros((data.shape[0], 4), dtype=np.uint64)
    for b in range(32):
        out ^= tables[b, data[:, b]]
    return out


_jumps: _JumpTable | None = None


def _jump_table() -> _JumpTable:
    global _jumps
    if _jumps is None:
        _jumps = _JumpTable()
    return _jumps


def _lane_outputs(words: np.ndarray, steps: int, total: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Runs every lane (rows of ``words``, L × 4) ``steps`` steps: outputs ``[L, steps]``, and the
    state after ``total`` draws counted over the lanes one after another."""
    s0, s1, s2, s3 = (np.array(words[:, i], dtype=np.uint64) for i in range(4))
    lanes = s0.shape[0]
    out = np.empty((steps, lanes), dtype=np.uint64)
    five, nine = np.uint64(5), np.uint64(9)
    r7, r57, l17, l45, r19 = (np.uint64(v) for v in (7, 57, 17, 45, 19))
    lane, at = divmod(total, steps)
    final = None
    with np.errstate(over="ignore"):
        for i in range(steps):
            if i == at and lane < lanes:
                final = (int(s0[lane]), int(s1[lane]), int(s2[lane]), int(s3[lane]))
            x = s1 * five
            out[i] = ((x << r7) | (x >> r57)) * nine
            t = s1 << l17
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = (s3 << l45) | (s3 >> r19)
    if final is None:  # the end of the last lane
        final = (int(s0[-1]), int(s1[-1]), int(s2[-1]), int(s3[-1]))
    return out.T, final


class RandomGenerator:
    """xoshiro256** seeded by SplitMix64, as Swift's ``RandomGenerator(seed:)``."""

    def __init__(self, seed: int) -> None:
        x = seed & _MASK
        state = []
        for _ in range(4):
            x, value = _split_mix(x)
            state.append(value)
        self._state: tuple[int, int, int, int] = (state[0], state[1], state[2], state[3])
        self._spare: np.float32 | None = None

    # Raw 64-bit draws

    def next(self) -> int:
        """The next 64 random bits."""
        s0, s1, s2, s3 = self._state
        x = (s1 * 5) & _MASK
        result = ((((x << 7) | (x >> 57)) & _MASK) * 9) & _MASK
        self._state = _transition(s0, s1, s2, s3)
        return result

    def raw(self, count: int) -> np.ndarray:
        """The next ``count`` 64-bit draws as uint64, the same as ``count`` calls of ``next()``."""
        if count <= _LANE_THRESHOLD:
            return np.array([self.next() for _ in range(count)], dtype=np.uint64)
        out = np.empty(count, dtype=np.uint64)
        done = 0
        while done < count:
            # Blocks of at most 2^20 draws keep the lane-major → draw-order copy in cache.
            size = min(count - done, _BLOCK)
            out[done:done + size] = self._lanes(size)
            done += size
        return out

    def _lanes(self, count: int) -> np.ndarray:
        """``count`` draws from lanes of 2^k steps each (k about half the bits of count); advances the state."""
        k = max(6, (count.bit_length() + 1) // 2 - 2)
        steps = 1 << k
        lanes = -(-count // steps)
        table = _jump_table()
        states = np.array([self._state], dtype=np.uint64)
        level = k
        while states.shape[0] < lanes:
            states = np.concatenate([states, _apply(table.power(level), states)])
            level += 1
        outputs, self._state = _lane_outputs(states[:lanes], steps, count)
        return outputs.reshape(-1)[:count]

    def skip_raw(self, count: int) -> None:
        """Advances as ``count`` calls of ``next()`` would, without making them."""
        if count <= 64:
            for _ in range(count):
                self._state = _transition(*self._state)
            return
        words = _jump_table().advance(np.array([self._state], dtype=np.uint64), count)[0]
        self._state = (int(words[0]), int(words[1]), int(words[2]), int(words[3]))

    # Uniforms

    def uniform(self) -> np.float32:
        """Uniform in [0, 1) with 24 random bits."""
        return np.float32(self.next() >> 40) * np.float32(1.0 / 16777216)

    def uniforms(self, count: int) -> np.ndarray:
        """``count`` calls of ``uniform()``."""
        return (self.raw(count) >> np.uint64(40)).view(np.int64).astype(np.float32) * np.float32(1.0 / 16777216)

    # Normals

    def normal(self) -> np.float32:
        """A standard normal sample (Box–Muller; the pair's second value is kept for the next call)."""
        return self.normals(1)[0]

    def normals(self, count: int) -> np.ndarray:
        """``count`` calls of ``normal()`` as float32."""
        out = np.empty(count, dtype=np.float32)
        if count == 0:
            return out
        start = 0
        if self._spare is not None:
            out[0] = self._spare
            self._spare = None
            start = 1
        left = count - start
        if left == 0:
            return out
        pairs = -(-left // 2)
        cos, sin = _box_muller(self.raw(2 * pairs))
        values = np.empty(2 * pairs, dtype=np.float32)
        values[0::2] = cos
        values[1::2] = sin
        out[start:] = values[:left]
        if left % 2:
            self._spare = values[-1]
        return out

    def skip_normals(self, count: int) -> None:
        """Advances as ``count`` calls of ``normal()`` would (the spare value included)."""
        if count == 0:
            return
        if self._spare is not None:
            self._spare = None
            count -= 1
        pairs = -(-count // 2)
        if count % 2:
            self.skip_raw(2 * (pairs - 1))
            self.normals(1)  # the last pair: its second value becomes the spare
        else:
            self.skip_raw(2 * pairs)

    # Tensors (row-major, as Swift fills them)

    def uniform_array(self, shape: Sequence[int], low: float = 0.0, high: float = 1.0) -> np.ndarray:
        """``low + (high − low)·uniform()`` per element, in float32."""
        low32, high32 = np.float32(low), np.float32(high)
        values = low32 + (high32 - low32) * self.uniforms(int(np.prod(shape, dtype=np.int64)))
        return values.astype(np.float32).reshape(tuple(shape))

    def normal_array(self, shape: Sequence[int], mean: float = 0.0, std: float = 1.0) -> np.ndarray:
        """``mean + std·normal()`` per element, in float32."""
        values = np.float32(mean) + np.float32(std) * self.normals(int(np.prod(shape, dtype=np.int64)))
        return values.astype(np.float32).reshape(tuple(shape))


def _box_muller(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of raw draws → (r·cos, r·sin) as float32, computed in double as Swift does."""
    scale = 1.0 / 9007199254740992.0
    u1 = ((raw[0::2] >> np.uint64(11)).view(np.int64).astype(np.float64) + 1.0) * scale
    u2 = (raw[1::2] >> np.uint64(11)).view(np.int64).astype(np.float64) * scale
    r = np.sqrt(-2.0 * np.log(u1))
    angle = 2.0 * math.pi * u2
    return (r * np.cos(angle)).astype(np.float32), (r * np.sin(angle)).astype(np.float32)
