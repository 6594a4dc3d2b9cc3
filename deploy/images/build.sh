#!/usr/bin/env bash
# Builds Babble's images with podman (no Docker daemon, no registry needed): one per service (babble/<service>) and
# babble/all-in-one, each tagged with the project's version and :latest. Run through `./babble image [NAME...]`,
# which finds the JDK and builds the launcher (app/target) first. See deploy/README.md, "Images".
#
#   build.sh [--base IMAGE] [--jre HOME] [--tag TAG] [NAME...]
#     --base IMAGE  the base (default: localhost/babble/base:bookworm, built once by base.sh; where a registry is
#                   reachable, docker.io/library/debian:bookworm-slim is the same thing)
#     --jre HOME    the base has its own Java at HOME (e.g. --base docker.io/library/eclipse-temurin:25-jre
#                   --jre /opt/java/openjdk): no jlinked runtime is added
#     --tag TAG     the version tag (default: the project's version, also tagged latest); BABBLE_VERSION in the images
#     NAME...       services (users, rooms, ..., gateway) and/or all-in-one; default: all of them
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/images"
APP="$ROOT/app/target"
CONTEXT="$APP/image"

say() { echo "image: $*" >&2; }

# The services and their ports, as the launcher lists them (Catalog), in its order (ImageScriptsTest checks this).
declare -A PORTS=()
SERVICES=()
while read -r name port; do SERVICES+=("$name"); PORTS[$name]="$port"; done < <(
  sed -nE 's/.*new Entry\("([a-z]+)", ([0-9]+),.*/\1 \2/p' "$ROOT/app/src/main/java/babble/app/Catalog.java")
