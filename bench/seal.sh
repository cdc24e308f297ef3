#!/usr/bin/env bash
# Seal and unseal a 256 MiB bundle with kharden and with the stock age CLI (tar | age), in one run,
# kharden's and age's runs alternating: best-of-N wall and CPU time and peak RSS (/usr/bin/time -v
# "Maximum resident set size") for each, and the kharden/age ratios (below 1.0 means kharden is
# faster or smaller).
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

# one PREP CMD: runs PREP untimed, then CMD under /usr/bin/time -v; prints "wall kib cpu" (seconds,
# peak RSS of the largest process, user+sys CPU of all processes). Wall time is bash's microsecond
# clock around the whole run (time -v gives it to 10 ms only; both tools pay the same for time and
# bash -c).
one() {
  local prep=$1 cmd=$2 t0 t1
  bash -c "$prep"
  t0=${EPOCHREALTIME/[.,]/}
  /usr/bin/time -v -o "$work/time.txt" bash -c "$cmd" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  t1=${EPOCHREALTIME/[.,]/}
  awk -F': ' -v us=$((t1 - t0)) '/Maximum resident set size/{m=$2} /User time|System time/{c+=$2}
    END{printf "%.6f %s %s\n", us / 1e6, m, c}' "$work/time.txt"
}

# best OLD NEW: folds one run ("wall kib cpu") into the best so far: least wall, least CPU, most RSS.
best() {
  [ -z "$1" ] && { echo "$2"; return; }
  awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," "); split(b,y," ");
    printf "%s %s %s\n", (y[1]<x[1]?y[1]:x[1]), (y[2]>x[2]?y[2]:x[2]), (y[3]<x[3]?y[3]:x[3])}'
}

# pair PREP_K CMD_K PREP_A CMD_A: $runs runs of kharden and of age, alternating, so that both meet
# the same machine (a shared machine's load drifts); sets k and a to the best of each.
# CPU time is the steadier figure on a shared machine, where wall time mostly measures the queue.
pair() {
  k="" a=""
  for _ in $(seq "$runs"); do
    k=$(best "$k" "$(one "$1" "$2")")
    a=$(best "$a" "$(one "$3" "$4")")
  done
}

# Peak RSS of a pipeline is that of its largest process: time -v reports the biggest child of bash,
# i.e. age (tar's is smaller), or the kharden JVM.
pair "rm -f '$work/k.age'" "'$kharden' seal --root '$work/root' --to '$recipient' -o '$work/k.age' '$work/data/payload.bin'" \
     "rm -f '$work/a.age'" "tar -cf - -C '$work/data' payload.bin | age -r '$recipient' -o '$work/a.age'"
k_seal=$k a_seal=$a
pair "rm -rf '$work/k.out'" "'$kharden' unseal -i '$work/key.txt' '$work/k.age' -o '$work/k.out'" \
     "rm -rf '$work/a.out'; mkdir '$work/a.out'" "age -d -i '$work/key.txt' '$work/a.age' | tar -xf - -C '$work/a.out'"
k_unseal=$k a_unseal=$a
cmp "$work/data/payload.bin" "$work/k.out/extra/payload.bin"
cmp "$work/data/payload.bin" "$work/a.out/payload.bin"

row() {
  local what=$1 k=$2 a=$3
  set -- $k; local kt=$1 km=$2 kc=$3
  set -- $a; local at=$1 am=$2 ac=$3
  awk -v w="$what" -v kt="$kt" -v at="$at" -v km="$km" -v am="$am" -v kc="$kc" -v ac="$ac" 'BEGIN{
    printf "%-7s kharden %5.3f s wall %5.2f s cpu %6.1f MiB | age %5.3f s wall %5.2f s cpu %6.1f MiB | ratio wall %5.2f cpu %5.2f rss %5.1f\n",
      w, kt, kc, km/1024, at, ac, am/1024, kt/at, kc/(ac>0?ac:0.01), km/am }'
}
echo "bundle: ${size_mib} MiB payload, best of $runs runs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
row seal "$k_seal" "$a_seal"
row unseal "$k_unseal" "$a_unseal"
