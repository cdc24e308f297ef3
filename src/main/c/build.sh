#!/usr/bin/env bash
# Builds kharden's JNI bridge (kharden_crypto.c: libcrypto; kharden_kmsg.c: the kernel log device;
# kharden_random.c: getrandom; kharden_space.c: fallocate)
# into OUT_DIR/libkharden_crypto.so with the C compiler at hand, against the JNI headers of the JDK
# that runs the build. Without a C compiler or the headers it says so and succeeds: kharden then
# makes the same calls through the FFM API instead (same results, slower start).
#   src/main/c/build.sh JAVA_HOME OUT_DIR
set -euo pipefail
jdk=$1 out=$2
here="$(cd "$(dirname "$0")" && pwd)"
src=("$here/kharden_crypto.c" "$here/kharden_kmsg.c" "$here/kharden_random.c" "$here/kharden_space.c")
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "kharden: no C compiler ($cc): libcrypto will be reached through FFM (slower start), not the JNI bridge"
  exit 0
fi
if [ ! -f "$jdk/include/jni.h" ]; then
  echo "kharden: no JNI headers under $jdk/include: libcrypto will be reached through FFM, not the JNI bridge"
  exit 0
fi
mkdir -p "$out"
rm -f "$out/libkharden_crypto.so"   # never keep a bridge built from older sources
tmp="$out/.libkharden_crypto.so.$$"
if ! "$cc" -O2 -fPIC -shared -Wall -Wextra -Werror -Wno-unused-parameter \
    -I"$jdk/include" -I"$jdk/include/linux" -o "$tmp" "${src[@]}" -ldl; then
  rm -f "$tmp"
  echo "kharden: WARNING: the JNI bridge did not compile (errors above): libcrypto will be reached through FFM"
  exit 0
fi
mv -f "$tmp" "$out/libkharden_crypto.so"
echo "kharden: built $out/libkharden_crypto.so"
