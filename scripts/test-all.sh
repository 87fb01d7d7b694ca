#!/usr/bin/env bash
# Runs every test of the project: Rust (unit, integration, property, doc),
# the benches' build, the Python package's tests, and a bounded fuzz smoke.
# It installs what it needs (a virtualenv with maturin/pytest/mypy,
# cargo-fuzz) so it works on a fresh machine with Rust and Python.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust tests (all features, doc tests included)"
cargo test --all-features

step "Benches build"
cargo bench --all-features --no-run --quiet

if [ -d python ]; then
  step "Python package tests"
  bash scripts/test-python.sh
fi

if [ -d fuzz ]; then
  step "Fuzz smoke"
  bash scripts/fuzz-smoke.sh "${FUZZ_SECONDS:-15}"
fi

step "All tests passed"
