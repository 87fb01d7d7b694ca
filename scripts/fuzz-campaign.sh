#!/usr/bin/env bash
# A fuzzing campaign: runs the named targets (default: all) one after another
# for MINUTES each on the committed seeds, and prints each target's
# executions, executions per second and coverage. Crashes are left in
# fuzz/artifacts/TARGET for promotion to tests/regressions.rs.
# Usage: scripts/fuzz-campaign.sh MINUTES [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
minutes="${1:-10}"; shift || true
targets="${*:-$(cargo +nightly fuzz list)}"
cargo +nightly fuzz build >/dev/null 2>&1 || cargo +nightly fuzz build
for t in $targets; do
  corpus="corpus/$t"; mkdir -p "$corpus"
  seeds=(); [ -d "seeds/$t" ] && seeds+=("seeds/$t"); [ -d seeds/common ] && seeds+=(seeds/common)
  for d in ../examples/data ../tests/data; do [ -d "$d" ] && seeds+=("$d"); done
  log="target/campaign-$t.log"
  cargo +nightly fuzz run "$t" "$corpus" "${seeds[@]}" -- \
    -max_total_time=$((minutes * 60)) -dict=ediguard.dict -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 >"$log" 2>&1
  status=$?
  execs=$(grep -oP '^stat::number_of_executed_units: *\K[0-9]+' "$log" | tail -1)
  rate=$(grep -oP '^stat::average_exec_per_sec: *\K[0-9]+' "$log" | tail -1)
  cov=$(grep -oP '#[0-9]+\s+DONE\s+cov: \K[0-9]+ ft: [0-9]+' "$log" | tail -1)
  echo "$t: ${minutes} min, exit $status, ${execs:-?} execs, ${rate:-?} exec/s, cov ${cov:-?}, corpus $(ls "$corpus" | wc -l) inputs"
  if [ $status -ne 0 ]; then tail -n 40 "$log"; fi
done
