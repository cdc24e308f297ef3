#!/usr/bin/env bash
# Times the whole `kharden symbolize` process on a 100-frame oops (old x86-64 format: every frame
# and a register carry raw addresses) against a generated 200,000-symbol kallsyms plus
# /proc/modules. The goal is under 0.5 s per run; the ratio printed is kharden's time over that goal.
# There is no peer to run here: the kernel's decode_stacktrace.sh and faddr2line need a vmlinux with
# DWARF and cannot use kallsyms at all.
#   bench/symbolize.sh [SYMBOLS] [FRAMES]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bin/jdk.sh"
kharden_find_jdk
symbols=${1:-200000}
frames=${2:-100}
goal=0.5
out="$root/bench/out/symbolize"
mkdir -p "$out"
cd "$root"

./mvnw -B -ntp -q test-compile >/dev/null
"$JAVA_HOME/bin/java" -cp target/test-classes:target/classes dev.kharden.symbolize.SyntheticKernel \
  "$out" "$symbols" "$frames"
echo "input: $(wc -l <"$out/kallsyms") kallsyms lines ($(du -h "$out/kallsyms" | cut -f1)), $(grep -c '\[<' "$out/oops.txt") raw frames"

cmd="bin/kharden symbolize --kallsyms $out/kallsyms --modules $out/modules $out/oops.txt"
bin/kharden --version >/dev/null # build and record the AOT cache outside the timing
$cmd >"$out/annotated.txt" 2>"$out/summary.txt" || true
sed 's/^/  /' "$out/summary.txt"

# Also timed: `kharden --version`, the JVM start-up floor, so a loaded machine shows as such.
floor="bin/kharden --version"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs 20 --export-json "$out/hyperfine.json" -i "$cmd" "$floor" >/dev/null
  field() { grep -o "\"$1\": *[0-9.e-]*" "$out/hyperfine.json" | sed -n "$2p" | sed 's/.*: *//'; }
  mean=$(field mean 1); cpu=$(awk -v u="$(field user 1)" -v s="$(field system 1)" 'BEGIN { print u + s }')
  floor_mean=$(field mean 2)
else
  runs=10 total=0 ftotal=0
  for _ in $(seq $runs); do
    s=$(date +%s%N); $cmd >/dev/null 2>&1 || true; e=$(date +%s%N); total=$((total + e - s))
    s=$(date +%s%N); $floor >/dev/null 2>&1 || true; e=$(date +%s%N); ftotal=$((ftotal + e - s))
  done
  mean=$(awk -v t="$total" -v n="$runs" 'BEGIN { printf "%.4f", t / n / 1e9 }')
  floor_mean=$(awk -v t="$ftotal" -v n="$runs" 'BEGIN { printf "%.4f", t / n / 1e9 }')
  cpu=nan
fi
load=$(cut -d' ' -f1 /proc/loadavg)
awk -v m="$mean" -v g="$goal" -v c="$cpu" -v f="$floor_mean" -v l="$load" -v n="$(nproc)" 'BEGIN {
  printf "kharden symbolize, whole process (mean wall): %.3f s   (CPU user+sys: %.3f s)\n", m, c
  printf "JVM start-up floor (kharden --version):       %.3f s\n", f
  printf "goal:                                         %.3f s\n", g
  printf "ratio kharden/goal:                           %.2f (%s)\n", m / g, (m < g ? "met" : "NOT met")
  printf "load average %s on %d cores during the run\n", l, n
}'
