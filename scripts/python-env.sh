#!/usr/bin/env bash
# Makes the test environment's Python: a virtual environment in .venv (ignored by git, or
# HYBRIDSIGN_VENV) with python/requirements-test.txt. The twin (python/) is not installed into it:
# the tests put python/ on PYTHONPATH, so one environment serves several checkouts.
# Idempotent: reinstalls only when the requirements change.
# Prints the environment's python executable on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${HYBRIDSIGN_VENV:-$root/.venv}"
python="${PYTHON:-python3}"
stamp="$venv/.hybridsign-stamp"
want=$(sha256sum < "$root/python/requirements-test.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" >&2 2>/dev/null; then
    echo "python-env: '$python -m venv' failed; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)" >&2
    exit 1
  fi
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "python-env: installing the test requirements into $venv (the first time takes a few minutes)" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/python/requirements-test.txt" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
