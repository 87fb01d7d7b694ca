#!/usr/bin/env bash
# Builds every fuzz target and runs each for a bounded time (default 15 s)
# on its committed seeds. Installs the nightly toolchain and cargo-fuzz when
# they are missing; skips (with a message) only when nightly cannot be
# installed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-15}"

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "installing the nightly toolchain (cargo-fuzz needs it)"
  if ! rustup toolchain install nightly --profile minimal; then
    echo "fuzz smoke skipped: no nightly toolchain could be installed (rustup toolchain install nightly)"
    exit 0
  fi
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build
for t in $targets; do
  corpus="target/smoke-corpus/$t"
  mkdir -p "$corpus"
  seeds=()
  [ -d "seeds/$t" ] && seeds+=("seeds/$t")
  [ -d seeds/common ] && seeds+=(seeds/common)
  # Our own sample documents and fixtures are seeds for every target.
  for d in ../examples/data ../tests/data; do [ -d "$d" ] && seeds+=("$d"); done
  echo "fuzz $t for ${seconds}s"
  log="target/smoke-$t.log"
  if ! cargo +nightly fuzz run "$t" "$corpus" "${seeds[@]}" -- \
      -max_total_time="$seconds" -dict=ediguard.dict -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 >"$log" 2>&1; then
    echo "fuzz target $t failed:"; tail -n 60 "$log"; exit 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log" || true
done
echo "fuzz smoke: $(echo $targets | wc -w) targets ran ${seconds}s each"
