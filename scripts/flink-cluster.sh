#!/usr/bin/env bash
# A standalone Flink session cluster on this machine, started the way Flink's own bin/ scripts
# start one, but from the Flink jars on Maven Central (the distribution tarball is not needed):
# one JobManager and two TaskManagers, the second declaring the `hailo` external resource with the
# project's plugin (hailo-plugin/) and, by default, a fake device folder.
#
#   scripts/flink-cluster.sh start DIR              # prints the REST port (stdout); ~15 s
#   scripts/flink-cluster.sh submit DIR [RUN_OPTS] JAR [ARGS...]
#                                                   # = flink run -d -m localhost:PORT ...; prints
#                                                   #   the job id (stdout)
#   scripts/flink-cluster.sh wait DIR JOB_ID [SECS]  # until the job ends; 0 iff FINISHED
#   scripts/flink-cluster.sh status DIR             # REST /overview and /taskmanagers
#   scripts/flink-cluster.sh stop DIR               # stops the JVMs started in DIR
#   scripts/flink-cluster.sh lib                    # resolves Flink's lib/ (cached), prints it
#
# DIR holds everything of one cluster: conf/ (JobManager and plain TaskManager), tm2/conf/ and
# tm2/plugins/hailo/ (hailo TaskManager), dev/hailo0 (the fake device), log/, tmp/, *.pid,
# rest.port. Progress goes to stderr; stdout carries only the result, so a caller can capture it.
#
# Settings (environment):
#   FLINK_TM_PROCESS_SIZE (1728m), FLINK_JM_PROCESS_SIZE (1024m), FLINK_TM_SLOTS (4)
#   FLINK_CONF_EXTRA        extra config.yaml lines (flat `key: value`) for every JVM of the cluster
#   HAILO_DEVICE_PATTERN    devices of the hailo TaskManager (default DIR/dev/hailo*, a fake one;
#                           /dev/hailo* on a machine with a Hailo card)
#   HAILO_PLUGIN_JAR        default hailo-plugin/target/facestream-hailo-plugin.jar (built if absent)
#   FLINK_START_TIMEOUT     seconds to wait for both TaskManagers (120)
#   FLINK_SUBMIT_DETACHED   true (default): `submit` returns once the job is accepted
#   FACESTREAM_FLINK_HOME   where the lib/ is cached (~/.cache/facestream/flink-<version>)
set -euo pipefail

