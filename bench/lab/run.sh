#!/usr/bin/env bash
# `npm run lab`: real images before and after slimdock's fixes and Optimize, measured with buildah.
# Needs root on Debian 12 with Debian's mirror reachable. Idempotent; heavy artefacts live in
# ${SLIMDOCK_CACHE:-$HOME/.cache/slimdock}/lab. Options are passed to measure.mjs (--only, --variants).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
[[ $(id -u) == 0 ]] || { echo "the lab needs root (buildah with chroot isolation, debootstrap)" >&2; exit 2; }
[[ -f "$REPO_DIR/dist/cli.js" ]] || { echo "dist/cli.js missing: run npm run build first" >&2; exit 2; }
start=$(date +%s)
cold=$([[ -d "$LAB_CACHE/storage" ]] && echo false || echo true)   # nothing cached yet: a cold run

bash "$LAB_DIR/lib/setup.sh"
t_setup=$(($(date +%s) - start))
bash "$LAB_DIR/lib/bases.sh"
t_bases=$(($(date +%s) - start - t_setup))

log "wheels for the index"
python3 "$LAB_DIR/index/make_wheels.py" "$LAB_DIR/index/catalog.json" "$REPO_DIR/server/src/engine/estimates/wheel-sizes.json" \
  "$LAB_CACHE/index" "http://127.0.0.1:$LAB_PORT/simple" >&2
bash "$LAB_DIR/lib/uv-image.sh"

# The index runs for the duration of the builds only.
python3 "$LAB_DIR/index/serve.py" "$LAB_CACHE/index" "$LAB_PORT" 2>"$LAB_CACHE/index.log" &
index_pid=$!
trap 'kill "$index_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$LAB_PORT/simple/" 2>/dev/null && break
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$LAB_PORT/simple/')" 2>/dev/null && break
  sleep 0.1
done
t_prep=$(($(date +%s) - start - t_setup - t_bases))

LAB_CACHE="$LAB_CACHE" LAB_PORT="$LAB_PORT" node "$LAB_DIR/measure.mjs" "$@"
t_builds=$(($(date +%s) - start - t_setup - t_bases - t_prep))
total=$(($(date +%s) - start))
cat >"$LAB_DIR/timings.json" <<JSON
{"cold": $cold, "setupSeconds": $t_setup, "baseImagesSeconds": $t_bases, "indexAndUvSeconds": $t_prep, "buildsSeconds": $t_builds, "totalSeconds": $total, "date": "$(date -u +%FT%TZ)", "args": "$*"}
JSON
[[ $cold == true && -z "$*" ]] && cp "$LAB_DIR/timings.json" "$LAB_DIR/timings-cold.json"
node "$LAB_DIR/report.mjs"
log "done in ${total}s: bench/lab/RESULTS.md, bench/lab/chart.svg"
