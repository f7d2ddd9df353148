#!/usr/bin/env bash
# Starts, stops and reports the real services the integration tests and the demo run against,
# without Docker:
#   - Apache Kafka, single-node KRaft (broker + controller in one JVM) on 127.0.0.1:9092, from the
#     official jars on Maven Central (scripts/kafka/pom.xml), run with the machine's Java 17;
#   - ClickHouse from Debian's clickhouse-server package (18.16), as a project-local instance
#     (scripts/clickhouse/*.xml) with HTTP on 127.0.0.1:8123 and native on 127.0.0.1:9000.
#
# Usage: scripts/services.sh up|down|restart|status|env|logs [kafka|clickhouse]
#
# Environment:
#   VOC_SERVICES_DIR     where jars, data, logs and pid files live (default: <repo>/.services)
#   KAFKA_VERSION        Kafka release from Maven Central (default 3.9.2; 4.x is supported)
#   VOC_KAFKA_PORT       broker port (9092); VOC_KAFKA_CONTROLLER_PORT controller port (9093)
#   VOC_KAFKA_HEAP       JVM heap for the broker (default 512m)
#   VOC_CLICKHOUSE_HTTP_PORT (8123), VOC_CLICKHOUSE_TCP_PORT (9000), VOC_CLICKHOUSE_INTERSERVER_PORT (9009)
#   VOC_SERVICES_DOCKER=1  use docker-compose.yml instead, where a Docker engine exists
#   VOC_SERVICES_WAIT    seconds to wait for each service to answer (default 90)
#
# Every command is idempotent: `up` on running services only reports them, `down` on stopped
# ones does nothing.
set -Eeuo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES_DIR="${VOC_SERVICES_DIR:-$REPO_DIR/.services}"
KAFKA_VERSION="${KAFKA_VERSION:-3.9.2}"
KAFKA_PORT="${VOC_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${VOC_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${VOC_KAFKA_HEAP:-512m}"
CH_HTTP_PORT="${VOC_CLICKHOUSE_HTTP_PORT:-8123}"
CH_TCP_PORT="${VOC_CLICKHOUSE_TCP_PORT:-9000}"
CH_INTERSERVER_PORT="${VOC_CLICKHOUSE_INTERSERVER_PORT:-9009}"
WAIT_SECONDS="${VOC_SERVICES_WAIT:-90}"

KAFKA_HOME="$SERVICES_DIR/kafka-$KAFKA_VERSION"
KAFKA_PID_FILE="$SERVICES_DIR/kafka.pid"
KAFKA_VERSION_FILE="$SERVICES_DIR/kafka.version"
CH_HOME="$SERVICES_DIR/clickhouse"
CH_PID_FILE="$CH_HOME/clickhouse.pid"

log() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }
on_error() { printf '[services] ERROR: command failed (line %s): %s\n' "$1" "$2" >&2; }
trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR

# --- helpers ---------------------------------------------------------------------------------

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
read_pid() { [[ -f "$1" ]] && tr -dc '0-9' <"$1" || true; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

kafka_major() { echo "${KAFKA_VERSION%%.*}"; }

require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else
    command -v sudo >/dev/null 2>&1 || die "need root to run: $* (no sudo either)"
    sudo "$@"
  fi
}

# Start "$4..." in its own session, detached from this shell, in directory $2 with output to $3;
# the pid file $1 holds the server's own pid (the wrapper shell execs into it).
start_detached() {
  local pid_file="$1" dir="$2" out="$3"
  shift 3
  rm -f "$pid_file"
  setsid bash -c 'echo $$ >"$0"; cd "$1" || exit 1; shift 2; exec "$@"' "$pid_file" "$dir" _ "$@" \
    >"$out" 2>&1 </dev/null &
  local _
  for _ in $(seq 1 50); do [[ -s "$pid_file" ]] && return 0; sleep 0.1; done
  die "could not start $1 (no pid written to $pid_file)"
}

