#!/usr/bin/env bash
# Installs what the end-to-end tests need, from Debian's packages and the npm registry only:
# Chromium (driven by playwright-core), Neovim (LSP client test), the toolchain code-server's
# native modules build with, then code-server itself (scripts/install-code-server.sh).
# Idempotent and non-interactive: apt is skipped when every package is already installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(chromium neovim libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep
  python3 make g++)

missing=()
for pkg in "${packages[@]}"; do
  # `dpkg -s` also lists removed-but-configured packages: require "install ok installed".
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "install-test-deps: installing ${missing[*]}" >&2
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo -n); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  echo "install-test-deps: Debian packages already installed" >&2
fi

exec "$here/install-code-server.sh"
