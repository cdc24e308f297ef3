# Sourced by kharden's scripts: finds a JDK 25 or newer and exports JAVA_HOME, or says clearly that
# none is there. Order: $JAVA_HOME, then the usual JVM folder (/usr/lib/jvm), then `java` on PATH.

kharden_java_major() {
  # Prints the feature version (17, 25, ...) of the JDK folder given, or nothing. Reads the JDK's
  # `release` file (no JVM start: this runs before every kharden command); falls back to asking java.
  local v=""
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

kharden_find_jdk() {
  local candidate major
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(kharden_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "kharden: no JDK 25 found (looked at JAVA_HOME${JAVA_HOME:+=$JAVA_HOME}, /usr/lib/jvm and the java on PATH)." >&2
  echo "kharden: install one (e.g. Temurin 25) or point JAVA_HOME at it." >&2
  return 1
}
