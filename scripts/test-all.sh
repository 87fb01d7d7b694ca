#!/usr/bin/env bash
# Runs every test of the project: Rust (unit, integration, property, doc),
# the benches' build, the comparison harness's tests, the Python package's
# tests, Miri on the syntax layer (when installed) and a bounded fuzz smoke.
# It installs what it needs (a virtualenv with maturin/pytest/mypy,
# cargo-fuzz) so it works on a fresh machine with Rust and Python.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust tests (all features, doc tests included)"
cargo test --all-features

step "Benches build"
cargo bench --all-features --no-run --quiet

# The comparison harness is its own package (outside the library's
# dependency tree); its tests check that every peer parses the generated
# inputs and sees ediguard's segment count. Timing is scripts/compare.sh's
# job, never CI's.
step "Comparison harness build and tests"
cargo test --release --quiet --manifest-path benches/compare/Cargo.toml

if [ -d python ]; then
  step "Python package tests"
  bash scripts/test-python.sh
fi

# Miri on the byte-splitting layer (undefined behaviour in syntax::marks'
# SSE2 code and in dependencies' unsafe code, out-of-bounds reads): the
# nightly miri component is installed when missing, skipped when it cannot
# be, bounded by MIRI_SECONDS (a time-out is reported,
# a failing test fails the run).
if ! cargo +nightly miri --version >/dev/null 2>&1; then
  echo "installing nightly's miri component"
  rustup toolchain install nightly --profile minimal --component miri,rust-src >/dev/null 2>&1 || true
fi
if cargo +nightly miri --version >/dev/null 2>&1 && cargo +nightly miri setup >/dev/null 2>&1; then
  step "Miri (syntax layer)"
  status=0
  timeout "${MIRI_SECONDS:-1200}" cargo +nightly miri test --lib syntax || status=$?
  if [ "$status" -eq 124 ]; then
    echo "miri timed out after ${MIRI_SECONDS:-1200}s (not a failure)"
  elif [ "$status" -ne 0 ]; then
    exit "$status"
  fi
else
  echo "miri skipped: no usable nightly miri (rustup component add --toolchain nightly miri rust-src)"
fi

if [ -d fuzz ]; then
  step "Fuzz smoke"
  bash scripts/fuzz-smoke.sh "${FUZZ_SECONDS:-15}"
fi

step "All tests passed"
