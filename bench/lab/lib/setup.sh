#!/usr/bin/env bash
# Installs buildah and debootstrap from Debian and checks that the kernel overlay driver works;
# falls back to fuse-overlayfs only when it does not.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

need=()
command -v buildah >/dev/null || need+=(buildah)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Native overlay first: commit an empty image and remove it again.
probe() { local c; c=$(bh from scratch) && bh commit -q "$c" localhost/slimdock-lab/probe >/dev/null && bh rm "$c" >/dev/null && bh rmi localhost/slimdock-lab/probe >/dev/null; }
if [[ ! -f "$LAB_CACHE/use-fuse-overlayfs" ]] && ! probe 2>"$LAB_CACHE/overlay-probe.log"; then
  log "kernel overlay failed (see $LAB_CACHE/overlay-probe.log): switching to fuse-overlayfs"
  command -v fuse-overlayfs >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fuse-overlayfs >/dev/null
  rm -rf "$LAB_CACHE/storage" "$LAB_CACHE/runroot"
  touch "$LAB_CACHE/use-fuse-overlayfs"
  source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
  probe
fi
log "buildah $(buildah --version | awk '{print $3}'), storage $LAB_CACHE/storage ($( [[ -f $LAB_CACHE/use-fuse-overlayfs ]] && echo fuse-overlayfs || echo native overlay))"
