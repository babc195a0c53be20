// Build-only OS packages and what the final image needs instead. A `-dev` package carries headers
// and the linker symlink to compile against a library; the program then needs only the library
// itself. Names are Debian bookworm's (checked with `apt-cache policy` on bookworm) unless a
// distro-specific entry says otherwise, and Alpine's for apk. The '' key is an image whose tag names
// no distro (`python:3.12-slim`): the current python images build on bookworm or trixie, and only
// names both share are given for it. A package missing here has no known
// run-time counterpart: Optimize keeps it in the final image and says so, never guesses.

/** Debian/Ubuntu: `-dev` package → the run-time library package(s), per distro codename. */
const APT_RUNTIME: Record<string, string[] | Record<string, string[]>> = {
  'libpq-dev': ['libpq5'],
  'libmariadb-dev': ['libmariadb3'],
  'libmariadb-dev-compat': ['libmariadb3'],
  // Debian's default MySQL client is MariaDB's; Ubuntu's is Oracle's libmysqlclient (found by review).
  'default-libmysqlclient-dev': { '': ['libmariadb3'], bookworm: ['libmariadb3'], bullseye: ['libmariadb3'], trixie: ['libmariadb3'], focal: ['libmysqlclient21'], jammy: ['libmysqlclient21'], noble: ['libmysqlclient21'] },
  'libjpeg-dev': { '': ['libjpeg62-turbo'], bookworm: ['libjpeg62-turbo'], bullseye: ['libjpeg62-turbo'], trixie: ['libjpeg62-turbo'], jammy: ['libjpeg8'], noble: ['libjpeg8'], focal: ['libjpeg8'] },
  'libjpeg62-turbo-dev': ['libjpeg62-turbo'],
  'zlib1g-dev': ['zlib1g'],
  'libxml2-dev': ['libxml2'],
  'libxslt1-dev': ['libxslt1.1'],
  'libxslt-dev': ['libxslt1.1'],
  'libffi-dev': { '': ['libffi8'], bookworm: ['libffi8'], trixie: ['libffi8'], bullseye: ['libffi7'], jammy: ['libffi8'], noble: ['libffi8'], focal: ['libffi7'] },
  'libssl-dev': { bookworm: ['libssl3'], jammy: ['libssl3'], bullseye: ['libssl1.1'], focal: ['libssl1.1'], trixie: ['libssl3t64'], noble: ['libssl3t64'] },
  'libopenblas-dev': ['libopenblas0'],
  'libpng-dev': ['libpng16-16'],
  'libfreetype-dev': ['libfreetype6'],
  'libfreetype6-dev': ['libfreetype6'],
  'libgeos-dev': ['libgeos-c1v5'],
  'libsqlite3-dev': ['libsqlite3-0'],
  'libcurl4-openssl-dev': ['libcurl4'],
  'libmagic-dev': ['libmagic1'],
  'libsndfile1-dev': ['libsndfile1'],
  'liblapack-dev': ['liblapack3'],
  'libblas-dev': ['libblas3'],
  'libgl1-mesa-dev': ['libgl1'],
  'libglib2.0-dev': ['libglib2.0-0'],
  'libsasl2-dev': ['libsasl2-2'],
  'libldap2-dev': { bookworm: ['libldap-2.5-0'], jammy: ['libldap-2.5-0'], bullseye: ['libldap-2.4-2'], focal: ['libldap-2.4-2'] },
  'libldap-dev': { bookworm: ['libldap-2.5-0'], jammy: ['libldap-2.5-0'] },
  'libpcre3-dev': ['libpcre3'],
  'libyaml-dev': ['libyaml-0-2'],
  'libbz2-dev': ['libbz2-1.0'],
  'liblzma-dev': ['liblzma5'],
  'libzstd-dev': ['libzstd1'],
  'libsnappy-dev': ['libsnappy1v5'],
  // libwebp-dev carries the mux and demux libraries too, which Pillow's _webp links (found by review: WebP support was lost).
  'libwebp-dev': { '': ['libwebp7', 'libwebpmux3', 'libwebpdemux2'], bookworm: ['libwebp7', 'libwebpmux3', 'libwebpdemux2'], jammy: ['libwebp7', 'libwebpmux3', 'libwebpdemux2'], bullseye: ['libwebp6', 'libwebpmux3', 'libwebpdemux2'], focal: ['libwebp6', 'libwebpmux3', 'libwebpdemux2'] },
  'libtiff-dev': { '': ['libtiff6'], bookworm: ['libtiff6'], trixie: ['libtiff6'], bullseye: ['libtiff5'], jammy: ['libtiff5'], focal: ['libtiff5'] },
  'libtiff5-dev': { bookworm: ['libtiff6'], bullseye: ['libtiff5'], jammy: ['libtiff5'], focal: ['libtiff5'] },
  'libgdal-dev': { bookworm: ['libgdal32'], bullseye: ['libgdal28'], jammy: ['libgdal30'] },
  // h5py links hdf5_hl too, a package of its own from HDF5 1.10.6 on (bullseye, jammy: found by review); focal's 1.10.4 has one.
  // libhdf5-serial-dev: a transitional name of libhdf5-dev (bookworm, bullseye, jammy, focal still carry it).
  'libhdf5-serial-dev': { bookworm: ['libhdf5-103-1', 'libhdf5-hl-100'], bullseye: ['libhdf5-103-1', 'libhdf5-hl-100'], jammy: ['libhdf5-103-1', 'libhdf5-hl-100'], focal: ['libhdf5-103'] },
  'libhdf5-dev': { bookworm: ['libhdf5-103-1', 'libhdf5-hl-100'], bullseye: ['libhdf5-103-1', 'libhdf5-hl-100'], jammy: ['libhdf5-103-1', 'libhdf5-hl-100'], focal: ['libhdf5-103'] },
  // unixODBC's library is libodbc1 up to 2.3.9 (bullseye, focal, jammy), libodbc2 from 2.3.11 (found by review).
  'unixodbc-dev': { '': ['libodbc2'], bookworm: ['libodbc2'], trixie: ['libodbc2'], noble: ['libodbc2'], bullseye: ['libodbc1'], focal: ['libodbc1'], jammy: ['libodbc1'] },
  'libkrb5-dev': ['libkrb5-3', 'libgssapi-krb5-2'],
  'libgmp-dev': ['libgmp10'],
  'libcairo2-dev': ['libcairo2'],
  // Checked on bookworm with `apt-cache depends <-dev>`; an array where the name is the same in the
  // other releases too, a per-release entry where a time64 rename (trixie, noble) or an older soname differs.
  'ocl-icd-opencl-dev': ['ocl-icd-libopencl1'],
  'libclblast-dev': ['libclblast1'],
  'libfuzzy-dev': ['libfuzzy2'],
  'libxrender-dev': ['libxrender1'],
  'libxext-dev': ['libxext6'],
  'libsm-dev': ['libsm6'],
  'libx11-dev': ['libx11-6'],
  'libxmu-dev': ['libxmu6'],
  'libxi-dev': ['libxi6'],
  'libglu1-mesa-dev': ['libglu1-mesa'],
  'libegl-dev': ['libegl1'],
  'libegl1-mesa-dev': ['libegl1'],
  'libfreeimage-dev': ['libfreeimage3'],
  'libjemalloc-dev': ['libjemalloc2'],
  'libhwloc-dev': ['libhwloc15'],
  'libudunits2-dev': ['libudunits2-0'],
  'libjansson-dev': ['libjansson4'],
  'libgif-dev': ['libgif7'],
  'libibverbs-dev': ['libibverbs1', 'ibverbs-providers'],
  'freetds-dev': ['libsybdb5', 'libct4'],
  'libgraphviz-dev': ['libgvc6', 'libcgraph6'],
  'graphviz-dev': ['libgvc6', 'libcgraph6'],
  'libxmlsec1-dev': { bookworm: ['libxmlsec1', 'libxmlsec1-openssl'], bullseye: ['libxmlsec1', 'libxmlsec1-openssl'], jammy: ['libxmlsec1', 'libxmlsec1-openssl'], focal: ['libxmlsec1', 'libxmlsec1-openssl'] },
  'libreadline-dev': { bookworm: ['libreadline8'], bullseye: ['libreadline8'], jammy: ['libreadline8'], focal: ['libreadline8'] },
  'libtbb-dev': { bookworm: ['libtbb12'], jammy: ['libtbb12'] },
  'libarchive-dev': { bookworm: ['libarchive13'], bullseye: ['libarchive13'], jammy: ['libarchive13'], focal: ['libarchive13'] },
};

