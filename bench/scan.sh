#!/usr/bin/env bash
# kharden scan versus spatch running the 2018 treewide overflow scripts, on the same .c files of a
# real kernel tree with the same number of threads: wall time, speed ratio, peak memory, and each
# side's extra findings (sites the other did not report).
#   bench/scan.sh COCCI_DIR [--tree DIR] [--jobs N] [--dirs "kernel mm"]
# COCCI_DIR holds the 2018 scripts (<commit>.cocci, as published alongside the commits); they are
# concatenated into one semantic patch so spatch parses each file once. --tree defaults to Debian's
# linux-source-6.1 (apt-get install linux-source-6.1), unpacked to a temporary folder. The default
# --dirs is a fixed subset, because spatch over a whole tree takes hours on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cocci=${1:?usage: bench/scan.sh COCCI_DIR [--tree DIR] [--jobs N] [--dirs \"kernel mm\"]}
shift
tree="" jobs=$(nproc) dirs="kernel mm"
while [ $# -gt 0 ]; do
  case "$1" in
    --tree) tree=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --dirs) dirs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v spatch >/dev/null || { echo "spatch not installed (apt-get install coccinelle)" >&2; exit 2; }
work=$(mktemp -d)
# KEEP=DIR keeps the raw outputs (kharden.json, spatch.diff, site lists) for a closer look.
trap '[ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$work"/*.json "$work"/*.diff "$work"/*.sites "$work"/*.extra "$KEEP"/ 2>/dev/null; rm -rf "$work"' EXIT
if [ -z "$tree" ]; then
  tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
  [ -n "$tarball" ] || { echo "no --tree and no /usr/src/linux-source-6.1.tar.*" >&2; exit 2; }
  tar -xf "$tarball" -C "$work"
  tree=$(ls -d "$work"/linux-source-*)
fi
tree=$(cd "$tree" && pwd)
cat "$cocci"/*.cocci > "$work/all.cocci"
nscripts=$(ls "$cocci"/*.cocci | wc -l)
cd "$tree"
# shellcheck disable=SC2086
find $dirs -name '*.c' -type f | LC_ALL=C sort > "$work/files"
nfiles=$(wc -l < "$work/files")
mbytes=$(xargs cat < "$work/files" | wc -c | awk '{printf "%.1f", $1 / 1048576}')
echo "tree: $tree"
echo "files: $nfiles .c files in: $dirs ($mbytes MiB); threads: $jobs; spatch scripts: $nscripts"

"$here/../bin/kharden" --version >/dev/null # build outside the timing
measure() { # name, command...: wall seconds and peak RSS (KiB, largest process) into $work/name.time
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@"
}
measure kharden "$here/../bin/kharden" scan --no-progress --jobs "$jobs" --format json \
  -o "$work/kharden.json" $(cat "$work/files") >/dev/null 2>"$work/kharden.err" || true
[ -s "$work/kharden.json" ] || { cat "$work/kharden.err"; exit 1; }
# spatch: one run per directory, each with --jobs; the diff it prints is what it would change.
: > "$work/spatch.diff"
start=$(date +%s.%N)
peak=0
for d in $dirs; do
  /usr/bin/time -f '%M' -o "$work/sp.mem" spatch --sp-file "$work/all.cocci" --dir "$d" --jobs "$jobs" \
    --very-quiet --timeout 120 > "$work/sp.diff" 2>>"$work/spatch.err" || true
  # spatch names files relative to --dir (a/rcu/x.c for kernel/rcu/x.c): put the folder back.
  sed -e "s|^--- a/|--- a/$d/|" -e "s|^+++ b/|+++ b/$d/|" "$work/sp.diff" >> "$work/spatch.diff"
  m=$(tail -n 1 "$work/sp.mem"); [ "$m" -gt "$peak" ] && peak=$m
done
end=$(date +%s.%N)
echo "$(echo "$end - $start" | bc) $peak" > "$work/spatch.time"

# Sites: file and line. spatch (paths as given to --dir): the first removed line of each hunk block;
# kharden: each allocator
# finding (copy-mul is outside the 2018 scripts, listed apart).
awk '/^--- /{f=$2; sub(/^a\//, "", f); sub(/^\.\//, "", f); next}
     /^@@/{split($2, a, ","); l = -a[1] - 1; prev = 0; next}
     /^-/{l++; if (!prev) print f "\t" l; prev = 1; next}
     /^ /{l++; prev = 0; next}
     /^\+/{next}' "$work/spatch.diff" | LC_ALL=C sort -u > "$work/spatch.sites"
jq -r '.findings[] | [.file, .line, .rule, .callee, .expression] | @tsv' "$work/kharden.json" \
  | LC_ALL=C sort > "$work/kharden.all"
grep -v $'\tcopy-mul\t' "$work/kharden.all" > "$work/kharden.sites" || true
# A spatch site matches a kharden finding in the same file starting 0..3 lines before it.
awk -F'\t' -v kx="$work/kharden.extra" -v sx="$work/spatch.extra" '
  NR == FNR { n[$1]++; kl[$1, n[$1]] = $2; row[$1, n[$1]] = $0; next }
  { hit = 0
    for (i = 1; i <= n[$1]; i++) { d = $2 - kl[$1, i]; if (d >= 0 && d <= 3) { hit = 1; used[$1, i] = 1 } }
    if (!hit) print $1 ":" $2 > sx; else both++ }
  END { for (k in row) if (!(k in used)) print row[k] > kx; print both + 0 }' \
  "$work/kharden.sites" "$work/spatch.sites" > "$work/both"
touch "$work/kharden.extra" "$work/spatch.extra"

read -r kt km < <(tail -n 1 "$work/kharden.time")
read -r st sm < "$work/spatch.time"
printf '\nkharden scan: %6.1f s, peak RSS %4d MiB, %d findings (%d allocator, %d copy)\n' "$kt" $((km / 1024)) \
  "$(wc -l < "$work/kharden.all")" "$(wc -l < "$work/kharden.sites")" \
  "$(grep -c $'\tcopy-mul\t' "$work/kharden.all" || true)"
printf 'spatch:       %6.1f s, peak RSS %4d MiB, %d sites\n' "$st" $((sm / 1024)) "$(wc -l < "$work/spatch.sites")"
printf 'speed ratio:  %.1fx (spatch time / kharden time)\n' "$(echo "$st / $kt" | bc -l)"
printf 'agreement:    %d spatch sites also found by kharden\n' "$(cat "$work/both")"
echo
echo "spatch sites kharden did not report ($(wc -l < "$work/spatch.extra")):"
LC_ALL=C sort "$work/spatch.extra" | sed 's/^/  /'
echo "kharden allocator findings spatch did not change ($(wc -l < "$work/kharden.extra")), by rule:"
cut -f3 "$work/kharden.extra" | sort | uniq -c | sort -rn | sed 's/^/  /'
echo "  first 40:"
LC_ALL=C sort "$work/kharden.extra" | head -n 40 | awk -F'\t' '{printf "    %s:%s %s %s(%s)\n", $1, $2, $3, $4, $5}'
if [ -s "$work/spatch.err" ]; then echo "spatch stderr (first lines):"; head -n 5 "$work/spatch.err" | sed 's/^/  /'; fi
