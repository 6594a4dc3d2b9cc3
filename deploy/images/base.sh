#!/usr/bin/env bash
# Builds Babble's base image without any registry: a minimal Debian bookworm (debootstrap --variant=minbase from the
# machine's own Debian mirror), trimmed, imported into podman as localhost/babble/base:bookworm. Where a registry is
# reachable, docker.io/library/debian:bookworm-slim is the same thing and this script is not needed.
#
# Once per machine: the image is kept in podman's storage and its tar in the cache directory (a podman reset, or a
# second storage, loads the tar again in seconds). --force builds it afresh.
#
#   deploy/images/base.sh [--force]      env: BABBLE_IMAGE_CACHE (default /var/cache/babble-images),
#                                             BABBLE_DEBIAN_MIRROR (default: the first mirror in the apt sources)
set -euo pipefail

NAME="localhost/babble/base:bookworm"
CACHE="${BABBLE_IMAGE_CACHE:-/var/cache/babble-images}"
TAR="$CACHE/base-bookworm.tar"
force=false
[[ "${1:-}" == "--force" ]] && force=true

say() { echo "base: $*" >&2; }

if ! $force && podman image exists "$NAME"; then
  say "$NAME is there"
  # Jib and other tools take the base as a docker-archive tar: keep one beside it.
  [[ -f "$TAR" ]] || { mkdir -p "$CACHE"; podman save -q --format docker-archive -o "$TAR.part" "$NAME" && mv "$TAR.part" "$TAR"; }
  exit 0
fi
if ! $force && [[ -f "$TAR" ]]; then
  say "loading $TAR"
  podman load -q -i "$TAR" >/dev/null
  exit 0
fi

mirror() { # the machine's Debian mirror: the first URI of the apt sources (one-line or deb822) ending in /debian
  local m
  m="$(grep -rhsE '^(deb |URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
       | sed -E 's/^deb (\[[^]]*\] )?//; s/^URIs: *//' | tr ' ' '\n' | grep -E '^https?://.*/debian/?$' | head -1)"
  echo "${m:-http://deb.debian.org/debian}"
}
MIRROR="${BABBLE_DEBIAN_MIRROR:-$(mirror)}"
command -v debootstrap >/dev/null || { echo "base: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }

root="$(mktemp -d /var/tmp/babble-base.XXXXXX)"
trap 'rm -rf "$root"' EXIT
say "debootstrap bookworm from $MIRROR (a minute or so)"
started=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"

# What a container never needs: documentation, manuals, locales, apt's lists and caches, logs.
rm -rf "$root"/usr/share/{doc,man,info,locale,lintian,linda} "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* \
       "$root"/var/cache/debconf/*-old "$root"/var/log/* "$root"/tmp/* "$root"/dev/*
# Keep it so: later apt-get installs in derived images write no documentation either (as debian:*-slim does).
mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-exclude /usr/share/man/*' 'path-exclude /usr/share/locale/*' \
  'path-exclude /usr/share/info/*' >"$root/etc/dpkg/dpkg.cfg.d/excludes"

tar --numeric-owner -C "$root" -c . | podman import -q \
  --change 'CMD ["/bin/bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --message "debootstrap --variant=minbase bookworm $MIRROR" - "$NAME" >/dev/null
mkdir -p "$CACHE"
podman save -q --format docker-archive -o "$TAR.part" "$NAME" && mv "$TAR.part" "$TAR"
say "built $NAME in $((SECONDS - started)) s: $(podman image inspect --format '{{.Size}}' "$NAME" | awk '{printf "%.0f MB", $1/1e6}'); tar at $TAR"