/** Toolchain and headers that leave nothing behind at run time. */
const APT_NOTHING = /^(build-essential|gcc|g\+\+|cpp|clang|make|cmake|automake|autoconf|libtool|pkg-config|pkgconf|ninja-build|meson|swig|bison|flex|dpkg-dev|cargo|rustc|gfortran|python3?-dev|python3\.\d+-dev|libpython3(\.\d+)?-dev|linux-headers-.*|libc6?-dev|libc-dev)(-\d+(\.\d+)?)?$/;

/** Alpine: `-dev` package → run-time package. */
const APK_RUNTIME: Record<string, string[]> = {
  'postgresql-dev': ['libpq'],
  'libpq-dev': ['libpq'],
  'mariadb-dev': ['mariadb-connector-c'],
  'mariadb-connector-c-dev': ['mariadb-connector-c'],
  'jpeg-dev': ['libjpeg-turbo'],
  'libjpeg-turbo-dev': ['libjpeg-turbo'],
  'zlib-dev': ['zlib'],
  'libxml2-dev': ['libxml2'],
  'libxslt-dev': ['libxslt'],
  'libffi-dev': ['libffi'],
  'openssl-dev': ['openssl'],
  'libpng-dev': ['libpng'],
  'freetype-dev': ['freetype'],
  'openblas-dev': ['openblas'],
  'yaml-dev': ['yaml'],
  'geos-dev': ['geos'],
  'libmagic-dev': ['libmagic'],
};

