#!/usr/bin/env bash
# Regenerates the README's rule table from `ediguard rules --markdown`.
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(cargo run -q --features cli -- rules --markdown)
python3 - "$table" <<'PY'
import re, sys
table = sys.argv[1]
text = open("README.md").read()
text = re.sub(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)", lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
open("README.md", "w").write(text)
PY
