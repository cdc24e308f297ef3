#!/usr/bin/env bash
# What the SARIF and HTML reports cost on top of the JSON one: one kharden process auditing every
# distribution config in the corpus, written as json, sarif and html, side by side in one run.
# kernel-hardening-checker writes neither SARIF nor HTML, so the baseline is our own JSON report;
# the figure printed is each format's time and its ratio to JSON. Also times `kharden docs`.
#   bench/report-formats.sh [CONFIG_DIR]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
configs=${1:-$root/../shared/corpus/kconfig/distros}
[ -d "$configs" ] || { echo "no configs at $configs (pass a folder of kernel configs)"; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 2; }
"$root/bin/kharden" --version >/dev/null   # build once, outside the timing
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=$(find "$configs" -maxdepth 1 -type f | wc -l)
echo "== $n configs in $configs"
hyperfine -N --warmup 1 --runs 5 --export-json "$out/h.json" \
  -n json  "$root/bin/kharden check --config $configs --format json -o $out/r.json" \
  -n sarif "$root/bin/kharden check --config $configs --format sarif -o $out/r.sarif" \
  -n html  "$root/bin/kharden check --config $configs --format html -o $out/r.html" \
  -n docs  "$root/bin/kharden docs --out $out/ref --no-svg" -i >/dev/null
python3 - "$out/h.json" "$out" <<'PY'
import json, os, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
base = r["json"]
for name in ("json", "sarif", "html"):
    ext = {"json": "json", "sarif": "sarif", "html": "html"}[name]
    size = os.path.getsize(os.path.join(sys.argv[2], "r." + ext)) / 1e6
    print(f"{name:6s} {r[name]*1000:8.0f} ms  {r[name]/base:5.2f}x json  ({size:.1f} MB)")
print(f"docs   {r['docs']*1000:8.0f} ms  (174 reference files; no peer generates these)")
PY