const APK_NOTHING = /^(build-base|alpine-sdk|gcc|g\+\+|musl-dev|libc-dev|make|cmake|linux-headers|python3-dev|cargo|rust|pkgconf|pkgconfig|autoconf|automake|libtool|gfortran|clang|meson|ninja|samurai)$/;

/**
 * The compilers' own run-time libraries, which what they build in a builder stage links: Debian's
 * slim has libstdc++6 and libgcc-s1 (apt needs them); python:alpine has neither, and they came only
 * with the compiler. A C++ extension (annoy, pandas) links libstdc++, a Fortran one libgfortran,
 * gcc's and Rust's output libgcc_s (found by review: `Error loading shared library libstdc++.so.6`).
 * Optimize's only: a wheel from the index bundles its own (auditwheel), so SD203's fix, for a stage
 * where nothing is built, needs none of them.
 */
// gcc's OpenMP library too (libgomp): a source build with -fopenmp (scikit-learn, lightgbm from an
// sdist) links it, and the old image had it with the compiler (found by review).
const APK_COMPILER_RUNTIME: Record<string, string[]> = {
  'build-base': ['libstdc++', 'libgomp'],
  'alpine-sdk': ['libstdc++', 'libgomp'],
  'g++': ['libstdc++', 'libgomp'],
  clang: ['libstdc++'],
  gfortran: ['libgfortran', 'libgomp'],
  gcc: ['libgcc', 'libgomp'],
  cargo: ['libgcc'],
  rust: ['libgcc'],
};

/** The run-time libraries of a compiler whose output the final image runs (Alpine's; none on Debian). */
export function compilerRuntimeOf(name: string, manager: Manager): string[] {
  if (manager === 'apk') return APK_COMPILER_RUNTIME[name.toLowerCase()] ?? [];
  // Debian's and Ubuntu's slim images have libgcc and libstdc++ already; gcc brings libgomp1 (and
  // gfortran libgfortran5) besides, which an OpenMP build links.
  const n = name.toLowerCase();
  if (/^gfortran(-\d+)?$/.test(n)) return ['libgfortran5', 'libgomp1'];
  return /^(build-essential|gcc|g\+\+|cc|c\+\+)(-\d+)?$/.test(n) ? ['libgomp1'] : [];
}

export type Manager = 'apt' | 'apk';

export interface RuntimeAnswer {
  /** What the final image installs instead (empty: nothing). */
  packages: string[];
  /** False when the table does not know the package: keep it, say so. */
  known: boolean;
}

/**
 * Run-time packages whose name depends on the release (libffi7/libffi8, libodbc1/libodbc2): in an
 * entry of the table that gives one release another list than a second.
 */
const RELEASE_SPECIFIC = new Set(Object.values(APT_RUNTIME).flatMap((e) => {
  if (Array.isArray(e)) return [];
  const lists = Object.entries(e).filter(([k]) => k !== '').map(([, v]) => v);
  return lists.flat().filter((p) => !lists.every((l) => l.includes(p)));
}));
export function releaseSpecific(name: string): boolean {
  return RELEASE_SPECIFIC.has(name);
}

/** The run-time counterpart of a build-only package, for a distro codename (bookworm, jammy …). */
export function runtimeOf(name: string, manager: Manager, codename: string): RuntimeAnswer {
  const n = name.toLowerCase();
  if (manager === 'apk') {
    if (APK_NOTHING.test(n)) return { packages: [], known: true };
    const r = APK_RUNTIME[n];
    return r ? { packages: r, known: true } : { packages: [], known: false };
  }
  if (APT_NOTHING.test(n)) return { packages: [], known: true };
  const entry = APT_RUNTIME[n];
  if (!entry) return { packages: [], known: false };
  if (Array.isArray(entry)) return { packages: entry, known: true };
  const forDistro = entry[codename];
  return forDistro ? { packages: forDistro, known: true } : { packages: [], known: false };
}

/**
 * Packages the builder needs besides the toolchain, when the old file installed them: fetching
 * sources (pip from git, curl installers) and certificates.
 */
export const BUILD_HELPERS = new Set(['git', 'openssh-client', 'ssh', 'curl', 'wget', 'ca-certificates', 'gnupg', 'unzip']);

/** Distro packages of Python itself. In the final image only the interpreter stays. */
export function pythonPackageRole(name: string): 'interpreter' | 'tooling' | undefined {
  const n = name.toLowerCase();
  if (/^(python3(\.\d+)?|python-is-python3|python3(\.\d+)?-minimal|libpython3(\.\d+)?)$/.test(n)) return 'interpreter';
  if (/^(python3?(\.\d+)?-(pip|venv|setuptools|wheel|distutils|virtualenv)|py3-(pip|setuptools|wheel|virtualenv))$/.test(n)) return 'tooling';
  return undefined;
}
