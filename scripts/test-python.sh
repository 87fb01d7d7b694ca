#!/usr/bin/env bash
# Builds the Python package and runs its tests: pytest, mypy.stubtest on
# the native module, and mypy on the tests and examples. Needs only Rust and
# Python 3.9+; everything else goes into a virtualenv under target/ (kept
# between runs, so later runs only rebuild what changed; cargo reuses the
# workspace's target/ directory).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV="${EDIGUARD_VENV:-target/venv-python}"

step() { printf '\n==> %s\n' "$*"; }

if [ ! -x "$VENV/bin/python" ]; then
  step "Creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$(cd "$VENV" && pwd)/bin/python"

step "Installing build and test tools"
"$PY" -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.7,<2" "pytest>=7" "mypy>=1.10"

step "Building and installing the ediguard package"
# `pip install ./python` builds the same wheel through maturin; the direct
# maturin call skips pip's isolated build environment, so it is faster.
# Release, as pip builds it for users: timing tests and benches see real speed.
"$PY" -m maturin build --release --quiet --manifest-path python/Cargo.toml \
  --interpreter "$PY" --out target/wheels-python
wheel=$(ls -t target/wheels-python/ediguard-*.whl | head -n 1)
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

step "pytest"
set +e
# The pytest script (not `python -m pytest`) keeps the source folder
# python/ off sys.path, so the tests import the installed package.
(cd python && "$(dirname "$PY")/pytest" -q)
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi

step "stubtest (the hand-written _native.pyi against the built module)"
"$PY" -m mypy.stubtest ediguard._native --mypy-config-file python/pyproject.toml

step "mypy (tests and examples)"
"$PY" -m mypy --config-file python/pyproject.toml python/tests examples/python

step "Python package tests passed"
