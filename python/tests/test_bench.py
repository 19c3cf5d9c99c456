"""``python -m hybridsign_torch.bench --json`` prints one JSON object with the figures the issue names."""

from __future__ import annotations

import json

from hybridsign_torch import bench


def test_bench_prints_one_json_line(capsys) -> None:
    bench.main(["--preset", "small", "--batch", "1", "--frames", "4", "--steps", "1", "--json", "--device", "cpu"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert {"tokens_per_s", "seconds_per_step", "device", "mfu"} <= set(result)
    assert result["tokens_per_s"] > 0 and result["seconds_per_step"] > 0 and result["device"].startswith("cpu")
    assert result["flops_per_step"] > 0


def test_stream_bench_prints_the_sampler_figures(capsys) -> None:
    bench.main(["--preset", "small", "--stream", "--frames", "5", "--runs", "1", "--json", "--device", "cpu"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["fps"] > 0 and 0 < result["ttff_s"] < 5 / result["fps"] + 1e-3
    assert result["frames"] == 5 and result["device"].startswith("cpu")


def test_the_sampler_reports_each_frame_as_it_is_ready() -> None:
    from hybridsign_torch.config import ModelConfig
    from hybridsign_torch.sampler import sample
    from hybridsign_torch.synthetic import random_model

    seen: list[int] = []
    out = sample(random_model(ModelConfig.preset("small")), text="abc", frames=4, on_frame=seen.append)
    assert seen == [0, 1, 2, 3] and out.values.shape[0] == 4
