#!/bin/sh
# Makes this machine ready to run studybot: installs what is missing (as root, with apt-get on
# Debian/Ubuntu), starts the Docker engine, and builds the sandbox image. Safe to run again: when
# everything is in place it only checks, in a second or two.
#
#   sh scripts/setup.sh              before `npm start` (code runs are optional: warns and goes on)
#   sh scripts/setup.sh --for-tests  before `npm test` (Redis, Docker and Docker Compose are required:
#                                    fails loudly)
#   sh scripts/setup.sh --compose    also makes `docker compose` available (docker/compose.yaml)
#
# Reads the configuration as the bot does, from the environment and then .env: skips Redis when
# REDIS_URL is set, and Docker when RUNNER is off (false, 0, no, off) or DOCKER_HOST points elsewhere.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/env.sh"
strict=no
compose=no
for arg in "$@"; do
  case "$arg" in
    --for-tests) strict=yes; compose=yes ;;
    --compose) compose=yes ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option $arg (see: sh scripts/setup.sh --help)" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "setup: $*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }
have_apt() { command -v apt-get >/dev/null 2>&1; }

redis_url=$(env_value REDIS_URL)
docker_host=$(env_value DOCKER_HOST)
runner=$(env_bool RUNNER true) || exit 1
# The docker CLI below must talk to the engine the runner uses.
[ -n "$docker_host" ] && export DOCKER_HOST="$docker_host"

missing=""
need_redis=no
if [ "$strict" = yes ] || [ -z "$redis_url" ]; then
  need_redis=yes
  command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
fi
need_docker=no
if [ "$strict" = yes ] || { [ "$runner" = true ] && [ -z "$docker_host" ]; }; then
  need_docker=yes
  command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
  # The offline sandbox base is built from Debian trixie packages when no registry is reachable;
  # debootstrap checks the suite's signature with Debian's archive keys.
  command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
  [ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || missing="$missing debian-archive-keyring"
fi

if [ -n "$missing" ]; then
  if is_root && have_apt; then
    say "installing$missing (first run only)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2
  else
    say "missing:$missing"
    say "install them with:  sudo apt-get install -y$missing"
    [ "$need_redis" = yes ] && ! command -v redis-server >/dev/null 2>&1 && say "or set REDIS_URL (in the environment or .env) to a Redis you already run"
    [ "$strict" = yes ] && exit 1
  fi
fi

docker_ready() { docker info >/dev/null 2>&1; }

# Docker Compose v2 (`docker compose`) for docker/compose.yaml. Debian before trixie only packages
# the retired v1 (docker-compose 1.x); trixie's v2 is one static program that needs nothing newer
# than glibc 2.34, so on such a system it is taken from the trixie archive of the same mirror and put
# where the docker CLI finds its plugins.
has_compose() { docker compose version >/dev/null 2>&1; }
install_compose() {
  export DEBIAN_FRONTEND=noninteractive
  candidate=$(apt-cache policy docker-compose 2>/dev/null | awk '/Candidate:/ {print $2}')
  case "$candidate" in
    2.* | [3-9].*) apt-get install -y -qq --no-install-recommends docker-compose >&2 && return 0 ;;
  esac
  apt-get install -y -qq --no-install-recommends docker-compose-v2 >/dev/null 2>&1 && return 0
  mirror=${DEBIAN_MIRROR:-$( (cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1=="deb" {print $2}') |
    grep -v -e security -e nodesource -e google | head -n 1)}
  [ -n "$mirror" ] || return 1
  tmp=$(mktemp -d)
  mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$tmp/sources.list"
  opts="-o APT::Sandbox::User=root -o Dir::Etc::SourceList=$tmp/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$tmp/lists -o Dir::Cache::Archives=$tmp/archives"
  # shellcheck disable=SC2086
  if apt-get -qq $opts update >&2 && (cd "$tmp" && apt-get -qq $opts download docker-compose >&2 2>/dev/null) &&
    dpkg-deb -x "$tmp"/docker-compose_*.deb "$tmp/x"; then
    mkdir -p /usr/local/lib/docker/cli-plugins
    install -m 755 "$tmp/x/usr/libexec/docker/cli-plugins/docker-compose" /usr/local/lib/docker/cli-plugins/docker-compose
  fi
  rm -rf "$tmp"
  has_compose
}

if [ "$need_docker" = yes ] && command -v dockerd >/dev/null 2>&1 && ! docker_ready; then
  if ! is_root; then
    say "the Docker engine is not running and only root can start it: sudo sh scripts/setup.sh"
    [ "$strict" = yes ] && exit 1
  else
    say "starting the Docker engine"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      systemctl start docker >&2 || true
    fi
    if ! docker_ready; then
      mkdir -p /var/log
      nohup dockerd >/var/log/studybot-dockerd.log 2>&1 &
    fi
    i=0
    until docker_ready; do
      i=$((i + 1))
      if [ "$i" -gt 60 ]; then
        say "the Docker engine did not start within 60 s; see /var/log/studybot-dockerd.log"
        [ "$strict" = yes ] && exit 1
        break
      fi
      sleep 1
    done
  fi
fi

if [ "$compose" = yes ] && command -v docker >/dev/null 2>&1 && ! has_compose; then
  if is_root && have_apt; then
    say "installing Docker Compose v2 (first run only)"
    install_compose || say "could not install Docker Compose v2"
  fi
  if ! has_compose; then
    say "\`docker compose\` (Docker Compose v2) is missing: install the docker-compose package (Debian trixie or later) or docker-compose-v2 (Ubuntu)"
    [ "$strict" = yes ] && exit 1
  fi
fi

if [ "$need_docker" = yes ] && docker_ready; then
  sh scripts/build-sandbox.sh || {
    say "building the sandbox image failed; code runs will be unavailable"
    [ "$strict" = yes ] && exit 1
  }
elif [ "$need_docker" = yes ]; then
  say "code runs will be unavailable until the Docker engine runs (sudo sh scripts/setup.sh)"
  [ "$strict" = yes ] && exit 1
fi
exit 0
