#!/bin/sh
# Builds the base of the bot, runner and Redis images from Debian packages alone, for machines that
# cannot pull from a container registry. Result: a local image (default studybot-node-base:trixie)
# with Node.js 20 (Debian trixie's nodejs), npm (from the npm registry, through this machine's npm),
# redis-server and redis-cli, and CA certificates. docker/compose.yaml uses it through NODE_IMAGE and
# REDIS_IMAGE; scripts/compose-images.sh picks it when the official images cannot be pulled.
#
#   sh docker/bot/build-offline-base.sh [IMAGE_NAME]
#   sh docker/bot/build-offline-base.sh --print-hash   # the label a current base carries
#
# Needs: root, debootstrap, npm, a running Docker engine. The Debian mirror is the one apt already
# uses (override with DEBIAN_MIRROR); the suite is DEBIAN_SUITE (default trixie, whose nodejs is 20).
set -eu
image=${1:-studybot-node-base:trixie}
suite=${DEBIAN_SUITE:-trixie}
packages=nodejs,redis-server,ca-certificates
npm_version=10
hash=$( (printf '%s:%s:%s:' "$suite" "$packages" "$npm_version"; cat "$0") | sha256sum | cut -c1-16)
if [ "$image" = --print-hash ]; then echo "$hash"; exit 0; fi

mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  # First main-archive URI apt is configured with (deb822 .sources files or one-line .list files).
  mirror=$( (cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}';
             cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1=="deb" {print $2}') |
           grep -v -e security -e nodesource -e google | head -n 1)
fi
[ -n "$mirror" ] || { echo "No Debian mirror found in apt's sources; set DEBIAN_MIRROR." >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is missing: it fetches npm itself for the image" >&2; exit 1; }
[ -e "/usr/share/debootstrap/scripts/$suite" ] ||
  { echo "this debootstrap does not know the suite $suite: install a newer debootstrap" >&2; exit 1; }

root=$(mktemp -d /tmp/studybot-node-rootfs.XXXXXX)
work=$(mktemp -d /tmp/studybot-node-npm.XXXXXX)
trap 'rm -rf "$root" "$work"' EXIT
echo "debootstrap $suite from $mirror with $packages" >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >&2
[ -x "$root/usr/bin/node" ] && [ -x "$root/usr/bin/redis-server" ] ||
  { echo "nodejs or redis-server did not install into the base" >&2; exit 1; }
# npm as the registry publishes it: Debian splits it into hundreds of packages.
(cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null)
mkdir -p "$root/usr/local/lib/node_modules/npm" "$root/usr/local/bin"
tar -xzf "$work"/npm-*.tgz -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# Trim what a server never needs: apt caches and lists, docs, man pages, translations.
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/* "$root/usr/share/doc" \
  "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/locale" "$root/usr/share/lintian"
tar -C "$root" -c . | docker import \
  -c 'CMD ["/bin/bash"]' \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c "LABEL studybot.node-base.hash=$hash" \
  - "$image" >/dev/null
echo "$image"
