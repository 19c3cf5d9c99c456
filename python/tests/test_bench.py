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