FLINK_VERSION=2.2.1
LOG4J_VERSION=2.24.3 # the Log4j that Flink 2.2.1 is built and shipped with
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
templates="$root/deploy/flink"
flink_home="${FACESTREAM_FLINK_HOME:-$HOME/.cache/facestream/flink-$FLINK_VERSION}"
lib="$flink_home/lib"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { echo "flink-cluster: $*" >&2; }
die() {
  log "$*"
  exit 1
}
usage() { sed -n '7,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# --- Flink's lib/ from Maven Central ------------------------------------------------------------

# What the distribution's lib/ holds for a DataStream job: runtime + client + DataStream API
# (flink-clients pulls them, with the RPC system and the shaded netty/guava/jackson/zookeeper), the
# web UI, the file connector (it also carries flink-connector-base, which connectors such as
# Kafka's expect from Flink), RocksDB state, and Log4j 2 behind SLF4J 1.
ensure_lib() {
  [[ -f "$lib/.complete" ]] && return 0
  command -v mvn >/dev/null || die "mvn is needed once to fetch Flink $FLINK_VERSION into $lib"
  mkdir -p "$flink_home"
  exec 9>"$flink_home/.lock"
  if command -v flock >/dev/null; then flock 9; fi # two clusters starting at once resolve it once
  [[ -f "$lib/.complete" ]] && return 0
  log "resolving Flink $FLINK_VERSION jars into $lib (once)"
  local deps="" a
  for a in flink-clients flink-runtime-web flink-connector-files flink-statebackend-rocksdb; do
    deps+="<dependency><groupId>org.apache.flink</groupId><artifactId>$a</artifactId><version>$FLINK_VERSION</version></dependency>"
  done
  for a in log4j-slf4j-impl log4j-core log4j-1.2-api; do
    deps+="<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>$a</artifactId><version>$LOG4J_VERSION</version></dependency>"
  done
  cat >"$flink_home/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.facestream.local</groupId>
  <artifactId>flink-lib</artifactId>
  <version>$FLINK_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>$deps</dependencies>
</project>
EOF
  rm -rf "$lib.tmp"
  mvn -B -ntp -q -Dstyle.color=never -f "$flink_home/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$lib.tmp" >&2 ||
    die "could not resolve the Flink jars (see Maven's output above)"
  rm -rf "$lib"
  mv "$lib.tmp" "$lib"
  touch "$lib/.complete"
}

# The -classpath of every JVM: one manifest-only jar whose Class-Path names the jars of lib/. ONNX
# Runtime 1.29's native initialisation crashes the JVM (SIGSEGV, no hs_err file) when the process
# command line exceeds about 4 KB, and the 46 jars of lib/ listed on it make about 5 KB: both
# TaskManagers died the moment a job opened its models.
classpath() {
  local jar="$flink_home/classpath.jar"
  if [[ ! -f "$jar" || "$lib/.complete" -nt "$jar" ]]; then
    local tmp entry
    tmp="$(mktemp -d)"
    {
      echo "Manifest-Version: 1.0"
      # Manifest lines hold at most 72 bytes; a continuation line starts with one space.
      for entry in "$lib"/*.jar; do printf ' lib/%s' "${entry##*/}"; done |
        awk '{ s = "Class-Path:" $0; print substr(s, 1, 72); for (i = 73; i <= length(s); i += 71) print " " substr(s, i, 71) }'
    } >"$tmp/MANIFEST.MF"
    "${JAVA_HOME:+$JAVA_HOME/bin/}jar" --create --file "$tmp/classpath.jar" --manifest "$tmp/MANIFEST.MF" ||
      die "could not write $jar (the JDK's jar tool is needed)"
    mv -f "$tmp/classpath.jar" "$jar" # atomic: another start may be reading it
    rm -rf "$tmp"
  fi
  echo "$jar"
}

# --- configuration ------------------------------------------------------------------------------

# The last value of a flat key in a config.yaml (what bin/config.sh's readFromConfig does).
read_conf() {
  sed -n "s/^[[:space:]]*${1//./\\.}[[:space:]]*:[[:space:]]*//p" "$2" | tail -n 1
}

# JVM options for one component, as bin/config.sh composes them (FLINK_ENV_JAVA_OPTS_*).
java_opts() {
  local component=$1 conf=$2
  echo "$(read_conf env.java.default-opts.all "$conf") $(read_conf env.java.opts.all "$conf") $(read_conf "env.java.opts.$component" "$conf")"
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || {
      echo "$port"
      return
    }
  done
}

fill_template() {
  sed -e "s|@CLUSTER_DIR@|$dir|g" -e "s|@REST_PORT@|$rest_port|g" -e "s|@RPC_PORT@|$rpc_port|g" \
    -e "s|@JM_PROCESS_SIZE@|${FLINK_JM_PROCESS_SIZE:-1024m}|g" \
    -e "s|@TM_PROCESS_SIZE@|${FLINK_TM_PROCESS_SIZE:-1728m}|g" \
    -e "s|@TM_SLOTS@|${FLINK_TM_SLOTS:-4}|g" \
    -e "s|@HAILO_DEVICE_PATTERN@|${HAILO_DEVICE_PATTERN:-$dir/dev/hailo*}|g" "$1"
}

