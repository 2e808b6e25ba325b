#!/bin/sh
# Builds a sandbox base image from Debian packages alone, for machines that cannot pull from a
# container registry. Result: a local image (default studybot-sandbox-base:trixie) holding python3
# and every Debian package listed in python-packages.txt.
#
#   docker/sandbox/build-offline-base.sh [IMAGE_NAME]
#   docker/sandbox/build-offline-base.sh --print-hash   # the label a current base carries
#
# Needs: root, debootstrap, a running Docker engine. The Debian mirror is the one apt already uses
# (override with DEBIAN_MIRROR). The suite must stay the one python-packages.txt was pinned against
# (DEBIAN_SUITE, default trixie): the pins are that suite's versions.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
image=${1:-studybot-sandbox-base:trixie}
suite=${DEBIAN_SUITE:-trixie}

# The fourth column of python-packages.txt: the Debian package of each listed distribution.
pkgs=$(sed 's/#.*//' "$here/python-packages.txt" | awk 'NF==4 {print $4}' | sort -u | paste -sd, -)
[ -n "$pkgs" ] || { echo "no Debian packages found in $here/python-packages.txt" >&2; exit 1; }
# The base is stale when the suite, the package list or this recipe changes: build-sandbox.sh
# compares this label.
hash=$( (printf '%s:%s:' "$suite" "$pkgs"; cat "$0") | sha256sum | cut -c1-16)
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
[ -e "/usr/share/debootstrap/scripts/$suite" ] ||
  { echo "this debootstrap does not know the suite $suite: install a newer debootstrap" >&2; exit 1; }

root=$(mktemp -d /tmp/studybot-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "debootstrap $suite from $mirror with python3,$pkgs" >&2
debootstrap --variant=minbase --include="python3,$pkgs" "$suite" "$root" "$mirror" >&2
# Trim what a sandbox never needs: apt caches and lists, docs, man pages, translations. The
# bytecode Debian compiled at install stays: it is what makes `import django` fast.
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/* "$root/usr/share/doc" \
  "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/locale" "$root/usr/share/lintian"
# Translation sources (Django's alone are 11 MB); the compiled .mo files are what gettext reads.
find "$root/usr/lib/python3/dist-packages" -name '*.po' -delete
tar -C "$root" -c . | docker import \
  -c 'CMD ["/usr/bin/python3"]' \
  -c "LABEL studybot.sandbox.base-hash=$hash" \
  - "$image" >/dev/null
echo "$image"
