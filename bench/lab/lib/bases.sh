#!/usr/bin/env bash
# Builds the local stand-ins for python:3.11 and python:3.11-slim from Debian bookworm packages
# (debootstrap --variant=minbase), imports them with buildah and tags them as Docker Hub names so
# that `FROM python:3.11-slim` resolves locally with --pull=never. These are NOT the official images:
# their Python is Debian's python3 (3.11 in bookworm), made pip-installable like the official one.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MIRROR="${SLIMDOCK_LAB_MIRROR:-http://deb.debian.org/debian}"
DEBS="$LAB_CACHE/debs"   # debootstrap's download cache, shared by both images
mkdir -p "$DEBS"

# Python as the official image provides it: interpreter, venv, `python` and `pip` on PATH. pip itself
# comes from ensurepip into /usr/local (see chroot_install), not from python3-pip.
PY_PKGS=python3,python3-venv,python-is-python3,ca-certificates,netbase,tzdata
# What buildpack-deps:bookworm (the base of the official full python image) adds: compilers, -dev
# libraries, VCS tools (from its curl, scm and main layers, as --no-install-recommends installs).
FULL_PKGS=curl,wget,gnupg,dirmngr,git,mercurial,openssh-client,subversion,procps,autoconf,automake,bzip2,\
default-libmysqlclient-dev,dpkg-dev,file,g++,gcc,imagemagick,libbz2-dev,libc6-dev,libcurl4-openssl-dev,\
libdb-dev,libevent-dev,libffi-dev,libgdbm-dev,libglib2.0-dev,libgmp-dev,libjpeg-dev,libkrb5-dev,liblzma-dev,\
libmagickcore-dev,libmagickwand-dev,libmaxminddb-dev,libncurses-dev,libpng-dev,libpq-dev,libreadline-dev,\
libsqlite3-dev,libssl-dev,libtool,libwebp-dev,libxml2-dev,libxslt1-dev,libyaml-dev,make,patch,unzip,xz-utils,\
zlib1g-dev,build-essential,python3-dev,libbluetooth-dev,tk-dev,uuid-dev

# apt configuration of Debian's official docker images (debuerreotype), so `apt-get` in a build
# leaves what it leaves there: no .debs, gzip-compressed lists, no translations.
configure_apt() {
  local root=$1
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
  echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  write_sources "$root"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  # The official python image's interpreter is not "externally managed": pip installs system-wide.
  rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
}

write_sources() {
  local root=$1
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

# debian:bookworm-slim's dpkg excludes (debuerreotype-slimify), applied to what is already installed too.
slimify() {
  local root=$1
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
DPKG
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{groff,info,linda,locale,man}/* "$root"/usr/share/lintian/overrides/*
}

# One minbase tree (cached as a tarball), then each image's packages with apt inside a chroot: much
# faster than debootstrap --include for hundreds of packages, and the same packages.
minbase() {
  local tarball="$LAB_CACHE/rootfs/minbase.tar"
  if [[ ! -f $tarball ]]; then
    local root="$LAB_CACHE/rootfs/minbase"
    rm -rf "$root" && mkdir -p "$root"
    log "debootstrap --variant=minbase bookworm"
    debootstrap --variant=minbase --cache-dir="$DEBS" bookworm "$root" "$MIRROR" >"$LAB_CACHE/debootstrap.log" 2>&1 ||
      { tail -20 "$LAB_CACHE/debootstrap.log"; exit 1; }
    tar -C "$root" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  echo "$tarball"
}

chroot_install() {
  local root=$1; shift
  mount -t proc proc "$root/proc"
  mkdir -p "$root/var/cache/apt/archives/partial"
  mount --bind "$DEBS" "$root/var/cache/apt/archives"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
  local rc=0
  { chroot "$root" apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get upgrade -y -q -o Dpkg::Options::=--force-unsafe-io &&
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-unsafe-io "$@" &&
    # The official image's Python lives in /usr/local: site-packages /usr/local/lib/python3.11/site-packages,
    # pip and python in /usr/local/bin, `pip install --prefix=P` → P/lib/python3.11/site-packages. Debian's
    # python3 puts pip installs in /usr/local/lib/python3.11/dist-packages and --prefix in P/local/….
    # A virtual environment at /usr/local (with ensurepip's pip) gives the official layout.
    chroot "$root" /usr/bin/python3 -m venv /usr/local &&
    chroot "$root" /usr/local/bin/python -m pip --version; } >"$LAB_CACHE/apt-$(basename "$root").log" 2>&1 || rc=$?
  umount "$root/var/cache/apt/archives" "$root/proc"
  rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/resolv.conf"
  ((rc == 0)) || { tail -20 "$LAB_CACHE/apt-$(basename "$root").log"; exit 1; }
}

build_base() {
  local name=$1 include=$2 slim=$3; shift 3
  local tags=("$@")
  if bh inspect --type image "${tags[0]}" >/dev/null 2>&1; then log "base ${tags[0]} present"; return; fi
  local tarball root="$LAB_CACHE/rootfs/$name"
  tarball=$(minbase)
  rm -rf "$root" && mkdir -p "$root"
  tar -C "$root" --numeric-owner -xpf "$tarball"
  log "base $name: minbase + $(tr ',' '\n' <<<"$include" | wc -l) packages with apt (--no-install-recommends)"
  [[ $slim == yes ]] && slimify "$root"   # before installing, so the excludes apply as in debian:bookworm-slim
  write_sources "$root"                    # bookworm, -updates and -security, as the official images
  chroot_install "$root" $(tr ',' ' ' <<<"$include")
  configure_apt "$root"
  [[ $slim == yes ]] && slimify "$root"
  rm -rf "$root"/dev/* "$root"/proc/* "$root"/sys/* "$root"/tmp/* "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/var/cache/debconf/*-old
  local ctr mnt
  ctr=$(bh from scratch)
  mnt=$(bh mount "$ctr")
  tar -C "$root" --numeric-owner -cf - . | tar -C "$mnt" --numeric-owner -xpf -
  bh umount "$ctr" >/dev/null
  bh config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 \
    --env PYTHON_VERSION="$(chroot "$root" python3 -c 'import platform; print(platform.python_version())')" \
    --cmd python3 --created-by "slimdock lab: debootstrap --variant=minbase bookworm + apt-get install ($name)" --label org.slimdock.lab.standin="Debian bookworm python3, not the official python image" "$ctr"
  bh commit -q --rm "$ctr" "${tags[0]}" >/dev/null
  for t in "${tags[@]:1}"; do bh tag "${tags[0]}" "$t"; done
  rm -rf "$root"
  log "base ${tags[*]}: $(bh images --format '{{.Size}}' "${tags[0]}" | head -1)"
}

build_base slim "$PY_PKGS" yes docker.io/library/python:3.11-slim docker.io/library/python:3.11-slim-bookworm
build_base full "$PY_PKGS,$FULL_PKGS" no docker.io/library/python:3.11 docker.io/library/python:3.11-bookworm
