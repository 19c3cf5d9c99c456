"""Examples/*.ipynb run top to bottom with the HybridSign kernel (nbclient), without errors, and
show their pictures inline."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import REPOSITORY

NOTEBOOKS = sorted((REPOSITORY / "Examples").glob("*.ipynb"))


def test_there_are_example_notebooks() -> None:
    names = {path.name for path in NOTEBOOKS}
    assert {"explore-data.ipynb", "stream-model.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_example_notebook_runs_and_shows_images(path: Path, jupyter_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.kernelspec.name == "hybridsign"
    NotebookClient(notebook, kernel_name="hybridsign", timeout=300,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.validate(notebook)
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    errors = [output for output in outputs if output.output_type == "error"]
    assert not errors, "\n".join("\n".join(error.traceback) for error in errors)
    kinds = {mime for output in outputs for mime in output.get("data", {})}
    assert "image/png" in kinds, f"{path.name} shows no PNG inline"
    assert "image/gif" in kinds, f"{path.name} shows no animation inline"
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "cells are numbered as the session numbers them"
