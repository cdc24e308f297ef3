#!/usr/bin/env bash
# Seal and unseal a 256 MiB bundle with kharden and with the stock age CLI (tar | age), in one run:
# best-of-N wall time and peak RSS (/usr/bin/time -v "Maximum resident set size") for each, and
# the kharden/age ratios (below 1.0 means kharden is faster or smaller).
#   bench/seal.sh [--size-mib N] [--runs N]
# Needs: age, age-keygen, tar, /usr/bin/time (Debian: age, time). Writes only under a temp folder.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
size_mib=256
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) size_mib=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in age age-keygen tar /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/seal.sh: $tool is missing (apt-get install age time)" >&2; exit 2; }
done
kharden="$root/bin/kharden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data" "$work/root"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/data/payload.bin"
age-keygen -o "$work/key.txt" 2>/dev/null
recipient=$(age-keygen -y "$work/key.txt")
"$kharden" --version >/dev/null   # builds the jar outside the timings
# seal and unseal have their own start-up cache, recorded on first use: record it outside the timings
# (its training run would otherwise count in the peak memory figure).
echo warm > "$work/warm.txt"
"$kharden" seal --root "$work/root" --to "$recipient" -o "$work/warm.age" "$work/warm.txt" >/dev/null 2>&1
"$kharden" unseal -i "$work/key.txt" "$work/warm.age" -o "$work/warm.out" >/dev/null 2>&1
rm -rf "$work/warm.age" "$work/warm.out" "$work/warm.txt"

# measure PREP CMD: best wall time and best CPU time (user+sys, all processes) over $runs runs, and
# the peak RSS of the measured process. PREP runs untimed before each run. Prints "wall kib cpu".
# CPU time is the steadier figure on a shared machine, where wall time mostly measures the queue.
measure() {
  local prep=$1 cmd=$2 best="" rss=0 cpu="" t m c
  for _ in $(seq "$runs"); do
    bash -c "$prep"
    /usr/bin/time -v -o "$work/time.txt" bash -c "$cmd" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
    t=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
    m=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/time.txt")
    c=$(awk -F': ' '/User time|System time/{s+=$2} END{print s}' "$work/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    if [ -z "$cpu" ] || awk "BEGIN{exit !($c < $cpu)}"; then cpu=$c; fi
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  echo "$best $rss $cpu"
}

# Peak RSS of a pipeline is that of its largest process: time -v reports the biggest child of bash,
# i.e. age (tar's is smaller), or the kharden JVM.
k_seal=$(measure "rm -f '$work/k.age'" "'$kharden' seal --root '$work/root' --to '$recipient' -o '$work/k.age' '$work/data/payload.bin'")
a_seal=$(measure "rm -f '$work/a.age'" "tar -cf - -C '$work/data' payload.bin | age -r '$recipient' -o '$work/a.age'")
k_unseal=$(measure "rm -rf '$work/k.out'" "'$kharden' unseal -i '$work/key.txt' '$work/k.age' -o '$work/k.out'")
a_unseal=$(measure "rm -rf '$work/a.out'; mkdir '$work/a.out'" "age -d -i '$work/key.txt' '$work/a.age' | tar -xf - -C '$work/a.out'")
cmp "$work/data/payload.bin" "$work/k.out/extra/payload.bin"
cmp "$work/data/payload.bin" "$work/a.out/payload.bin"

row() {
  local what=$1 k=$2 a=$3
  set -- $k; local kt=$1 km=$2 kc=$3
  set -- $a; local at=$1 am=$2 ac=$3
  awk -v w="$what" -v kt="$kt" -v at="$at" -v km="$km" -v am="$am" -v kc="$kc" -v ac="$ac" 'BEGIN{
    printf "%-7s kharden %5.2f s wall %5.2f s cpu %6.1f MiB | age %5.2f s wall %5.2f s cpu %6.1f MiB | ratio wall %5.2f cpu %5.2f rss %5.1f\n",
      w, kt, kc, km/1024, at, ac, am/1024, kt/at, kc/(ac>0?ac:0.01), km/am }'
}
echo "bundle: ${size_mib} MiB payload, best of $runs runs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
row seal "$k_seal" "$a_seal"
row unseal "$k_unseal" "$a_unseal"
