#!/usr/bin/env bash
# Builds the OCI image of `numeral serve` with buildah, from scratch: no base image is pulled from
# any registry. Its root file system holds only the binary, the Swift runtime and every shared
# library ldd names (with the dynamic loader), the shipped models, a non-root user and a
# writable state directory (scripts/stage-numeral.sh lays them out). Entry point:
#   /usr/bin/numeral serve --host 0.0.0.0 --port 8080 --data-dir /var/lib/numeral
# as user numeral (uid 10001), /var/lib/numeral a volume.
#
# Usage: scripts/build-image.sh [--binary PATH] [--tag NAME] [--archive FILE.tar]
#   --binary   the numeral binary (default .build/release/numeral; the tests give the debug one)
#   --tag      image name (default localhost/numeral:VERSION, also tagged :latest)
#   --archive  also write the image as an OCI archive (podman load / skopeo copy take it)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build/release/numeral tag="" archive=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --archive) archive="$2"; shift 2 ;;
    *) echo "build-image.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v buildah >/dev/null || { echo "build-image.sh: buildah is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
[ -x "$binary" ] || { echo "build-image.sh: no executable at $binary (make release, or --binary PATH)" >&2; exit 1; }
version=$("$binary" --version) || { echo "build-image.sh: $binary --version failed" >&2; exit 1; }
[ -n "$tag" ] || tag="localhost/numeral:$version"
uid=10001

stage=$(mktemp -d /tmp/numeral-image.XXXXXX)
container=""
cleanup() {
  [ -n "$container" ] && buildah rm "$container" >/dev/null 2>&1 || true
  rm -rf "$stage"
}
trap cleanup EXIT

root="$stage/root"
scripts/stage-numeral.sh --binary "$binary" --root "$root" --system-libs
mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/numeral" "$root/proc" "$root/dev" "$root/sys"
chmod 1777 "$root/tmp"
cat > "$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/usr/sbin/nologin
numeral:x:$uid:$uid:Numeral server:/var/lib/numeral:/usr/sbin/nologin
EOF
cat > "$root/etc/group" <<EOF
root:x:0:
numeral:x:$uid:
EOF
# glibc resolves user and host names (the PostgreSQL host) by these; files and dns are built into libc.
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' > "$root/etc/hosts"
chown "$uid:$uid" "$root/var/lib/numeral"
chmod 0750 "$root/var/lib/numeral"

# From scratch: an empty container, filled through its mount (cp -a keeps owners and modes).
container=$(buildah from scratch)
mountpoint=$(buildah mount "$container")
cp -a "$root/." "$mountpoint/"
buildah umount "$container" >/dev/null
buildah config \
  --entrypoint '["/usr/bin/numeral", "serve"]' \
  --cmd '["--host", "0.0.0.0", "--port", "8080", "--data-dir", "/var/lib/numeral"]' \
  --user "$uid:$uid" \
  --workingdir /var/lib/numeral \
  --env PATH=/usr/bin \
  --env HOME=/var/lib/numeral \
  --env XDG_DATA_HOME=/var/lib \
  --port 8080/tcp \
  --volume /var/lib/numeral \
  --stop-signal SIGTERM \
  --label org.opencontainers.image.title=Numeral \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.description=numeral serve: handwritten digit recognition over HTTP" \
  "$container"
buildah commit --quiet --format oci --rm "$container" "$tag" >/dev/null
container=""
case "$tag" in
  localhost/numeral:*) [ "$tag" = localhost/numeral:latest ] || buildah tag "$tag" localhost/numeral:latest ;;
esac
if [ -n "$archive" ]; then
  rm -f "$archive"
  buildah push --quiet "$tag" "oci-archive:$archive:$tag"
fi
size=$(buildah images --format '{{.Size}}' "$tag" | head -1)
echo "Built image $tag ($size) from $binary${archive:+; OCI archive: $archive}"
