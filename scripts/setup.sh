#!/bin/sh
# Makes this machine ready to run studybot: installs what is missing (as root, with apt-get on
# Debian/Ubuntu), starts the Docker engine, and builds the sandbox image. Safe to run again: when
# everything is in place it only checks, in a second or two.
#
#   sh scripts/setup.sh              before `npm start` (code runs are optional: warns and goes on)
#   sh scripts/setup.sh --for-tests  before `npm test` (Redis and Docker are required: fails loudly)
#
# Skips Redis when REDIS_URL is set, and Docker when RUNNER=false or DOCKER_HOST points elsewhere.
set -eu
cd "$(dirname "$0")/.."
strict=no
[ "${1:-}" = "--for-tests" ] && strict=yes

say() { printf '%s\n' "setup: $*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }
have_apt() { command -v apt-get >/dev/null 2>&1; }

missing=""
need_redis=no
if [ "$strict" = yes ] || [ -z "${REDIS_URL:-}" ]; then
  need_redis=yes
  command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
fi
need_docker=no
if [ "$strict" = yes ] || { [ "${RUNNER:-true}" != false ] && [ -z "${DOCKER_HOST:-}" ]; }; then
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
    [ "$need_redis" = yes ] && ! command -v redis-server >/dev/null 2>&1 && say "or set REDIS_URL to a Redis you already run"
    [ "$strict" = yes ] && exit 1
  fi
fi

docker_ready() { docker info >/dev/null 2>&1; }

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