write_conf() {
  mkdir -p "$dir/conf" "$dir/tm2/conf" "$dir/tm2/plugins/hailo" "$dir/plugins" "$dir/dev" \
    "$dir/log" "$dir/tmp/web"
  fill_template "$templates/config.yaml" >"$dir/conf/config.yaml"
  if [[ -n "${FLINK_CONF_EXTRA:-}" ]]; then
    printf '\n# FLINK_CONF_EXTRA\n%s\n' "$FLINK_CONF_EXTRA" >>"$dir/conf/config.yaml"
  fi
  cp "$templates/log4j.properties" "$templates/log4j-cli.properties" "$dir/conf/"

  # The hailo TaskManager: the same cluster configuration plus the external resource.
  {
    cat "$dir/conf/config.yaml"
    echo
    fill_template "$templates/hailo-taskmanager.yaml"
  } >"$dir/tm2/conf/config.yaml"
  cp "$templates/log4j.properties" "$dir/tm2/conf/"
  : >"$dir/dev/hailo0" # a fake device node, listed by the driver like /dev/hailo0

  local plugin="${HAILO_PLUGIN_JAR:-$root/hailo-plugin/target/facestream-hailo-plugin.jar}"
  if [[ ! -f "$plugin" && -z "${HAILO_PLUGIN_JAR:-}" ]]; then
    log "building the hailo plugin ($plugin)"
    mvn -B -ntp -q -Dstyle.color=never -f "$root/pom.xml" -pl hailo-plugin package -DskipTests >&2
  fi
  [[ -f "$plugin" ]] || die "no hailo plugin jar at $plugin"
  rm -f "$dir/tm2/plugins/hailo/"*.jar
  cp "$plugin" "$dir/tm2/plugins/hailo/"
}

# --- processes ----------------------------------------------------------------------------------

# Runs BashJavaUtils like bin/jobmanager.sh and bin/taskmanager.sh do: its last two result lines
# are the JVM memory flags and the `-D key=value` options the entry point must get.
resource_params() {
  local command=$1 conf_dir=$2
  shift 2
  local output results
  output="$("$java" -classpath "$(classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils \
    "$command" --configDir "$conf_dir" "$@" 2>&1)" || die "BashJavaUtils $command failed: $output"
  results="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$output" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  [[ "$(wc -l <<<"$results")" -eq 2 ]] || die "BashJavaUtils $command: expected 2 result lines: $output"
  jvm_params="$(head -n 1 <<<"$results")"
  read -r -a dynamic_configs <<<"$(tail -n 1 <<<"$results")"
}

# launch NAME COMPONENT CLASS CONF_DIR PLUGINS_DIR [ENTRYPOINT_ARGS...] (after resource_params)
launch() {
  local name=$1 component=$2 class=$3 conf_dir=$4 plugins_dir=$5
  shift 5
  local opts
  opts="$(java_opts "$component" "$conf_dir/config.yaml")"
  # shellcheck disable=SC2086 # JVM flags are word lists, as in bin/flink-daemon.sh
  FLINK_CONF_DIR="$conf_dir" FLINK_PLUGINS_DIR="$plugins_dir" \
    "$java" $jvm_params $opts \
    -Dlog.file="$dir/log/$name.log" -Dlog4j.configurationFile="file:$conf_dir/log4j.properties" \
    -classpath "$(classpath)" "$class" --configDir "$conf_dir" "$@" "${dynamic_configs[@]}" \
    >"$dir/log/$name.out" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
  log "$name: pid $!, log $dir/log/$name.log"
}

alive() {
  local pid
  pid="$(cat "$dir/$1.pid" 2>/dev/null)" || return 1
  # Only a JVM this script started: the pid may have been reused since.
  grep -q 'org.apache.flink' "/proc/$pid/cmdline" 2>/dev/null
}

rest_get() { curl -sf --max-time 5 "http://localhost:$(cat "$dir/rest.port")$1"; }

start() {
  command -v curl >/dev/null || die "curl is needed to query the cluster's REST API"
  for name in jobmanager taskmanager-plain taskmanager-hailo; do
    alive "$name" && die "$name of $dir is running; stop it first: $0 stop $dir"
  done
  local began=$SECONDS
  ensure_lib
  rest_port="$(free_port)"
  rpc_port="$(free_port)"
  write_conf
  echo "$rest_port" >"$dir/rest.port"

  resource_params GET_JM_RESOURCE_PARAMS "$dir/conf"
  launch jobmanager jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    "$dir/conf" "$dir/plugins"

  local tm=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
  resource_params GET_TM_RESOURCE_PARAMS "$dir/conf" -D taskmanager.resource-id=tm-plain
  launch taskmanager-plain taskmanager "$tm" "$dir/conf" "$dir/plugins" \
    -D taskmanager.resource-id=tm-plain
  resource_params GET_TM_RESOURCE_PARAMS "$dir/tm2/conf" -D taskmanager.resource-id=tm-hailo
  launch taskmanager-hailo taskmanager "$tm" "$dir/tm2/conf" "$dir/tm2/plugins" \
    -D taskmanager.resource-id=tm-hailo

  local deadline=$((SECONDS + ${FLINK_START_TIMEOUT:-120})) registered=0
  while ((registered < 2)); do
    for name in jobmanager taskmanager-plain taskmanager-hailo; do
      alive "$name" || {
        tail -n 40 "$dir/log/$name.out" "$dir/log/$name.log" >&2 2>/dev/null || true
        die "$name exited during start-up (logs in $dir/log)"
      }
    done
    ((SECONDS < deadline)) || die "fewer than 2 TaskManagers registered in time (logs in $dir/log)"
    sleep 1
    registered="$(rest_get /taskmanagers 2>/dev/null | grep -o '"dataPort"' | wc -l)" || registered=0
  done
  log "up in $((SECONDS - began)) s: REST http://localhost:$rest_port, TaskManagers tm-plain, tm-hailo"
  echo "$rest_port"
}

