#!/bin/sh
# Builds a sandbox base image from Debian packages alone, for machines that cannot pull from a
# container registry. Result: a local image (default studybot-sandbox-base:bookworm) holding
# python3 and every Debian package listed in python-packages.txt.
#
#   docker/sandbox/build-offline-base.sh [IMAGE_NAME]
#
# Needs: root, debootstrap, a running Docker engine. The Debian mirror is the one apt already uses
# (override with DEBIAN_MIRROR).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
image=${1:-studybot-sandbox-base:bookworm}
suite=${DEBIAN_SUITE:-bookworm}

mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  # First main-archive URI apt is configured with (deb822 .sources files or one-line .list files).
  mirror=$( (cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}';
             cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1=="deb" {print $2}') |
           grep -v -e security -e nodesource -e google | head -n 1)
fi
[ -n "$mirror" ] || { echo "No Debian mirror found in apt's sources; set DEBIAN_MIRROR." >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }

pkgs=$(grep -v '^#' "$here/python-packages.txt" | awk 'NF==3 {print $3}' | paste -sd, -)
root=$(mktemp -d /tmp/studybot-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "debootstrap $suite from $mirror with python3,$pkgs" >&2
debootstrap --variant=minbase --include="python3,$pkgs" "$suite" "$root" "$mirror" >&2
# Trim what a sandbox never needs: apt caches, docs, man pages.
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/* "$root/usr/share/doc" "$root/usr/share/man"
tar -C "$root" -c . | docker import -c 'CMD ["/usr/bin/python3"]' - "$image" >&2
echo "$image"
