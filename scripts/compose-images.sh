#!/bin/sh
# Picks the base images of docker/compose.yaml and prints them as shell assignments:
#
#   eval "$(sh scripts/compose-images.sh)"
#   docker compose -f docker/compose.yaml --env-file .env up -d --build
#
# NODE_IMAGE (the bot and runner images' base) and REDIS_IMAGE: the official node:20-bookworm-slim
# and redis:7-bookworm when they are here or can be pulled; otherwise the offline base made from
# Debian trixie packages (studybot-node-base:trixie, which has nodejs 20 and redis-server), built
# first by docker/bot/build-offline-base.sh when missing or made by an older recipe (a few minutes,
# once). A NODE_IMAGE or REDIS_IMAGE already set (environment or .env) is kept.
#
# EXTRA_CA_CERTS: unless set, the certificates this machine added to its trust store
# (/usr/local/share/ca-certificates), so npm in the image build trusts what npm here trusts.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
docker_host=$(env_value DOCKER_HOST)
if [ -n "$docker_host" ]; then export DOCKER_HOST="$docker_host"; fi
pull_timeout=$(env_value PULL_TIMEOUT)
offline=studybot-node-base:trixie

have() { docker image inspect "$1" >/dev/null 2>&1; }
pullable() { timeout "${pull_timeout:-60}" docker pull -q "$1" >/dev/null 2>&1; }

offline_base() {
  wanted=$(sh "$root/docker/bot/build-offline-base.sh" --print-hash)
  actual=$(docker image inspect --format '{{ index .Config.Labels "studybot.node-base.hash" }}' "$offline" 2>/dev/null || true)
  if [ "$actual" != "$wanted" ]; then
    echo "building the offline base $offline from Debian packages (a few minutes, once)" >&2
    sh "$root/docker/bot/build-offline-base.sh" "$offline" >/dev/null
  fi
  echo "$offline"
}

pick() {
  if have "$1" || pullable "$1"; then echo "$1"; return; fi
  echo "cannot pull $1; using the offline base $offline" >&2
  offline_base
}

node_image=$(env_value NODE_IMAGE)
[ -n "$node_image" ] || node_image=$(pick node:20-bookworm-slim)
redis_image=$(env_value REDIS_IMAGE)
[ -n "$redis_image" ] || redis_image=$(pick redis:7-bookworm)
echo "export NODE_IMAGE='$node_image'"
echo "export REDIS_IMAGE='$redis_image'"

extra=$(env_value EXTRA_CA_CERTS)
if [ -z "$extra" ]; then
  for crt in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$crt" ] && extra="$extra$(cat "$crt")
"
  done
fi
if [ -n "$extra" ]; then printf "export EXTRA_CA_CERTS='%s'\n" "$extra"; fi