submit() {
  (($# >= 1)) || usage
  [[ -f "$dir/rest.port" ]] && alive jobmanager || die "no cluster running in $dir"
  local rest_port out rc began=$SECONDS detached=()
  rest_port="$(cat "$dir/rest.port")"
  [[ "${FLINK_SUBMIT_DETACHED:-true}" == true ]] && detached=(-d)
  out="$dir/log/submit-$(date +%Y%m%d-%H%M%S)-$$.out"
  # Exactly what bin/flink does: CliFrontend with the cluster's configuration and Java options.
  # shellcheck disable=SC2046
  FLINK_CONF_DIR="$dir/conf" FLINK_PLUGINS_DIR="$dir/plugins" "$java" $(java_opts client "$dir/conf/config.yaml") \
    -Dlog.file="${out%.out}.log" -Dlog4j.configurationFile="file:$dir/conf/log4j-cli.properties" \
    -classpath "$(classpath)" org.apache.flink.client.cli.CliFrontend \
    run "${detached[@]}" -m "localhost:$rest_port" "$@" >"$out" 2>&1 </dev/null && rc=0 || rc=$?
  cat "$out" >&2
  ((rc == 0)) || die "flink run failed (exit $rc; client log ${out%.out}.log)"
  local job_id
  job_id="$(grep -o 'JobID [0-9a-f]\{32\}' "$out" | head -n 1 | cut -d' ' -f2)"
  [[ -n "$job_id" ]] || die "flink run printed no job id"
  log "submitted $job_id in $((SECONDS - began)) s"
  echo "$job_id"
}

wait_job() {
  (($# >= 1)) || usage
  local job_id=$1 deadline=$((SECONDS + ${2:-600})) state=""
  while ((SECONDS < deadline)); do
    state="$(rest_get "/jobs/$job_id" | grep -o '"state":"[A-Z]*"' | head -n 1 | cut -d'"' -f4)" || state=""
    case "$state" in
      FINISHED) log "job $job_id FINISHED"; return 0 ;;
      FAILED | CANCELED)
        rest_get "/jobs/$job_id/exceptions" >&2 || true
        die "job $job_id $state"
        ;;
    esac
    sleep 1
  done
  die "job $job_id still ${state:-unknown} after ${2:-600} s"
}

status() {
  rest_get /overview && echo && rest_get /taskmanagers && echo || die "no cluster answers in $dir"
}

stop() {
  local name pid
  for name in taskmanager-hailo taskmanager-plain jobmanager; do
    if alive "$name"; then
      pid="$(cat "$dir/$name.pid")"
      kill "$pid"
      for _ in $(seq 1 30); do alive "$name" || break; sleep 1; done
      if alive "$name"; then
        log "$name (pid $pid) ignores SIGTERM; killing it"
        kill -9 "$pid"
      fi
      log "stopped $name (pid $pid)"
    fi
    rm -f "$dir/$name.pid"
  done
}

(($# >= 1)) || usage
command=$1
shift
if [[ "$command" == lib ]]; then
  ensure_lib
  echo "$lib"
  exit 0
fi
(($# >= 1)) || usage
mkdir -p "$1"
dir="$(cd "$1" && pwd)"
shift
case "$command" in
  start) start ;;
  submit) submit "$@" ;;
  wait) wait_job "$@" ;;
  status) status ;;
  stop) stop ;;
  *) usage ;;
esac
