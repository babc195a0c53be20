#!/usr/bin/env bash
# Builds the local stand-in for ghcr.io/astral-sh/uv:<pin> (the pin is slimdock's DEFAULT_UV_VERSION):
# an image with /uv and /uvx being the lab's small uv-compatible program (standins/uv.py), which runs
# on the Python of the image it is copied into. Clearly labelled; uv itself cannot be downloaded here.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
UV_VERSION=$(sed -n "s/^export const DEFAULT_UV_VERSION = '\(.*\)';/\1/p" "$REPO_DIR/server/src/engine/config/config.ts")
[[ -n $UV_VERSION ]] || { log "DEFAULT_UV_VERSION not found"; exit 1; }
TAG="ghcr.io/astral-sh/uv:$UV_VERSION"
tmp="$LAB_CACHE/uv-standin"
rm -rf "$tmp" && mkdir -p "$tmp"
sed -e "s|@UV_VERSION@|$UV_VERSION|" -e "s|@LAB_INDEX@|http://127.0.0.1:$LAB_PORT/simple|" "$LAB_DIR/standins/uv.py" >"$tmp/uv"
chmod 755 "$tmp/uv"
sum=$(sha256sum "$tmp/uv" | cut -c1-16)
if [[ "$(bh inspect --type image --format '{{index .ImageAnnotations "org.slimdock.lab.sha"}}' "$TAG" 2>/dev/null)" == "$sum" ]]; then
  log "uv stand-in $TAG present"; exit 0
fi
ctr=$(bh from scratch)
bh copy --chmod 755 "$ctr" "$tmp/uv" /uv >/dev/null
bh copy --chmod 755 "$ctr" "$tmp/uv" /uvx >/dev/null
bh config --annotation org.slimdock.lab.sha="$sum" --label org.slimdock.lab.standin="NOT uv: slimdock lab stand-in that installs through pip" \
  --created-by "slimdock lab: uv stand-in (bench/lab/standins/uv.py)" --entrypoint '["/uv"]' "$ctr"
bh commit -q --rm "$ctr" "$TAG" >/dev/null
log "uv stand-in $TAG built"
