#!/usr/bin/env bash
# Times ediguard and peer EDI parsers side by side on the same generated
# inputs (issue #8) and writes a markdown table to target/compare/table.md.
#
#   bash scripts/compare.sh [SIZE_MB]        (default 100)
#
# ELD rows: ediguard check on one generated ELD file of SIZE_MB and on a
# folder of generated 8 KB ELD files of SIZE_MB in all (no ELD output file
# parser was found on crates.io or PyPI to set beside it).
#
# Environment: RUNS (runs per measurement, median taken; default 5),
# PY_SIZE_MB (input for the Python peers, the first PY_SIZE_MB of the same
# generated X12; default 10, as they run at 0.5-7 MB/s), SEED (default 1),
# IR_MB (when set, each Rust row also runs once under callgrind on the first
# IR_MB of its input, for instructions per byte, which load does not move).
#
# Each measurement is a whole process doing one job on one file: wall time
# around it, peak RSS from /usr/bin/time (or, where that is missing, from
# getrusage in the harness: `ediguard-compare rss`). Every tool prints the
# segments it saw, and the table says where a count differs from ediguard's.
set -euo pipefail
cd "$(dirname "$0")/.."

size="${1:-100}"
runs="${RUNS:-5}"
py_size="${PY_SIZE_MB:-10}"
seed="${SEED:-1}"
out=target/compare
mkdir -p "$out/runs"
results="$out/results.tsv"
: >"$results"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n==> %s\n' "$*" >&2; }

step "Building release binaries"
cargo build --quiet --release --features cli --bin ediguard
cargo build --quiet --release --features generate --example generate
cargo build --quiet --release --manifest-path benches/compare/Cargo.toml
harness=benches/compare/target/release/ediguard-compare
ediguard=target/release/ediguard

step "Python peers (pyx12 4.0, badx12) in $out/venv"
venv="$out/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/pip" show pyx12 badx12 >/dev/null 2>&1; then
  "$venv/bin/pip" install --quiet "pyx12==4.0.*" "badx12==0.2.*"
fi
py="$venv/bin/python"
pyx12_version="$("$venv/bin/pip" show pyx12 2>/dev/null | sed -n 's/^Version: //p')"
badx12_version="$("$venv/bin/pip" show badx12 2>/dev/null | sed -n 's/^Version: //p')"

step "Generating inputs (seed $seed)"
gen() { target/release/examples/generate "$@"; }
eld_one="$out/eld-${size}mb.csv"
eld_dir="$out/eld-${size}"
[ -s "$eld_one" ] || gen eld-one "$size" "$eld_one" "$seed"
[ -s "$eld_dir/eld-00000.csv" ] || gen eld "$size" "$eld_dir" "$seed"
x12="$out/x12-mixed-${size}mb.x12"
edi="$out/edifact-${size}mb.edi"
edi_one="$out/edifact-${size}mb-one-una.edi"
x12_py="$out/x12-mixed-${py_size}mb.x12"
[ -s "$x12" ] || gen x12-mixed "$size" "$x12" "$seed"
[ -s "$edi" ] || gen edifact "$size" "$edi" "$seed"
[ -s "$edi_one" ] || "$harness" one-una "$edi" "$edi_one" >/dev/null
[ -s "$x12_py" ] || gen x12-mixed "$py_size" "$x12_py" "$seed"
# The same seed with a smaller size gives a prefix of the larger input.
cmp -s -n "$(stat -c %s "$x12_py")" "$x12_py" "$x12" || {
  echo "compare: $x12_py is not a prefix of $x12" >&2
  exit 1
}

ir_mb="${IR_MB:-}"
if [ -n "$ir_mb" ]; then
  x12_ir="$out/x12-mixed-${ir_mb}mb.x12"
  edi_ir="$out/edifact-${ir_mb}mb.edi"
  edi_one_ir="$out/edifact-${ir_mb}mb-one-una.edi"
  [ -s "$x12_ir" ] || gen x12-mixed "$ir_mb" "$x12_ir" "$seed"
  [ -s "$edi_ir" ] || gen edifact "$ir_mb" "$edi_ir" "$seed"
  [ -s "$edi_one_ir" ] || "$harness" one-una "$edi_ir" "$edi_one_ir" >/dev/null
