"""The generators: bulk draws equal one-at-a-time draws (the Swift order), jumps equal steps."""

from __future__ import annotations

import numpy as np

from hybridsign_torch.rng import RandomGenerator


def test_bulk_raw_draws_equal_single_draws_across_lanes() -> None:
    for count in (5, 3000, 70_001):
        bulk, single = RandomGenerator(42), RandomGenerator(42)
        values = bulk.raw(count)
        assert values.tolist() == [single.next() for _ in range(count)]
        assert bulk.next() == single.next()


def test_normals_keep_the_spare_across_calls_and_uniforms() -> None:
    bulk, single = RandomGenerator(7), RandomGenerator(7)
    drawn = np.concatenate([bulk.normals(3), [bulk.uniform()], bulk.normals(5001), bulk.uniforms(4), bulk.normals(2)])
    expected = ([single.normal() for _ in range(3)] + [single.uniform()] + [single.normal() for _ in range(5001)]
                + [single.uniform() for _ in range(4)] + [single.normal() for _ in range(2)])
    assert np.array_equal(drawn, np.array(expected, dtype=np.float32))


def test_skipping_normals_lands_where_drawing_them_does() -> None:
    for first, skipped in ((1, 99_999), (2, 4), (0, 70_000), (3, 1)):
        a, b = RandomGenerator(9), RandomGenerator(9)
        a.normals(first)
        a.skip_normals(skipped)
        b.normals(first + skipped)
        assert np.array_equal(a.normals(3), b.normals(3))


def test_seeding_is_splitmix64() -> None:
    # SplitMix64's published first outputs for seed 0; xoshiro's state is its first four.
    assert RandomGenerator(0)._state[:2] == (0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4)
    values = RandomGenerator(3).normals(200_000)
    assert abs(float(values.mean())) < 0.01 and abs(float(values.std()) - 1) < 0.01
    uniforms = RandomGenerator(4).uniforms(10_000)
    assert uniforms.min() >= 0 and uniforms.max() < 1
