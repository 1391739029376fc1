#!/usr/bin/env bash
# Redis 8 with vector sets for facestream, built once from Debian sid's `redis` source package.
#
#   scripts/redis8.sh build [--tls]    build into the cache unless already there; print redis-server
#   scripts/redis8.sh path [--tls]     print redis-server's path (builds it when missing)
#   scripts/redis8.sh start [--tls] PORT [DIR] [redis-server args...]
#                                      daemonised server on 127.0.0.1:PORT, data in DIR; prints PID
#   scripts/redis8.sh stop PORT        shut the server on PORT down (saving its data)
#   --tls: the build with TLS (BUILD_TLS=yes, needs libssl-dev), cached apart in redis-VERSION-tls/
#
# Why from source: bookworm has no Redis 8, and trixie's 8.0.2 lacks `VSIM ... WITHATTRIBS`.
# The source list is private (its own lists and cache dirs), so the system's apt state is left
# as it was; it reuses the Debian archive address the system is already configured with.
#
# Environment: FACESTREAM_CACHE (default ~/.cache/facestream), FACESTREAM_DEBIAN_MIRROR (archive
# URL, default: from the system's apt sources), FACESTREAM_BUILD_JOBS (default 2).
set -euo pipefail

MIN_VERSION=8.0.6
CACHE_ROOT="${FACESTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/facestream}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
TLS=no      # --tls: BUILD_TLS=yes, cached in redis-VERSION-tls/ so neither is taken for the other
SUFFIX=""

log() { printf 'redis8: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Newest cached build of the kind asked for (TLS or not), if any (version-sorted so a newer sid
# release wins).
cached_server() {
  local found
  found=$(ls -d "$CACHE_ROOT"/redis-*/bin/redis-server 2>/dev/null \
    | if [[ $TLS == yes ]]; then grep -E -- '-tls/bin/'; else grep -v -E -- '-tls/bin/'; fi \
    | sort -V | tail -n 1 || true)
  [[ -n "$found" && -x "$found" ]] && printf '%s\n' "$found"
}

# The Debian archive URL from the system's apt configuration (one-line and deb822 formats).
debian_mirror() {
  if [[ -n "${FACESTREAM_DEBIAN_MIRROR:-}" ]]; then
    printf '%s\n' "${FACESTREAM_DEBIAN_MIRROR%/}"; return
  fi
  local files=() f uri
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && files+=("$f")
  done
  for f in "${files[@]}"; do
    # deb822 stanzas marked "Enabled: no" are skipped; one-line entries drop their [options].
    uri=$(awk '
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { if (uris != "" && enabled) { print uris }; uris = ""; enabled = 1; next }
      tolower($1) == "enabled:" && tolower($2) == "no" { enabled = 0 }
      tolower($1) == "uris:" { uris = $2 }
      $1 == "deb" || $1 == "deb-src" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } print $i
      }
      BEGIN { enabled = 1 }
      END { if (uris != "" && enabled) print uris }' "$f" \
      | grep -E '/debian/?$' | grep -v -E 'snapshot\.debian\.org' | head -n 1 || true)
    if [[ -n "$uri" ]]; then printf '%s\n' "${uri%/}"; return; fi
  done
  log "no Debian archive in the apt sources; using http://deb.debian.org/debian"
  printf '%s\n' http://deb.debian.org/debian
}

