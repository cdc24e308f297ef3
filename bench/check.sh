#!/usr/bin/env bash
# Benchmarks `kharden check` against kernel-hardening-checker (KHC) on the same configs, in one run:
#  (a) one process auditing one distro config with JSON output, JVM start included;
#  (b) every config of the kconfig corpus: one kharden process vs one KHC process per config.
# Prints each side's figure and the ratio (KHC time / kharden time: above 1 means kharden is faster).
#
#   bench/check.sh --khc PATH-TO-KHC-CHECKOUT [--corpus DIR] [--runs N]
#
# KHC is not shipped with kharden: pass a checkout (its bin/kernel-hardening-checker is run with python3).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
khc="" corpus="$root/../shared/corpus/kconfig" runs=15
while [ $# -gt 0 ]; do
  case "$1" in
    --khc) khc=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$khc/bin/kernel-hardening-checker" ] || { echo "pass --khc PATH (a kernel-hardening-checker checkout)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "no corpus at $corpus (pass --corpus DIR)" >&2; exit 2; }
one="$corpus/distros/Ubuntu_25.04_Plucky_x86_64.config"
mapfile -t configs < <(find "$corpus" -name '*.config' -o -name '*.gz' | sort)
"$root/bin/kharden" --version >/dev/null   # build and record the start-up cache first

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { awk -v n="$1" 'BEGIN {printf "%.1f", n/1e6}'; }

echo "== (a) one config, JSON output, whole process ($runs runs each, alternating; median)"
: >/tmp/kharden-bench-a.k; : >/tmp/kharden-bench-a.p
for _ in $(seq 3); do "$root/bin/kharden" check --config "$one" --format json >/dev/null || true; python3 "$khc/bin/kernel-hardening-checker" -c "$one" -m json >/dev/null; done
for _ in $(seq "$runs"); do
  t=$(now); "$root/bin/kharden" check --config "$one" --format json >/dev/null || true; echo $(( $(now) - t )) >>/tmp/kharden-bench-a.k
  t=$(now); python3 "$khc/bin/kernel-hardening-checker" -c "$one" -m json >/dev/null; echo $(( $(now) - t )) >>/tmp/kharden-bench-a.p
done
ka=$(median </tmp/kharden-bench-a.k); pa=$(median </tmp/kharden-bench-a.p)
echo "kharden $(ms "$ka") ms   kernel-hardening-checker $(ms "$pa") ms   ratio $(awk -v p="$pa" -v k="$ka" 'BEGIN {printf "%.2f", p/k}')x"

echo "== (b) all ${#configs[@]} configs: one kharden process vs one KHC process per config"
args=(); for c in "${configs[@]}"; do args+=(--config "$c"); done
t=$(now); "$root/bin/kharden" check "${args[@]}" --profile kspp --format json >/dev/null || true; kb=$(( $(now) - t ))
t=$(now); for c in "${configs[@]}"; do python3 "$khc/bin/kernel-hardening-checker" -c "$c" -m json >/dev/null; done; pb=$(( $(now) - t ))
echo "kharden $(ms "$kb") ms   kernel-hardening-checker $(ms "$pb") ms   ratio $(awk -v p="$pb" -v k="$kb" 'BEGIN {printf "%.1f", p/k}')x"
rm -f /tmp/kharden-bench-a.k /tmp/kharden-bench-a.p
