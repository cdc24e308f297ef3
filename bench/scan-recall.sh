#!/usr/bin/env bash
# Recall of `kharden scan` against the 2018 treewide sweep: runs the scan on a pristine Linux v4.17
# tree and counts how many of the call sites listed in bench/scan-recall-sites.tsv it flags.
#   bench/scan-recall.sh LINUX_4_17_TREE [extra kharden scan options...]
# The site list (198 sites, 156 files) was transcribed from four of the 2018 patches as posted to
# linux-mm (v3 09/16 and 10/16 struct_size, v1 08/13 devm struct_size, v1 11/13 vmalloc array_size);
# line_v4_17 is each call's line in v4.17. A site counts as found when a finding in that file starts
# within -1..+3 lines of it (multi-line calls are reported at the function name).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=${1:?usage: bench/scan-recall.sh LINUX_4_17_TREE [kharden scan options]}
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$tree"
start=$(date +%s.%N)
"$here/../bin/kharden" scan --no-progress --format json -o "$out/scan.json" "$@" . >/dev/null 2>"$out/err" || true
if [ ! -s "$out/scan.json" ]; then echo "kharden scan failed:"; cat "$out/err"; exit 1; fi
end=$(date +%s.%N)
jq -r '.findings[] | [.file, .line, .rule, .callee] | @tsv' "$out/scan.json" | sed 's|^\./||' > "$out/findings.tsv"
awk -F'\t' -v out="$out/missed.tsv" '
  NR == FNR { n[$1]++; line[$1, n[$1]] = $2; next }
  FNR == 1 { next }
  { total++; hit = 0
    for (i = 1; i <= n[$2]; i++) { d = line[$2, i] - $3; if (d >= -1 && d <= 3) { hit = 1; break } }
    if (hit) { found++; byhelper[$5, "f"]++ } else { print > out }
    byhelper[$5, "t"]++ }
  END {
    printf "recall: %d/%d = %.1f%%\n", found, total, 100 * found / total
    for (h in byhelper) { split(h, k, SUBSEP); if (k[2] == "t") printf "  %-12s %d/%d\n", k[1], byhelper[k[1], "f"], byhelper[h] }
  }' "$out/findings.tsv" "$here/scan-recall-sites.tsv"
if [ -s "$out/missed.tsv" ]; then echo "missed:"; sed 's/^/  /' "$out/missed.tsv"; fi
jq -r '"findings: \(.summary.findings) in \(.summary.scanned) scanned files (\(.summary.skipped) skipped, \(.summary.errors) errors), \(.summary.seconds) s"' "$out/scan.json"
printf 'wall: %.1f s\n' "$(echo "$end - $start" | bc)"
