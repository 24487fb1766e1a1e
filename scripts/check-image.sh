#!/usr/bin/env bash
# Checks an image made by scripts/build-image.sh from the inside, with nothing from the host: mounts
# its root file system (buildah mount) and, chrooted into it as the image's user, runs
# `numeral --version`, `numeral predict` on a PNG, and the image's own entry point (`numeral
# serve`, on a free loopback port) answering /healthz and a prediction. A library missing from
# the image makes the binary fail to start, and so this script. Exit status 0 only if all pass.
#
# Usage: scripts/check-image.sh IMAGE DIGIT.png
set -euo pipefail
image="$1" png="$2"
[ -f "$png" ] || { echo "check-image.sh: no PNG at $png" >&2; exit 2; }
fail() { echo "check-image.sh: FAIL: $*" >&2; exit 1; }

inspect=$(buildah inspect --type image "$image") || fail "no image $image"
user=$(python3 - "$inspect" <<'EOF'
import json, sys
c = json.loads(sys.argv[1])["OCIv1"]["config"]
assert c.get("Entrypoint") == ["/usr/bin/numeral", "serve"], c.get("Entrypoint")
assert c.get("User") == "10001:10001", c.get("User")
assert c.get("Cmd", [])[:2] == ["--host", "0.0.0.0"], c.get("Cmd")
assert "8080/tcp" in c.get("ExposedPorts", {}), c.get("ExposedPorts")
assert "/var/lib/numeral" in c.get("Volumes", {}), c.get("Volumes")
print(c["User"])
print("config: entrypoint", " ".join(c["Entrypoint"] + c["Cmd"]), "| user", c["User"], "| env", " ".join(c.get("Env", [])), file=sys.stderr)
EOF
) || fail "the image's config"

container=$(buildah from --pull-never "$image")
mountpoint="" server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$mountpoint" ]; then umount "$mountpoint/proc" 2>/dev/null || true; fi
  buildah umount "$container" >/dev/null 2>&1 || true
  buildah rm "$container" >/dev/null 2>&1 || true
}
trap cleanup EXIT
mountpoint=$(buildah mount "$container")
# What a container runtime gives every container: /proc (Swift reads its arguments there).
mount -t proc proc "$mountpoint/proc"
install -m644 "$png" "$mountpoint/tmp/digit.png"
# Only the image's own files: an empty environment, no host library path.
chroot=$(command -v chroot)
run() { env -i PATH=/usr/bin HOME=/var/lib/numeral XDG_DATA_HOME=/var/lib "$chroot" --userspec="$user" "$mountpoint" "$@"; }

version=$(run /usr/bin/numeral --version) || fail "numeral --version did not run inside the image"
echo "version: $version"
prediction=$(run /usr/bin/numeral predict /tmp/digit.png --json) || fail "numeral predict did not run inside the image"
echo "predict: $prediction"

# The entry point itself, as the image's user, its state in the image's /var/lib/numeral.
log="$mountpoint/tmp/serve.log"
# Made here, not by the background job's redirection: under load the loop below could read it first.
: > "$log"
# exec: the background job is the server itself, so the cleanup's kill reaches it.
(exec env -i PATH=/usr/bin HOME=/var/lib/numeral XDG_DATA_HOME=/var/lib "$chroot" --userspec="$user" "$mountpoint" \
   /usr/bin/numeral serve --host 127.0.0.1 --port 0 --data-dir /var/lib/numeral --rate 0) > "$log" 2>&1 < /dev/null &
server=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; fail "numeral serve exited inside the image"; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$log" >&2; fail "numeral serve did not start listening within 10 s"; }
health=$(curl -fsS "http://127.0.0.1:$port/healthz") || fail "/healthz did not answer"
echo "healthz: $health"
served=$(curl -fsS -X POST -H 'Content-Type: image/png' --data-binary @"$png" "http://127.0.0.1:$port/api/v1/predictions") \
  || fail "POST /api/v1/predictions failed"
echo "served: $served"
[ -f "$mountpoint/var/lib/numeral/numeral.sqlite" ] || fail "the served prediction was not logged in /var/lib/numeral"
owner=$(stat -c %u:%g "$mountpoint/var/lib/numeral/numeral.sqlite")
[ "$owner" = "$user" ] || fail "the log belongs to $owner, not the image's user $user"
echo "log: /var/lib/numeral/numeral.sqlite owned by $owner"
echo "check-image.sh: OK"
