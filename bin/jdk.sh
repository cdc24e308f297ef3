# Sourced by kharden's scripts: finds a JDK 25 or newer and exports JAVA_HOME, or says clearly that
# none is there. Order: $JAVA_HOME, then the usual JVM folder (/usr/lib/jvm; KHARDEN_JVM_DIR overrides
# it), then `java` on PATH.

kharden_java_major() {
  # Prints the feature version (17, 25, ...) of the JDK folder given, or nothing. Reads the JDK's
  # `release` file in bash itself (no JVM start, no extra process: this runs before every kharden
  # command); falls back to asking java.
  local line v=""
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=\"[0-9]*)
          v=${line#JAVA_VERSION=\"}
          v=${v%%[!0-9]*}
          break ;;
      esac
    done <"$1/release"
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

kharden_find_jdk() {
  local candidate jvms=${KHARDEN_JVM_DIR:-/usr/lib/jvm}
  for candidate in ${JAVA_HOME:+"$JAVA_HOME"} "$jvms"/*25* "$jvms"/*2[6-9]* "$jvms"/*; do
    kharden_try_jdk "$candidate" && return 0
  done
  # Last, the java on PATH (resolved only now: it costs a few processes).
  if command -v java >/dev/null 2>&1; then
    kharden_try_jdk "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" && return 0
  fi
  echo "kharden: no JDK 25 found (looked at JAVA_HOME${JAVA_HOME:+=$JAVA_HOME}, $jvms and the java on PATH)." >&2
  echo "kharden: install one (e.g. Temurin 25) or point JAVA_HOME at it." >&2
  return 1
}

kharden_try_jdk() {
  # Exports JAVA_HOME=$1 (and sets KHARDEN_JAVA_MAJOR) and succeeds when $1 is a full JDK (java and javac) of version 25 or newer.
  local major
  [ -d "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(kharden_java_major "$1")
  [ -n "$major" ] && [ "$major" -ge 25 ] || return 1
  export JAVA_HOME="$1"
  KHARDEN_JAVA_MAJOR=$major  # for flags that only the JDK they were measured on is known to take
}
