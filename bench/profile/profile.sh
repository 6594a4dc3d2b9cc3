#!/usr/bin/env bash
# Profiles Babble's request path: starts a deployment from a checkout, warms each path up for a minute, then
# samples every Babble JVM with async-profiler (CPU, 1 ms) during 10 s of wrk load, and once more without the
# profiler. Paths: the counter (wrk -c50), posting over 20 rooms (-c20), the latest 50 messages (-c20).
#
#   bench/profile/profile.sh [--mode all-in-one|processes] [--checkout DIR] OUT_DIR
#   python3 bench/profile/summarize.py OUT_DIR [BEFORE_DIR]     # CPU per request by where it went
#
# Needs wrk (Debian: apt-get install wrk) and, for processes mode, PostgreSQL, NATS and Redis. async-profiler
# comes from Maven Central (tools.profiler:async-profiler) into bench/target/profiler.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODE=all-in-one; CHECKOUT="$HERE"
while [[ $# -gt 1 ]]; do
  case "$1" in
    --mode) MODE="$2"; shift 2 ;;
    --checkout) CHECKOUT="$(cd "$2" && pwd)"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT="$(mkdir -p "$1" && cd "$1" && pwd)"
command -v wrk >/dev/null || { echo "profile.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
if [[ -z "${JAVA_HOME:-}" ]]; then JAVA_HOME="$(ls -d /usr/lib/jvm/*/ | sort -rV | head -1)"; fi
JAVA="$JAVA_HOME/bin/java"; JCMD="$JAVA_HOME/bin/jcmd"
LIB="$HERE/bench/target/profiler/linux-x64/libasyncProfiler.so"
if [[ ! -f "$LIB" ]]; then
  "$HERE/mvnw" -q -B dependency:copy -Dartifact=tools.profiler:async-profiler:4.6 -DoutputDirectory="$HERE/bench/target/profiler"
  (cd "$HERE/bench/target/profiler" && unzip -q -o async-profiler-4.6.jar 'linux-x64/*')
fi
export BABBLE_GATEWAY_RATE_PER_ADDRESS=1000000 BABBLE_GATEWAY_BURST_PER_ADDRESS=1000000
export BABBLE_GATEWAY_RATE_PER_USER=1000000 BABBLE_GATEWAY_BURST_PER_USER=1000000
export BABBLE_NAMESPACE="profile$RANDOM"
DATA="$(mktemp -d)"
(cd "$CHECKOUT" && exec "$JAVA" @app/jvm.options -Xmx512m -cp "app/target/app.jar:app/target/lib/*" babble.app.Main \
    up --mode "$MODE" --port 8080 --data "$DATA" --ephemeral > "$OUT/up.log" 2>&1) &
LAUNCHER=$!
trap 'kill $LAUNCHER 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do grep -q 'Babble is ready' "$OUT/up.log" && break; sleep 1; done
api() { curl -sf "http://127.0.0.1:8080/api/v1/$1" "${@:2}"; }
token() { api sessions -d "{\"username\":\"$1\",\"password\":\"correct horse\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/'; }
api users -d '{"username":"alice","password":"correct horse"}' >/dev/null
api users -d '{"username":"bob","password":"correct horse"}' >/dev/null
TA="$(token alice)"; TB="$(token bob)"
: > "$OUT/rooms"
for i in $(seq 1 20); do
  R="$(api rooms -H "Authorization: Bearer $TA" -d "{\"name\":\"room $i\"}" | sed 's/.*"id":"\([^"]*\)".*/\1/')"
  echo "$R" >> "$OUT/rooms"
  api "rooms/$R/members/me" -X PUT -H "Authorization: Bearer $TB" >/dev/null
done
script() { # script METHOD SUFFIX BODY: a wrk script that spreads requests over the rooms
  echo 'rooms = {'; sed 's/.*/"&",/' "$OUT/rooms"; echo '}'
  cat <<LUA
n = 0
request = function()
  n = n + 1
  local headers = {["Authorization"] = "Bearer $TB", ["Content-Type"] = "application/json"}
  return wrk.format("$1", "/api/v1/rooms/" .. rooms[(n % #rooms) + 1] .. "/messages$2", headers, $3)
end
LUA
}
script POST "" "'{\"text\":\"hello from wrk\"}'" > "$OUT/post.lua"
script GET "?limit=50" "nil" > "$OUT/history.lua"
babble_jvms() { pgrep -f 'babble.app.Main (service|up --mode all-in-one)' || true; }
run() { # run NAME CONNECTIONS WRK-ARGS...
  local name=$1 connections=$2; shift 2
  for _ in 1 2 3 4 5 6; do wrk -t1 -c"$connections" -d10s "$@" >/dev/null; done
  for p in $(babble_jvms); do "$JCMD" "$p" JVMTI.agent_load "$LIB" "\"start,event=cpu,interval=1ms\"" >/dev/null; done
  wrk -t1 -c"$connections" -d10s --latency "$@" > "$OUT/$name.wrk"
  for p in $(babble_jvms); do
    "$JCMD" "$p" JVMTI.agent_load "$LIB" "\"stop,file=$OUT/$name-$p.collapsed,collapsed\"" >/dev/null
  done
  wrk -t1 -c"$connections" -d10s --latency "$@" > "$OUT/$name.wrk2"
  echo "$name: $(grep 'Requests/sec' "$OUT/$name.wrk2")"
}
run counter 50 http://127.0.0.1:8080/api/v1/counter
run post 20 -s "$OUT/post.lua" http://127.0.0.1:8080
run history 20 -s "$OUT/history.lua" http://127.0.0.1:8080
