#!/usr/bin/env bash
# Compares ediguard.check from Python with the Rust call on the same 10 MB
# generated X12 input, in one run on one machine (best of N each).
# Needs the Python package built (scripts/test-python.sh builds it into
# target/venv-python).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-10}"
runs="${2:-20}"
input="target/bench-x12-${size}mb.x12"
cargo run -q --release --features generate --example generate -- x12 "$size" "$input"
cargo run -q --release --example time_check -- "$input" "$runs"
target/venv-python/bin/python - "$input" "$runs" <<'PY'
import sys, time, ediguard
path, runs = sys.argv[1], int(sys.argv[2])
data = open(path, "rb").read()
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    ediguard.check(data)
    best = min(best, time.perf_counter() - t)
print(f"python {best * 1e3:.3f} ms {len(data) / best / 1e6:.0f} MB/s")
PY