ensure_build_tools() {
  local missing=()
  command -v gcc >/dev/null || missing+=(build-essential)
  command -v g++ >/dev/null || missing+=(g++)
  command -v make >/dev/null || missing+=(make)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  command -v dpkg-source >/dev/null || missing+=(dpkg-dev)
  command -v xz >/dev/null || missing+=(xz-utils)
  [[ -f "$KEYRING" ]] || missing+=(debian-archive-keyring)
  if [[ $TLS == yes ]]; then
    [[ -f /usr/include/openssl/ssl.h ]] || missing+=(libssl-dev)
    command -v openssl >/dev/null || missing+=(openssl)
  fi
  ((${#missing[@]} == 0)) && return
  [[ $(id -u) == 0 ]] || die "missing build tools (${missing[*]}); install them: sudo apt-get install ${missing[*]}"
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]; }

# Server liveness check: VADD and VSIM ... WITHATTRIBS are what the gallery needs. The TLS build
# is checked over TLS only (no plain port), with a throwaway self-signed certificate.
verify_server() {
  local server=$1 cli port dir out listen=() tls=()
  cli="$(dirname "$server")/redis-cli"
  port=$(( 20000 + RANDOM % 20000 ))
  dir=$(mktemp -d)
  listen=(--port "$port")
  if [[ $TLS == yes ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
      -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
    listen=(--port 0 --tls-port "$port" --tls-cert-file "$dir/cert.pem"
      --tls-key-file "$dir/key.pem" --tls-ca-cert-file "$dir/cert.pem" --tls-auth-clients no)
    tls=(--tls --cacert "$dir/cert.pem")
  fi
  "$server" "${listen[@]}" --bind 127.0.0.1 --daemonize yes --dir "$dir" --save '' \
    --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >/dev/null
  for _ in $(seq 50); do "$cli" "${tls[@]}" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  "$cli" "${tls[@]}" -p "$port" VADD probe VALUES 2 1 0 a SETATTR '{"who":"a"}' >/dev/null 2>&1 || true
  out=$("$cli" "${tls[@]}" -p "$port" VSIM probe VALUES 2 1 0 WITHSCORES WITHATTRIBS COUNT 1 2>&1 || true)
  "$cli" "${tls[@]}" -p "$port" shutdown nosave >/dev/null 2>&1 || true
  [[ "$out" == *'"who":"a"'* ]] || { cat "$dir/redis.log" >&2; rm -rf "$dir"
    die "built $server but VSIM ... WITHATTRIBS fails (TLS: $TLS): $out"; }
  rm -rf "$dir"
}

build() {
  local existing
  if existing=$(cached_server); then printf '%s\n' "$existing"; return; fi
  mkdir -p "$CACHE_ROOT"
  # Tests in parallel JVMs may all ask for the binary at once: build it once.
  exec 9>"$CACHE_ROOT/redis-build.lock"
  flock 9
  if existing=$(cached_server); then printf '%s\n' "$existing"; return; fi

  ensure_build_tools
  local started=$SECONDS mirror version upstream
  work=$(mktemp -d "$CACHE_ROOT/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  mirror=$(debian_mirror)
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  local signed=""
  [[ -f "$KEYRING" ]] && signed="[signed-by=$KEYRING] "
  printf 'deb-src %s%s sid main\n' "$signed" "$mirror" >"$work/sources.list"
  local apt=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=-
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
  log "fetching the redis source package from $mirror (sid)"
  apt-get "${apt[@]}" -qq update >&2
  version=$(apt-cache "${apt[@]}" showsrc redis | awk '/^Version:/ { print $2 }' | sort -V | tail -n 1)
  [[ -n "$version" ]] || die "no redis source package in $mirror sid"
  upstream=${version#*:}; upstream=${upstream%-*}
  version_ge "$upstream" "$MIN_VERSION" || die "sid has redis $upstream; need >= $MIN_VERSION"
  (cd "$work/src" && apt-get "${apt[@]}" -qq source "redis=$version" >"$work/source.log" 2>&1) \
    || { tail -n 20 "$work/source.log" >&2; die "apt-get source redis=$version failed"; }

  log "building redis $upstream (TLS: $TLS)"
  local tree
  tree=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'redis-*' | head -n 1)
  make -C "$tree/src" -j"${FACESTREAM_BUILD_JOBS:-2}" BUILD_TLS=$TLS USE_SYSTEMD=no MALLOC=libc \
    redis-server redis-cli >"$work/make.log" 2>&1 \
    || { tail -n 40 "$work/make.log" >&2; die "make failed (log above)"; }

  local stage="$CACHE_ROOT/.redis-$upstream$SUFFIX.tmp" dest="$CACHE_ROOT/redis-$upstream$SUFFIX"
  rm -rf "$stage"; mkdir -p "$stage/bin"
  cp "$tree/src/redis-server" "$tree/src/redis-cli" "$stage/bin/"
  printf 'debian source %s from %s sid; BUILD_TLS=%s; built %s\n' "$version" "$mirror" "$TLS" \
    "$(date -u +%FT%TZ)" \
    >"$stage/SOURCE"
  verify_server "$stage/bin/redis-server"
  rm -rf "$dest"; mv "$stage" "$dest"
  log "built redis $upstream (TLS: $TLS) in $((SECONDS - started)) s"
  printf '%s\n' "$dest/bin/redis-server"
}

start() {
  local port=${1:?usage: start PORT [DIR] [redis-server args...]}; shift
  local dir=${1:-$CACHE_ROOT/data-$port}; (($# > 0)) && shift
  local server cli
  server=$(build); cli="$(dirname "$server")/redis-cli"
  mkdir -p "$dir"
  "$cli" -p "$port" ping >/dev/null 2>&1 && die "something already answers on port $port"
  "$server" --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "$@" >/dev/null
  for _ in $(seq 100); do
    if [[ -s "$dir/redis.pid" ]] && "$cli" -p "$port" ping 2>&1 | grep -q -E 'PONG|NOAUTH'; then
      cat "$dir/redis.pid"; return
    fi
    sleep 0.1
  done
  die "redis did not answer on port $port; see $dir/redis.log"
}

stop() {
  local port=${1:?usage: stop PORT} server cli
  server=$(cached_server) || die "no redis build in $CACHE_ROOT; nothing to stop"
  cli="$(dirname "$server")/redis-cli"
  if ! "$cli" -p "$port" ping >/dev/null 2>&1; then log "nothing answers on port $port"; return; fi
  local out
  out=$("$cli" -p "$port" shutdown 2>&1 || true)
  [[ "$out" == *NOAUTH* || "$out" == *WRONGPASS* ]] \
    && die "the server on port $port wants a password: set REDISCLI_AUTH"
  [[ "$out" == *ERR* ]] && die "shutdown on port $port failed: $out"
  for _ in $(seq 100); do "$cli" -p "$port" ping >/dev/null 2>&1 || return 0; sleep 0.1; done
  die "the server on port $port is still answering after shutdown"
}

cmd=${1:-}; (($# > 0)) && shift
if [[ "${1:-}" == --tls ]]; then TLS=yes; SUFFIX=-tls; shift; fi
case "$cmd" in
  build) build ;;
  path) build ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
