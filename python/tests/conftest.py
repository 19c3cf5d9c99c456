"""Shared fixtures: the built `hybridsign` executable and its kernelspec in a private JUPYTER_PATH."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def hybridsign_executable() -> Path:
    """The executable `make test` built (or HYBRIDSIGN_BIN); its absence is a failure, not a skip."""
    path = Path(os.environ.get("HYBRIDSIGN_BIN", REPOSITORY / ".build" / "release" / "hybridsign"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"no hybridsign executable at {path}: build it first (make test does), or set HYBRIDSIGN_BIN")
    return path


@pytest.fixture(scope="session")
def jupyter_path(hybridsign_executable: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Installs the kernelspec with `hybridsign kernel install --prefix` into a temporary folder and
    points JUPYTER_PATH at it (the user's own Jupyter folders are never touched)."""
    prefix = tmp_path_factory.mktemp("jupyter-prefix")
    subprocess.run([str(hybridsign_executable), "kernel", "install", "--prefix", str(prefix)], check=True,
                   capture_output=True, text=True)
    data = prefix / "share" / "jupyter"
    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(data)
    yield data
    if previous is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = previous
