# Shared settings of the image-size lab (sourced by the other scripts).
# Everything heavy lives outside the repository, under $LAB_CACHE.
set -euo pipefail
LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$LAB_DIR/../.." && pwd)"
LAB_CACHE="${SLIMDOCK_CACHE:-$HOME/.cache/slimdock}/lab"
LAB_PORT="${SLIMDOCK_LAB_PORT:-8765}"
mkdir -p "$LAB_CACHE"
export LAB_DIR REPO_DIR LAB_CACHE LAB_PORT

# The lab's own container storage (not /var/lib/containers), always with the native overlay driver
# unless setup.sh found that the kernel overlay does not work (then fuse-overlayfs, recorded here).
STORAGE_OPTS=(--root "$LAB_CACHE/storage" --runroot "$LAB_CACHE/runroot" --storage-driver overlay)
if [[ -f "$LAB_CACHE/use-fuse-overlayfs" ]]; then
  STORAGE_OPTS+=(--storage-opt overlay.mount_program=/usr/bin/fuse-overlayfs)
fi
bh() { buildah "${STORAGE_OPTS[@]}" "$@"; }
log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