apt_updated=0
# Installs Debian package $2 when command $1 is missing (root or sudo; apt-get only).
ensure_cmd() {
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || die "$cmd not found and apt-get is unavailable: install $pkg"
  log "$cmd not found; installing Debian package $pkg (apt-get)..."
  mkdir -p "$SERVICES_DIR"
  if [[ "$apt_updated" == 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >>"$SERVICES_DIR/apt.log" 2>&1 \
      || { tail -n 30 "$SERVICES_DIR/apt.log" >&2; die "apt-get update failed"; }
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$pkg" >>"$SERVICES_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$SERVICES_DIR/apt.log" >&2; die "apt-get install $pkg failed"; }
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd still not found after installing $pkg"
}

# Pid of the process listening on 127.0.0.1:$1 (empty when unknown).
port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
}

# A port is held by a server that scripts/services.sh started from another checkout or services
# directory (e.g. a developer's session, before CI runs in a fresh clone on the same machine):
# stop it, so that this checkout runs its own. $1 port, $2 marker the server's config contains,
# $3 name. Returns non-zero when the owner is not such a server (then the caller reports it).
take_over_port() {
  local port="$1" marker="$2" name="$3" pid cmdline config
  pid="$(port_owner "$port")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  config="$(grep -o -E '(/[^ ]*server\.properties|--config-file=[^ ]*)' <<<"$cmdline" | head -n1 | sed 's/^--config-file=//')"
  [[ -n "$config" && -r "$config" ]] && grep -q "$marker" "$config" || return 1
  log "Port $port is held by a $name that scripts/services.sh started elsewhere (pid $pid, $config); stopping it to run this checkout's own."
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do pid_alive "$pid" || break; sleep 0.2; done
  pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
  return 0
}

# Stop the process in a pid file: TERM, wait up to $2 seconds, then KILL.
stop_pid_file() {
  local file="$1" grace="$2" name="$3" pid
  pid="$(read_pid "$file")"
  if ! pid_alive "$pid"; then
    rm -f "$file"
    log "$name is not running."
    return 0
  fi
  log "Stopping $name (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((grace * 5))); do
    pid_alive "$pid" || break
    sleep 0.2
  done
  if pid_alive "$pid"; then
    log "$name did not stop within ${grace}s; sending KILL."
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$file"
  log "$name stopped."
}

# --- Kafka -----------------------------------------------------------------------------------

kafka_fetch() {
  local libs="$KAFKA_HOME/libs"
  if [[ -f "$libs/.complete" ]]; then return 0; fi
  ensure_cmd java openjdk-17-jdk-headless
  ensure_cmd mvn maven
  log "Fetching Kafka $KAFKA_VERSION jars from Maven Central into $libs (once)..."
  rm -rf "$libs"
  mkdir -p "$libs"
  if ! mvn -q -B -f "$REPO_DIR/scripts/kafka/pom.xml" \
      -Dkafka.version="$KAFKA_VERSION" -Dkafka.major="$(kafka_major)" \
      -DoutputDirectory="$libs" -DincludeScope=runtime \
      dependency:copy-dependencies >"$SERVICES_DIR/kafka-fetch.log" 2>&1; then
    cat "$SERVICES_DIR/kafka-fetch.log" >&2
    die "could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION (is the version on Maven Central?)"
  fi
  [[ -f "$libs/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"
  if [[ "$(kafka_major)" -ge 4 ]]; then
    # Keep the log4j2 binding that matches the slf4j-api Kafka brought (see scripts/kafka/pom.xml).
    if compgen -G "$libs/slf4j-api-1.*.jar" >/dev/null; then rm -f "$libs"/log4j-slf4j2-impl-*.jar
    else rm -f "$libs"/log4j-slf4j-impl-*.jar; fi
  fi
  touch "$libs/.complete"
}

kafka_render_config() {
  mkdir -p "$KAFKA_HOME/config" "$KAFKA_HOME/data" "$KAFKA_HOME/logs"
  sed -e "s#@PORT@#$KAFKA_PORT#g" \
      -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      -e "s#@DATA_DIR@#$KAFKA_HOME/data#g" \
      "$REPO_DIR/scripts/kafka/server.properties.template" >"$KAFKA_HOME/config/server.properties"
  if [[ "$(kafka_major)" -ge 4 ]]; then
    # Kafka 4 rejects settings it removed; share-group settings are 4.x only and harmless there.
    cp "$REPO_DIR/scripts/kafka/log4j2.properties" "$KAFKA_HOME/config/log4j2.properties"
  else
    # Kafka 3.9 warns on unknown share-coordinator keys only; keep the file identical otherwise.
    sed -i -e '/^share\.coordinator\./d' "$KAFKA_HOME/config/server.properties"
    cp "$REPO_DIR/scripts/kafka/log4j.properties" "$KAFKA_HOME/config/log4j.properties"
  fi
}

kafka_java_opts() {
  local opts=(-Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -Djava.awt.headless=true -Dkafka.logs.dir="$KAFKA_HOME/logs")
  if [[ "$(kafka_major)" -ge 4 ]]; then
    opts+=(-Dlog4j2.configurationFile="$KAFKA_HOME/config/log4j2.properties")
  else
    opts+=(-Dlog4j.configuration="file:$KAFKA_HOME/config/log4j.properties")
  fi
  printf '%s\n' "${opts[@]}"
}

kafka_format() {
  if [[ -f "$KAFKA_HOME/data/meta.properties" ]]; then return 0; fi
  local cluster_id
  # A random cluster id per formatted storage (what kafka-storage.sh random-uuid prints).
  cluster_id="$(java -cp "$KAFKA_HOME/libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  [[ -n "$cluster_id" ]] || die "kafka.tools.StorageTool random-uuid printed nothing"
  log "Formatting KRaft storage in $KAFKA_HOME/data (cluster id $cluster_id)..."
  local opts
  mapfile -t opts < <(kafka_java_opts)
  if ! java "${opts[@]}" -cp "$KAFKA_HOME/libs/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$KAFKA_HOME/config/server.properties" \
      >"$KAFKA_HOME/logs/format.log" 2>&1; then
    cat "$KAFKA_HOME/logs/format.log" >&2
    die "formatting the Kafka storage failed"
  fi
}

kafka_probe() {
  java -cp "$KAFKA_HOME/libs/*" -Dlog4j.configuration=file:/dev/null -Dlog4j2.configurationFile=/dev/null \
    "$REPO_DIR/scripts/kafka/Probe.java" "127.0.0.1:$KAFKA_PORT" 2>/dev/null | tail -n1
}

kafka_up() {
  local pid running_version
  pid="$(read_pid "$KAFKA_PID_FILE")"
  running_version="$(cat "$KAFKA_VERSION_FILE" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    if [[ "$running_version" != "$KAFKA_VERSION" ]]; then
      die "Kafka $running_version is running (pid $pid); run 'scripts/services.sh down' before starting $KAFKA_VERSION"
    fi
    log "Kafka $KAFKA_VERSION already running (pid $pid) on 127.0.0.1:$KAFKA_PORT; logs: $KAFKA_HOME/logs/server.log"
    return 0
  fi
  if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
    take_over_port "$KAFKA_PORT" 'scripts/services.sh renders this file' "Kafka broker" || true
  fi
  if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
    die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT on 127.0.0.1 is taken by another process (not ours); stop it or set VOC_KAFKA_PORT / VOC_KAFKA_CONTROLLER_PORT"
  fi
  kafka_fetch
  kafka_render_config
  kafka_format
  local opts
  mapfile -t opts < <(kafka_java_opts)
  log "Starting Kafka $KAFKA_VERSION (KRaft, single node) on 127.0.0.1:$KAFKA_PORT..."
  # setsid: the broker must outlive this shell and not receive its terminal's signals.
  start_detached "$KAFKA_PID_FILE" "$KAFKA_HOME" "$KAFKA_HOME/logs/stdout.log" \
    java "${opts[@]}" -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$KAFKA_HOME/config/server.properties"
  pid="$(read_pid "$KAFKA_PID_FILE")"
  echo "$KAFKA_VERSION" >"$KAFKA_VERSION_FILE"
  local deadline=$((SECONDS + WAIT_SECONDS)) answer=""
  while ((SECONDS < deadline)); do
    if ! pid_alive "$pid"; then
      tail -n 40 "$KAFKA_HOME/logs/stdout.log" "$KAFKA_HOME/logs/server.log" 2>/dev/null >&2 || true
      rm -f "$KAFKA_PID_FILE"
      die "Kafka exited during start-up; logs: $KAFKA_HOME/logs/"
    fi
    if port_open "$KAFKA_PORT" && answer="$(kafka_probe)" && [[ "$answer" == cluster* ]]; then
      log "Kafka $KAFKA_VERSION is up (pid $pid, $answer) on 127.0.0.1:$KAFKA_PORT"
      log "Kafka logs: $KAFKA_HOME/logs/server.log (stdout: $KAFKA_HOME/logs/stdout.log)"
      return 0
    fi
    sleep 1
  done
  tail -n 40 "$KAFKA_HOME/logs/server.log" 2>/dev/null >&2 || true
  die "Kafka did not answer within ${WAIT_SECONDS}s; logs: $KAFKA_HOME/logs/"
}

kafka_down() {
  # A clean shutdown of a KRaft broker takes a few seconds (it writes its snapshot).
  stop_pid_file "$KAFKA_PID_FILE" 30 "Kafka"
}

kafka_status() {
  local pid version
  pid="$(read_pid "$KAFKA_PID_FILE")"
  version="$(cat "$KAFKA_VERSION_FILE" 2>/dev/null || echo "$KAFKA_VERSION")"
  if pid_alive "$pid"; then
    local home="$SERVICES_DIR/kafka-$version" answer
    if answer="$(KAFKA_HOME="$home" kafka_probe)" && [[ "$answer" == cluster* ]]; then
      log "kafka: running, Kafka $version (pid $pid) on 127.0.0.1:$KAFKA_PORT, $answer; logs: $home/logs/server.log"
    else
      log "kafka: process $pid alive but not answering on 127.0.0.1:$KAFKA_PORT; logs: $home/logs/server.log"
      return 1
    fi
  else
    log "kafka: stopped"
    return 1
  fi
}

# --- ClickHouse ------------------------------------------------------------------------------

ch_binary() {
  if command -v clickhouse-server >/dev/null 2>&1; then command -v clickhouse-server; return; fi
  if command -v clickhouse >/dev/null 2>&1; then echo "$(command -v clickhouse) server"; return; fi
  return 1
}

ch_install() {
  if ch_binary >/dev/null; then return 0; fi
  command -v apt-get >/dev/null 2>&1 || die "clickhouse-server is not installed and apt-get is unavailable; install ClickHouse yourself or use VOC_SERVICES_DOCKER=1"
  log "Installing Debian's clickhouse-server and clickhouse-client (apt-get)..."
  # Without systemd (or with policy-rc.d) the package's own service does not start; where it does,
  # it holds 8123/9000 and `up` says so: stop it (service clickhouse-server stop) or change ports.
  if [[ "$apt_updated" == 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq \
      >>"$SERVICES_DIR/apt.log" 2>&1 || { tail -n 30 "$SERVICES_DIR/apt.log" >&2; die "apt-get update failed"; }
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    clickhouse-server clickhouse-client >>"$SERVICES_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$SERVICES_DIR/apt.log" >&2; die "apt-get install clickhouse-server clickhouse-client failed"; }
  ch_binary >/dev/null || die "clickhouse-server still not found after apt-get install"
  # Where systemd runs, the package starts its own server on 8123/9000: we just installed it, so
  # stop and disable that one; the project runs its own instance.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet clickhouse-server 2>/dev/null; then
    log "Stopping and disabling the system clickhouse-server the package started (the project runs its own)."
    as_root systemctl disable --now clickhouse-server >>"$SERVICES_DIR/apt.log" 2>&1 || true
  fi
}

ch_query() {
  # $1: SQL. Prints the answer; non-zero when the server does not answer.
  curl -fsS --max-time 5 "http://127.0.0.1:$CH_HTTP_PORT/" --data-binary "$1" 2>/dev/null
}

ch_render_config() {
  mkdir -p "$CH_HOME"/{data,tmp,user_files,format_schemas,log}
  local f
  for f in config.xml users.xml; do
    sed -e "s#@DIR@#$CH_HOME#g" \
        -e "s#@HTTP_PORT@#$CH_HTTP_PORT#g" \
        -e "s#@TCP_PORT@#$CH_TCP_PORT#g" \
        -e "s#@INTERSERVER_PORT@#$CH_INTERSERVER_PORT#g" \
        "$REPO_DIR/scripts/clickhouse/$f" >"$CH_HOME/$f"
  done
}

ch_up() {
  local pid
  pid="$(read_pid "$CH_PID_FILE")"
  if pid_alive "$pid" && ch_query 'SELECT 1' >/dev/null; then
    log "ClickHouse $(ch_query 'SELECT version()') already running (pid $pid) on http://127.0.0.1:$CH_HTTP_PORT; logs: $CH_HOME/log/"
    return 0
  fi
  ensure_cmd curl curl
  ch_install
  if ! pid_alive "$pid" && { port_open "$CH_HTTP_PORT" || port_open "$CH_TCP_PORT"; }; then
    take_over_port "$CH_HTTP_PORT" 'Project-local ClickHouse server for development and CI (scripts/services.sh)' "ClickHouse server" || true
  fi
  if ! pid_alive "$pid" && { port_open "$CH_HTTP_PORT" || port_open "$CH_TCP_PORT"; }; then
    die "port $CH_HTTP_PORT or $CH_TCP_PORT on 127.0.0.1 is taken by another process (a system clickhouse-server? try 'service clickhouse-server stop'); or set VOC_CLICKHOUSE_HTTP_PORT / VOC_CLICKHOUSE_TCP_PORT"
  fi
  ch_render_config
  if ! pid_alive "$pid"; then
    local bin
    bin="$(ch_binary)"
    log "Starting ClickHouse ($bin) on http://127.0.0.1:$CH_HTTP_PORT (native $CH_TCP_PORT)..."
    # Run from the instance directory: the server writes its preprocessed config next to it.
    # shellcheck disable=SC2086 # $bin may be "clickhouse server"
    start_detached "$CH_PID_FILE" "$CH_HOME" "$CH_HOME/log/stdout.log" $bin --config-file="$CH_HOME/config.xml"
    pid="$(read_pid "$CH_PID_FILE")"
  fi
  local deadline=$((SECONDS + WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    if ! pid_alive "$pid"; then
      tail -n 40 "$CH_HOME/log/stdout.log" "$CH_HOME/log/clickhouse-server.err.log" 2>/dev/null >&2 || true
      rm -f "$CH_PID_FILE"
      die "ClickHouse exited during start-up; logs: $CH_HOME/log/"
    fi
    if [[ "$(ch_query 'SELECT 1' || true)" == 1 ]]; then
      log "ClickHouse $(ch_query 'SELECT version()') is up (pid $pid) on http://127.0.0.1:$CH_HTTP_PORT (native 127.0.0.1:$CH_TCP_PORT)"
      log "ClickHouse logs: $CH_HOME/log/clickhouse-server.log (errors: clickhouse-server.err.log)"
      return 0
    fi
    sleep 0.5
  done
  tail -n 40 "$CH_HOME/log/clickhouse-server.err.log" 2>/dev/null >&2 || true
  die "ClickHouse did not answer SELECT 1 within ${WAIT_SECONDS}s; logs: $CH_HOME/log/"
}

ch_down() {
  stop_pid_file "$CH_PID_FILE" 30 "ClickHouse"
}

ch_status() {
  local pid
  pid="$(read_pid "$CH_PID_FILE")"
  if pid_alive "$pid"; then
    if [[ "$(ch_query 'SELECT 1' || true)" == 1 ]]; then
      log "clickhouse: running, ClickHouse $(ch_query 'SELECT version()') (pid $pid) on http://127.0.0.1:$CH_HTTP_PORT; logs: $CH_HOME/log/"
    else
      log "clickhouse: process $pid alive but not answering on http://127.0.0.1:$CH_HTTP_PORT; logs: $CH_HOME/log/"
      return 1
    fi
  else
    log "clickhouse: stopped"
    return 1
  fi
}

# --- Docker (optional, for users who have an engine) -----------------------------------------

docker_compose() {
  if docker compose version >/dev/null 2>&1; then docker compose -f "$REPO_DIR/docker-compose.yml" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then docker-compose -f "$REPO_DIR/docker-compose.yml" "$@"
  else die "VOC_SERVICES_DOCKER=1 but neither 'docker compose' nor 'docker-compose' is available"; fi
}

# --- main ------------------------------------------------------------------------------------

print_env() {
  echo "export VOC_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT VOC_CLICKHOUSE_URL=http://127.0.0.1:$CH_HTTP_PORT"
}

usage() {
  sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}" which="${2:-all}"
  case "$which" in all | kafka | clickhouse) ;; *) die "unknown service '$which' (kafka|clickhouse)" ;; esac
  if [[ "$cmd" == env ]]; then print_env; return 0; fi
  if [[ "$cmd" == "" || "$cmd" == -h || "$cmd" == --help || "$cmd" == help ]]; then usage; return 0; fi
  mkdir -p "$SERVICES_DIR"

  if [[ "${VOC_SERVICES_DOCKER:-0}" == 1 ]]; then
    case "$cmd" in
      up) docker_compose up -d --wait kafka clickhouse ;;
      down) docker_compose down ;;
      status) docker_compose ps ;;
      *) die "unknown command '$cmd' (up|down|status|env)" ;;
    esac
    return 0
  fi

  case "$cmd" in
    up)
      if [[ "$which" != clickhouse ]]; then kafka_up; fi
      if [[ "$which" != kafka ]]; then ch_up; fi
      log "Ready. For the tests: eval \"\$(scripts/services.sh env)\""
      ;;
    down)
      # Stop the Kafka that is running, whatever KAFKA_VERSION says now.
      if [[ "$which" != clickhouse ]]; then kafka_down; fi
      if [[ "$which" != kafka ]]; then ch_down; fi
      ;;
    status)
      local rc=0
      if [[ "$which" != clickhouse ]]; then kafka_status || rc=1; fi
      if [[ "$which" != kafka ]]; then ch_status || rc=1; fi
      exit "$rc"
      ;;
    restart)
      # Restart what runs, same version (the broker-restart integration test uses this).
      if [[ "$which" != clickhouse ]]; then
        local running
        running="$(cat "$KAFKA_VERSION_FILE" 2>/dev/null || echo "$KAFKA_VERSION")"
        kafka_down
        KAFKA_VERSION="$running" KAFKA_HOME="$SERVICES_DIR/kafka-$running" kafka_up
      fi
      if [[ "$which" != kafka ]]; then ch_down; ch_up; fi
      ;;
    logs)
      local version
      version="$(cat "$KAFKA_VERSION_FILE" 2>/dev/null || echo "$KAFKA_VERSION")"
      echo "kafka:      $SERVICES_DIR/kafka-$version/logs/"
      echo "clickhouse: $CH_HOME/log/"
      ;;
    *) die "unknown command '$cmd' (up|down|restart|status|env|logs)" ;;
  esac
}

main "$@"
