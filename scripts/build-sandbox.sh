#!/bin/sh
# Builds the sandbox image (default studybot-sandbox:latest, or $SANDBOX_IMAGE).
#
#   sh scripts/build-sandbox.sh            # no-op when the image already matches docker/sandbox/
#   FORCE=1 sh scripts/build-sandbox.sh    # rebuild anyway
#
# Base image: $SANDBOX_BASE when set; else python:3.13-slim when present or pullable; else the offline
# Debian trixie base (studybot-sandbox-base:trixie), built first by docker/sandbox/build-offline-base.sh
# when missing or made from another package list (a few minutes, once). The image carries a hash of
# the recipe files as a label: when it matches, nothing runs. Both bases get the versions pinned in
# docker/sandbox/python-packages.txt; a difference is reported after the build.
#
# SANDBOX_IMAGE, SANDBOX_BASE, DOCKER_HOST, PULL_TIMEOUT (seconds to try pulling the official base,
# default 60), DEBIAN_MIRROR and DEBIAN_SUITE are read from the environment, then from .env, as the
# bot reads its configuration; FORCE only from the environment.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/env.sh"
ctx="$root/docker/sandbox"
image=$(env_value SANDBOX_IMAGE)
image=${image:-studybot-sandbox:latest}
docker_host=$(env_value DOCKER_HOST)
# Build on the engine the runners use.
if [ -n "$docker_host" ]; then export DOCKER_HOST="$docker_host"; fi
pull_timeout=$(env_value PULL_TIMEOUT)
for name in DEBIAN_MIRROR DEBIAN_SUITE; do
  value=$(env_value "$name")
  if [ -n "$value" ]; then export "$name=$value"; fi
done
official=python:3.13-slim
offline=studybot-sandbox-base:trixie

command -v docker >/dev/null || { echo "docker CLI not found" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "the Docker engine is not reachable (is dockerd running?)" >&2; exit 1; }

hash=$(cd "$ctx" && cat Dockerfile sandbox.py case.py install-packages.py python-packages.txt | sha256sum | cut -c1-16)

current() {
  docker image inspect --format '{{ index .Config.Labels "studybot.sandbox.hash" }}' "$image" 2>/dev/null || true
}

if [ "${FORCE:-0}" != 1 ] && [ "$(current)" = "$hash" ]; then
  echo "$image is up to date ($hash)" >&2
  exit 0
fi

# Concurrent callers (parallel test files) wait for one build instead of racing.
lock=${TMPDIR:-/tmp}/studybot-sandbox-build.lock
exec 9>"$lock"
if command -v flock >/dev/null; then flock 9; fi
if [ "${FORCE:-0}" != 1 ] && [ "$(current)" = "$hash" ]; then
  echo "$image is up to date ($hash)" >&2
  exit 0
fi

have() { docker image inspect "$1" >/dev/null 2>&1; }

base=$(env_value SANDBOX_BASE)
if [ -z "$base" ]; then
  if have "$official"; then
    base=$official
  elif timeout "${pull_timeout:-60}" docker pull -q "$official" >/dev/null 2>&1; then
    base=$official
  else
    echo "cannot pull $official; using the offline base $offline" >&2
    wanted=$(sh "$ctx/build-offline-base.sh" --print-hash)
    actual=$(docker image inspect --format '{{ index .Config.Labels "studybot.sandbox.base-hash" }}' "$offline" 2>/dev/null || true)
    if [ "$actual" != "$wanted" ]; then
      echo "building the offline base $offline from Debian packages (a few minutes, once)" >&2
      sh "$ctx/build-offline-base.sh" "$offline" >/dev/null
    fi
    base=$offline
  fi
fi

echo "building $image on $base ($hash)" >&2
# The legacy builder needs no buildx plugin and never pulls a base that is already local.
DOCKER_BUILDKIT=0 docker build -q \
  --build-arg "BASE=$base" \
  --build-arg "SOURCE_HASH=$hash" \
  --label "studybot.sandbox.base=$base" \
  -t "$image" "$ctx" >/dev/null
# Leave no dangling layers from earlier builds of the same tag.
docker image prune -f --filter "label=studybot.sandbox.protocol" >/dev/null 2>&1 || true
echo "built $image" >&2
# Say so now when the base's packages are not the pinned ones (the runner warns again at start-up).
docker run --rm --network none --user 10001:10001 --entrypoint python3 "$image" -I \
  /opt/studybot/install-packages.py --check /opt/studybot/python-packages.txt /opt/studybot/versions.json >&2 ||
  echo "warning: $image differs from docker/sandbox/python-packages.txt (see above)" >&2