(( ${#SERVICES[@]} > 0 )) || { say "found no service in Catalog.java"; exit 1; }

base="localhost/babble/base:bookworm" jre="" tag="" names=()
while (( $# )); do
  case "$1" in
    --list) for name in "${SERVICES[@]}"; do echo "$name ${PORTS[$name]}"; done; exit 0 ;;
    --base) base="$2"; shift 2 ;;
    --jre) jre="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "image: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
  esac
done

: "${JAVA_HOME:?build.sh needs JAVA_HOME (./babble image sets it)}"
[[ -f "$APP/app.jar" && -d "$APP/lib" ]] || { say "build the launcher first (./mvnw package -pl app -am)"; exit 1; }
command -v podman >/dev/null || { say "needs podman (apt-get install podman)"; exit 1; }
version="$(sed -n 's/^version=//p' "$APP/maven-archiver/pom.properties")"
tag="${tag:-$version}"
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || { say "--tag must be a valid image tag, got '$tag'"; exit 2; }

(( ${#names[@]} )) || names=("${SERVICES[@]}" all-in-one)
for name in "${names[@]}"; do
  [[ "$name" == all-in-one || -n "${PORTS[$name]:-}" ]] || { say "no service named $name; the services are ${SERVICES[*]} and all-in-one"; exit 2; }
done

java_feature() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
feature="$(java_feature "$JAVA_HOME/bin/java")"

stage_jars() { # lib/: third-party jars (a layer that rarely changes); app/: Babble's own, which change every build
  rm -rf "$CONTEXT/lib" "$CONTEXT/app" "$CONTEXT/opt"
  mkdir -p "$CONTEXT/lib" "$CONTEXT/app" "$CONTEXT/opt/bin"
  cp -p "$APP/app.jar" "$CONTEXT/app/"
  local jar
  for jar in "$APP"/lib/*.jar; do
    if [[ "$jar" == *"-$version.jar" ]]; then cp -p "$jar" "$CONTEXT/app/"; else cp -p "$jar" "$CONTEXT/lib/"; fi
  done
  # The class path spelled out (a wildcard's order is the directory's): the class-data archive records it.
  local classpath
  classpath="$( { echo /opt/babble/app/app.jar; cd "$CONTEXT" && ls app/*.jar | grep -v '^app/app.jar$' | sort; ls lib/*.jar | sort; } \
    | sed 's|^app/|/opt/babble/app/|; s|^lib/|/opt/babble/lib/|' | paste -sd:)"
  {
    echo "# The JVM options of every Babble container (app/jvm.options, and what a container adds)."
    grep -vE '^\s*(#|$)' "$ROOT/app/jvm.options"
    echo "# The heap follows the container's memory limit; JDK_JAVA_OPTIONS=-Xmx... sets it outright."
    echo "-XX:MaxRAMPercentage=75"
    if (( ${feature%%.*} >= 24 )); then echo "--sun-misc-unsafe-memory-access=allow"; fi
    echo "-cp $classpath"
  } >"$CONTEXT/opt/jvm.options"
  echo "# written by bin/train" >"$CONTEXT/opt/archive.options"
  cp -p "$HERE/bin/probe" "$HERE/bin/train" "$CONTEXT/opt/bin/"
}

stage_runtime() { # runtime/: the modules the jars use (jdeps), linked once per JDK and set of jars
  if [[ -n "$jre" ]]; then rm -rf "$CONTEXT/runtime"; mkdir -p "$CONTEXT/runtime"; return; fi
  # Compressed class files: 36 MB less, and no slower to start here (the archive holds what a start loads).
  local options=(--strip-debug --no-man-pages --no-header-files --compress=zip-6)
  # An AOT cache (JDK 25+) replaces the JDK's default class-data archive; older JDKs build theirs on top of it.
  if (( ${feature%%.*} < 25 )); then options+=(--generate-cds-archive); fi
  local key
  key="$("$JAVA_HOME/bin/java" -version 2>&1 | tr '\n' ' ') ${options[*]} $(ls "$CONTEXT/lib" "$CONTEXT/app" | md5sum)"
  if [[ -x "$CONTEXT/runtime/bin/java" && "$(cat "$CONTEXT/runtime.key" 2>/dev/null)" == "$key" ]]; then return; fi
  say "finding the modules the jars use (jdeps)"
  local modules
  modules="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps -q --print-module-deps --multi-release "${feature%%.*}" \
    --class-path "$CONTEXT/lib/*:$CONTEXT/app/*" --recursive "$CONTEXT/app/app.jar")"
  # What jdeps cannot see: DNS lookups through JNDI (jnats, Lettuce), zip file systems, jcmd for operators.
  modules="$modules,jdk.naming.dns,jdk.zipfs,jdk.jcmd"
  say "linking a runtime of $modules"
  rm -rf "$CONTEXT/runtime"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" "${options[@]}" \
    --output "$CONTEXT/runtime" 2>&1 | { grep -v 'Using incubator modules' || true; } >&2
  echo "$key" >"$CONTEXT/runtime.key"
}

mb() { podman image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1/1e6}'; }

build_common() {
  say "building localhost/babble/app:$tag on $base (the class-data training takes a minute)"
  local args=(--build-arg "BASE=$base" --build-arg "VERSION=$tag")
  [[ -n "$jre" ]] && args+=(--build-arg "JRE=$jre")
  # Docker's format keeps the HEALTHCHECK (OCI's image format has none); --network none: the training needs only loopback.
  podman build -q --format docker --network none "${args[@]}" -f "$HERE/Containerfile" -t "localhost/babble/app:$tag" "$CONTEXT" >/dev/null
}

build_one() { # the common image plus a command, a port and a health check
  local name="$1" port cmd
  if [[ "$name" == all-in-one ]]; then
    port=8080 cmd='"up", "--data", "/var/lib/babble", "--log-console"'
  else
    port="${PORTS[$name]}" cmd="\"service\", \"$name\""
  fi
  local file="$CONTEXT/Containerfile.$name"
  {
    echo "FROM localhost/babble/app:$tag"
    echo "LABEL org.opencontainers.image.title=\"babble-$name\" org.opencontainers.image.version=\"$tag\" babble.service=\"$name\""
    if [[ "$name" == all-in-one ]]; then
      echo "# The embedded MQTT broker, reachable from outside the container."
      echo "ENV BABBLE_MQTT_BROKER_HOST=0.0.0.0"
      echo "EXPOSE 8080 1883"
      echo "HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD [\"/opt/babble/bin/probe\", \"gateway\", \"8080\"]"
    else
      echo "EXPOSE $port"
      echo "HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD [\"/opt/babble/bin/probe\", \"$name\", \"$port\"]"
    fi
    echo "CMD [$cmd]"
  } >"$file"
  local tags=(-t "localhost/babble/$name:$tag")
  # latest: the project's version, never another tag (a canary's v2 must not become what containers mode runs)
  [[ "$tag" == "$version" ]] && tags+=(-t "localhost/babble/$name:latest")
  podman build -q --format docker -f "$file" "${tags[@]}" "$CONTEXT" >/dev/null
}

started=$SECONDS
if [[ "$base" == localhost/babble/base:* ]]; then "$HERE/base.sh"; fi
stage_jars
stage_runtime
build_common
for name in "${names[@]}"; do build_one "$name"; done
# What earlier builds left: images without a tag and without a child (the layers of replaced builds).
podman image prune -f >/dev/null

say "built in $(( SECONDS - started )) s (every image shares the layers of localhost/babble/app:$tag, $(mb "localhost/babble/app:$tag")):"
also=""
[[ "$tag" == "$version" ]] && also="(and :latest)"
for name in "${names[@]}"; do printf '  localhost/babble/%-28s %s  %s\n' "$name:$tag" "$also" "$(mb "localhost/babble/$name:$tag")" >&2; done
