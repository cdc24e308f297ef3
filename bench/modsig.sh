#!/usr/bin/env bash
# Benchmarks `kharden modsig verify` on the current Debian amd64 kernel package (what linux-image-amd64
# depends on): the whole kharden process against (a) the hashing floor, `openssl dgst -sha256` over
# the same files, and (b) the per-module openssl recipe (`openssl cms -verify` per module, timed on a
# sample of every Nth module and extrapolated). Then the same tree recompressed as .ko.zst and .ko.xz
# (the kernel's own flags) against `zstd -dc` / `xz -dc` alone. Prints each figure and the ratios.
#   bench/modsig.sh [--sample-every N]   (default 20)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
every=20
[ "${1:-}" = "--sample-every" ] && every=$2
for tool in apt-get apt-cache dpkg-deb openssl zstd xz; do
  command -v "$tool" >/dev/null || { echo "bench/modsig.sh needs $tool" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kh() { "$root/bin/kharden" "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
# Best of 3 wall-clock runs of a command, in seconds.
best() {
  local b=""
  for _ in 1 2 3; do
    local t0 t1 d; t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now); d=$(secs "$t0" "$t1")
    if [ -z "$b" ] || awk -v d="$d" -v b="$b" 'BEGIN{exit !(d<b)}'; then b=$d; fi
  done
  echo "$b"
}

kh --version >/dev/null   # build the jar and its start-up cache before anything is timed
cd "$work"
pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
echo "== package: $pkg"
apt-get download -q "$pkg" >/dev/null
dpkg-deb -x ./*.deb pkg
tree=$(echo pkg/lib/modules/*)
kernel=$(echo pkg/boot/vmlinuz-*)
find "$tree" -name '*.ko' -print0 | LC_ALL=C sort -z > files
n=$(tr -cd '\0' < files | wc -c)
bytes=$(xargs -0 cat < files | wc -c)
echo "   $n modules, $bytes bytes"
kh modsig certs "$kernel" --pem > builtin.pem
xargs -0 cat < files > /dev/null   # warm the page cache

echo "== verify: kharden (whole process) vs openssl dgst -sha256 (hashing floor)"
kh modsig verify --cert builtin.pem "$tree" | tail -n 1
t_kh=$(best "$root/bin/kharden" modsig verify --cert builtin.pem "$tree")
t_floor=$(best sh -c 'xargs -0 openssl dgst -sha256 < files')
echo "   kharden modsig verify:     ${t_kh} s"
echo "   openssl dgst -sha256:      ${t_floor} s"
echo "   ratio kharden/floor:       $(ratio "$t_kh" "$t_floor")  (goal <= 1.5)"

echo "== per-module openssl recipe on every ${every}th module (split + cms -verify), extrapolated"
mkdir split
i=0; sample=0
while IFS= read -r -d '' f; do
  i=$((i + 1)); [ $((i % every)) -eq 0 ] || continue
  size=$(stat -c %s "$f")
  siglen=$(tail -c 32 "$f" | head -c 4 | od -An -tu1 | awk '{print $1*16777216+$2*65536+$3*256+$4}')
  body=$((size - siglen - 40))
  head -c "$body" "$f" > "split/$sample.body"
  tail -c $((siglen + 40)) "$f" | head -c "$siglen" > "split/$sample.p7s"
  sample=$((sample + 1))
done < files
t0=$(now)
for ((s = 0; s < sample; s++)); do
  openssl cms -verify -binary -inform DER -in "split/$s.p7s" -content "split/$s.body" \
    -certfile builtin.pem -noverify -purpose any -out /dev/null 2>/dev/null
done
t1=$(now)
t_sample=$(secs "$t0" "$t1")
t_recipe=$(awk -v t="$t_sample" -v s="$sample" -v n="$n" 'BEGIN{printf "%.1f", t/s*n}')
echo "   openssl cms -verify:       ${t_sample} s for $sample modules -> ~${t_recipe} s for $n (extrapolated)"
echo "   ratio recipe/kharden:      $(ratio "$t_recipe" "$t_kh")  (goal >= 100)"

echo "== recompressed trees (kbuild flags: zstd -T0; xz --check=crc32 --lzma2=dict=1MiB)"
cp -r "$tree" zst; cp -r "$tree" xz
find zst -name '*.ko' -print0 | xargs -0 -n 64 -P "$(nproc)" zstd -q -T0 --rm -f
find xz -name '*.ko' -print0 | xargs -0 -n 64 -P "$(nproc)" xz --check=crc32 --lzma2=dict=1MiB
find zst -name '*.ko.zst' -print0 > zfiles
find xz -name '*.ko.xz' -print0 > xfiles
for kind in zst xz; do
  if [ "$kind" = zst ]; then list=zfiles; dec='xargs -0 zstd -dcq < zfiles'; else list=xfiles; dec='xargs -0 xz -dc < xfiles'; fi
  xargs -0 cat < "$list" > /dev/null
  t_k=$(best "$root/bin/kharden" modsig verify --cert builtin.pem "$kind")
  t_d=$(best sh -c "$dec")
  echo "   .ko.$kind: kharden verify ${t_k} s, decompression alone ${t_d} s, ratio $(ratio "$t_k" "$t_d")"
done