fi

# instructions FILE CMD...: instructions per byte of CMD (whose last
# argument is FILE) on the IR_MB prefix of FILE, or nothing.
instructions() {
  local file="$1" small=""
  shift
  [ -n "$ir_mb" ] || return 0
  case "$1" in "$harness" | "$ediguard") ;; *) return 0 ;; esac
  case "$file" in
    "$x12") small="$x12_ir" ;;
    "$edi") small="$edi_ir" ;;
    "$edi_one") small="$edi_one_ir" ;;
    *) return 0 ;;
  esac
  local n
  n="$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "${@:1:$#-1}" "$small" 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p')"
  [ -n "$n" ] && awk -v n="$n" -v s="$(stat -c %s "$small")" 'BEGIN {printf "%.1f", n / s}'
}

if [ -x /usr/bin/time ]; then
  timer=/usr/bin/time
else
  timer=""
  echo "/usr/bin/time missing: peak RSS from getrusage (ediguard-compare rss)" >&2
fi

# run_once OUTFILE CMD...: runs CMD with stdout to OUTFILE; prints
# "NANOSECONDS PEAK_RSS_KIB", or fails with the command's last error line.
run_once() {
  local outfile="$1"
  shift
  local t0 t1 kib
  t0="$(date +%s%N)"
  if [ -n "$timer" ]; then
    if ! "$timer" -f '%M' -o "$tmp/time" "$@" >"$outfile" 2>"$tmp/err"; then
      tail -n 1 "$tmp/err" >&2
      return 1
    fi
    t1="$(date +%s%N)"
    kib="$(tail -n 1 "$tmp/time")"
  else
    if ! "$harness" rss "$@" >"$outfile" 2>"$tmp/err"; then
      tail -n 2 "$tmp/err" | head -n 1 >&2
      return 1
    fi
    t1="$(date +%s%N)"
    kib="$(tail -n 1 "$tmp/err" | cut -d' ' -f2)"
  fi
  echo "$((t1 - t0)) $kib"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# bytes FILE: the size of a file, or of all the files in a folder.
bytes() {
  if [ -d "$1" ]; then
    find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'
  else
    stat -c %s "$1"
  fi
}

# measure TOOL FORMAT MODE FILE NOTE CMD...: RUNS runs, one results row.
measure() {
  local tool="$1" format="$2" mode="$3" file="$4" note="$5"
  shift 5
  local stdout="$out/runs/$tool-$format-$mode-$(basename "$file").out"
  : >"$tmp/samples"
  local i reason
  for ((i = 0; i < runs; i++)); do
    if ! run_once "$stdout" "$@" >>"$tmp/samples" 2>"$tmp/why"; then
      reason="$(tail -n 1 "$tmp/why" | tr '\t' ' ')"
      printf '%s\t%s\t%s\t%s\t%s\t\t\t%s\n' "$tool" "$format" "$mode" "$file" \
        "$(bytes "$file")" "failed: ${reason:-exit status non-zero}${note:+; $note}" >>"$results"
      printf '%-18s %-8s %-9s FAILED: %s\n' "$tool" "$format" "$mode" "$reason" >&2
      return 0
    fi
  done
  local ns kib ir
  ns="$(cut -d' ' -f1 "$tmp/samples" | median)"
  kib="$(cut -d' ' -f2 "$tmp/samples" | median)"
  ir="$(instructions "$file" "$@")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$format" "$mode" "$file" \
    "$(bytes "$file")" "$ns" "$kib" "$note" "$ir" >>"$results"
  printf '%-18s %-8s %-9s %8.3f s %7d MB RSS  %s\n' "$tool" "$format" "$mode" \
    "$(awk -v n="$ns" 'BEGIN {print n / 1e9}')" "$((kib / 1024))" \
    "$(head -c 200 "$stdout" | tr -d '\n' | sed 's/.*"segments":\([0-9]*\).*/segments=\1 (ediguard JSON)/')" >&2
}

# A row for a tool that was not run, with the reason.
not_measured() {
  printf '%s\t%s\t%s\t\t\t\t\t%s\n' "$1" "$2" "$3" "$4" >>"$results"
}

run() { measure "$@"; }

step "Measuring: $runs runs each, median (load: $(cut -d' ' -f1-3 /proc/loadavg))"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for f in "$x12" "$edi"; do
  fmt=X12
  [ "$f" = "$edi" ] && fmt=EDIFACT
  run "cat (page cache)" "$fmt" read "$f" "" sh -c 'exec cat "$1" >/dev/null' _ "$f"
  run "memchr floor" "$fmt" count "$f" "read + count terminators" "$harness" run memchr tokenize "$f"
  run ediguard "$fmt" tokenize "$f" "" "$harness" run ediguard tokenize "$f"
  run ediguard "$fmt" check "$f" "CLI: ediguard check --json (every core)" "$ediguard" check --json "$f"
  run "ediguard -j 1" "$fmt" check "$f" "CLI on one core: ediguard check -j 1 --json" \
    "$ediguard" check -j 1 --json "$f"
done

eld_files=("$eld_dir"/eld-*.csv)
eld_count="$(printf "%'d" "${#eld_files[@]}")"
run "cat (page cache)" ELD read "$eld_one" "" sh -c 'exec cat "$1" >/dev/null' _ "$eld_one"
run ediguard ELD check "$eld_one" "CLI: ediguard check --json (every core)" "$ediguard" check --json "$eld_one"
run "ediguard -j 1" ELD check "$eld_one" "CLI on one core: ediguard check -j 1 --json" \
  "$ediguard" check -j 1 --json "$eld_one"
run "cat (page cache)" ELD read "$eld_dir" "$eld_count files" sh -c 'exec cat "$@" >/dev/null' _ "${eld_files[@]}"
run ediguard ELD check "$eld_dir" "$eld_count files of 8 KB: ediguard check --json FILE... (every core)" \
  "$ediguard" check --json "${eld_files[@]}"
run "ediguard -j 1" ELD check "$eld_dir" "$eld_count files, one core: ediguard check -j 1 --json FILE..." \
  "$ediguard" check -j 1 --json "${eld_files[@]}"
not_measured "ELD peers" ELD check "none found: no FMCSA ELD output file parser on crates.io or PyPI (crates.io \`eld\` 0.0.1 draws duty charts in WASM UIs; PyPI \`eld\`/\`eldc\` detect languages; \`hos-clock\` computes hours-of-service time from duty events, not output files)"

run x12-stream-parser X12 tokenize "$x12" "" "$harness" run x12-stream-parser tokenize "$x12"
not_measured x12-stream-parser X12 check "no integrity checks: its best mode is tokenize"
run edi X12 tokenize "$x12" "loose_parse: document built, no trailer checks" "$harness" run edi tokenize "$x12"
run edi X12 check "$x12" "parse: SE/GE/IEA counts and control numbers" "$harness" run edi check "$x12"

run edifact-parser EDIFACT tokenize "$edi" "SAX parse, counting handler" "$harness" run edifact-parser tokenize "$edi"
not_measured edifact-parser EDIFACT check "no integrity checks: its best mode is tokenize"
run edifact-rs EDIFACT tokenize "$edi" "" "$harness" run edifact-rs tokenize "$edi"
# edifact-rs refuses a UNA after the first segment; the nearest input it
# parses is the same interchanges with only the leading UNA (all of the
# generator's UNAs state the default service characters).
run ediguard EDIFACT tokenize "$edi_one" "" "$harness" run ediguard tokenize "$edi_one"
run ediguard EDIFACT check "$edi_one" "CLI: ediguard check --json (every core)" "$ediguard" check --json "$edi_one"
run edifact-rs EDIFACT tokenize "$edi_one" "from_bytes" "$harness" run edifact-rs tokenize "$edi_one"
run edifact-rs EDIFACT check "$edi_one" "from_bytes + validate_envelope_lenient per interchange" \
  "$harness" run edifact-rs check "$edi_one"

run ediguard X12 tokenize "$x12_py" "" "$harness" run ediguard tokenize "$x12_py"
run ediguard X12 check "$x12_py" "CLI: ediguard check --json (every core)" "$ediguard" check --json "$x12_py"
run "pyx12 $pyx12_version" X12 tokenize "$x12_py" "RawX12File + Segment" "$py" benches/compare/peers.py pyx12 tokenize "$x12_py"
run "pyx12 $pyx12_version" X12 check "$x12_py" "X12Reader: envelope counts, control numbers, HL tree" \
  "$py" benches/compare/peers.py pyx12 check "$x12_py"
run "badx12 $badx12_version" X12 tokenize "$x12_py" "Parser per interchange" "$py" benches/compare/peers.py badx12 tokenize "$x12_py"
run "badx12 $badx12_version" X12 check "$x12_py" "Parser + EDIDocument.validate per interchange" \
  "$py" benches/compare/peers.py badx12 check "$x12_py"
not_measured node-x12 X12 "tokenize, check" "not measured: the npm registry cannot be reached from this machine"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

step "Table"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
python3 - "$results" "$out/runs" "$out/table.md" "$size" <<'PY'
import json, os, re, sys

results, runs_dir, table, size = sys.argv[1:5]
rows = []
for line in open(results):
    f = line.rstrip("\n").split("\t")
    tool, fmt, mode, path, size, ns, kib, note, ir = f + [""] * (9 - len(f))
    rows.append(dict(tool=tool, fmt=fmt, mode=mode, path=path, note=note, ir=ir,
                     size=int(size) if size else None,
                     secs=int(ns) / 1e9 if ns else None,
                     kib=int(kib) if kib else None))

def seen_text(r):
    name = f"{r['tool']}-{r['fmt']}-{r['mode']}-{os.path.basename(r['path'])}.out"
    try:
        return open(os.path.join(runs_dir, name)).read()
    except OSError:
        return ""

def seen(r):
    text = seen_text(r)
    if not text:
        return None
    m = re.search(r"segments=(\d+)", text)
    if m:
        return int(m.group(1))
    try:
        return sum(f.get("segments", 0) for f in json.loads(text)["files"])
    except (ValueError, KeyError):
        return None

def fmt_rate(v):
    # Three significant figures: 0.52, 3.1, 97.4, 1,730.
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"

def mbps(r):
    return r["size"] / r["secs"] / 1e6 if r["secs"] else None

for r in rows:
    r["segments"] = seen(r)
    r["mbps"] = mbps(r)

def reference(r, mode):
    for o in rows:
        if o["tool"] == "ediguard" and o["path"] == r["path"] and o["mode"] == mode and o["mbps"]:
            return o
    return None

with_ir = any(r["ir"] for r in rows)
out = []
out.append("| tool | format | mode | input | MB/s | peak RSS MiB | RSS ÷ input | ediguard ÷ tool | segments seen |"
           + (" instr/byte |" if with_ir else "") + " notes |")
out.append("|---|---|---|---|--:|--:|--:|--:|--:|" + ("--:|" if with_ir else "") + "---|")
ir_cell = lambda r: (f" {r['ir']} |" if with_ir else "")
for r in rows:
    size_mb = f"{r['size'] / 1e6:.0f} MB" if r["size"] else ""
    inp = f"{os.path.basename(r['path'])} ({size_mb})" if r["path"] else ""
    note = r["note"]
    if r["mbps"] is None:
        out.append(f"| {r['tool']} | {r['fmt']} | {r['mode']} | {inp} | — | — | — | — | — |{ir_cell(r)} {note} |")
        continue
    rss_mb = r["kib"] / 1024
    ratio = ""
    mode = "check" if r["mode"] == "check" else "tokenize"
    ref = reference(r, mode)
    if not r["tool"].startswith("ediguard") and ref and r["mode"] in ("tokenize", "check"):
        ratio = f"{ref['mbps'] / r['mbps']:.1f}×"
    tok = reference(r, "tokenize")
    if r["segments"] is not None and tok and tok["segments"] and r["mode"] in ("tokenize", "check"):
        if abs(r["segments"] - tok["segments"]) > tok["segments"] / 100:
            note = (note + "; " if note else "") + f"segment count differs from ediguard's {tok['segments']}"
    m = re.search(r"in_memory_mb_s=(\d+)", seen_text(r))
    if m:
        note = (note + "; " if note else "") + f"count alone in memory: {int(m.group(1)):,} MB/s"
    segs = "" if r["segments"] is None or r["mode"] not in ("tokenize", "check") else f"{r['segments']:,}"
    out.append(
        f"| {r['tool']} | {r['fmt']} | {r['mode']} | {inp} | {fmt_rate(r['mbps'])} | {rss_mb:,.0f} | "
        f"{r['kib'] * 1024 / r['size']:.2f} | {ratio} | {segs} |{ir_cell(r)} {note} |"
    )

def find(tool, fmt, mode, path_part=""):
    for r in rows:
        if r["tool"].split(" ")[0] == tool.split(" ")[0] and r["tool"].startswith(tool) \
                and (" -j" in r["tool"]) == (" -j" in tool) and r["fmt"] == fmt and r["mode"] == mode \
                and path_part in r["path"] and r["mbps"]:
            return r
    return None

targets = []
def target(label, num, den, need):
    if num and den:
        got = num["mbps"] / den["mbps"]
        by_ir = ""
        if num["ir"] and den["ir"]:
            by_ir = f"; by instructions per byte {float(den['ir']) / float(num['ir']):.1f}×"
        targets.append(f"- {label}: {got:.1f}× (target ≥ {need}×) — {'met' if got >= need else 'not met'}{by_ir}")
    else:
        targets.append(f"- {label}: not measured")
target("X12 `ediguard check` ÷ `x12-stream-parser` tokenize",
       find("ediguard", "X12", "check", f"{size}mb"), find("x12-stream-parser", "X12", "tokenize"), 2)
target("X12 `ediguard check -j 1` (one core) ÷ `x12-stream-parser` tokenize",
       find("ediguard -j 1", "X12", "check", f"{size}mb"), find("x12-stream-parser", "X12", "tokenize"), 2)
target("EDIFACT `ediguard check` ÷ `edifact-parser` tokenize",
       find("ediguard", "EDIFACT", "check", f"{size}mb.edi"), find("edifact-parser", "EDIFACT", "tokenize"), 7)
target("EDIFACT `ediguard check` ÷ `edifact-rs` with envelope checks (one-UNA input)",
       find("ediguard", "EDIFACT", "check", "one-una"), find("edifact-rs", "EDIFACT", "check"), 10)

def at_least(label, row, need):
    if row:
        got = row["mbps"]
        targets.append(f"- {label}: {got:,.0f} MB/s (target ≥ {need} MB/s) — {'met' if got >= need else 'not met'}")
    else:
        targets.append(f"- {label}: not measured")

def eld(tool, folder):
    for r in rows:
        if r["tool"] == tool and r["fmt"] == "ELD" and r["mode"] == "check" and r["mbps"] \
                and os.path.isdir(r["path"]) == folder:
            return r
    return None

at_least("ELD `ediguard check` (all rules), one file", eld("ediguard", False), 300)
at_least("ELD `ediguard check` (all rules), a folder of 8 KB files", eld("ediguard", True), 300)
at_least("ELD `ediguard check -j 1` (one core), one file", eld("ediguard -j 1", False), 300)
at_least("ELD `ediguard check -j 1` (one core), a folder of 8 KB files", eld("ediguard -j 1", True), 300)

with open(table, "w") as t:
    t.write("\n".join(out) + "\n\n" + "\n".join(targets) + "\n")
print("\n".join(out))
print()
print("\n".join(targets))
PY
{
  echo
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}; $(rustc --version); $("$py" --version 2>&1)."
  echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
  echo "Inputs: generated with seed $seed (\`generate x12-mixed\`, \`generate edifact\`, \`generate eld-one\`, \`generate eld\`);"
  echo "Python peers on the first ${py_size} MB of the same X12. Median of $runs runs, whole process."
  if [ -n "$ir_mb" ]; then
    echo "instr/byte: callgrind instruction count of the same command on the first ${ir_mb} MB of its input."
  fi
} | tee -a "$out/table.md"
echo >&2
echo "written: $out/table.md" >&2
