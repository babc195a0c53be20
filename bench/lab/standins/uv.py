#!/usr/bin/env python3
"""slimdock lab stand-in for uv — NOT uv. uv cannot be downloaded on the lab machine, so this small
program accepts the subset of uv's command line that slimdock's fixes and Optimize emit and does
the same thing through pip: it installs into the same places (the project's .venv or
UV_PROJECT_ENVIRONMENT, a `uv venv`, the system with --system, --prefix/--target) and keeps its
downloads in uv's cache directory (--cache-dir, UV_CACHE_DIR, $XDG_CACHE_HOME/uv, ~/.cache/uv) unless
--no-cache/UV_NO_CACHE. Like uv it ignores PIP_* variables and pip.conf, creates venvs without pip and
does not compile bytecode unless asked. It measures the structure of a build, not uv's speed.

  uv pip install [--system] [--no-cache] [-r FILE]… [PKG]…
  uv sync [--locked|--frozen] [--no-install-project] [--no-dev] [--no-editable]
  uv venv [PATH]
  uv --version
"""
import os, re, subprocess, sys, tomllib

VERSION = "@UV_VERSION@"
LAB_INDEX = "@LAB_INDEX@"  # the lab's PyPI stand-in: what https://pypi.org/simple means here
CPU_INDEX = LAB_INDEX.replace("/simple", "/whl/cpu")
TRUE = {"1", "true", "yes", "on", "y", "t"}


def say(msg):
    print(f"uv-standin: {msg}", file=sys.stderr)


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


def env_true(name):
    return os.environ.get(name, "").strip().lower() in TRUE


def map_index(url):
    """Index URLs that cannot be reached from the lab are served by the lab index."""
    url = url.rstrip("/")
    if url in ("https://pypi.org/simple", "https://pypi.python.org/simple"):
        return LAB_INDEX
    if url.startswith("https://download.pytorch.org/whl/cpu"):
        return CPU_INDEX
    return url


class Opts:
    """Options uv accepts anywhere on the command line (the subset used by slimdock)."""

    FLAGS = {"--system", "--no-cache", "-n", "--locked", "--frozen", "--no-install-project", "--no-dev",
             "--no-editable", "--compile-bytecode", "--break-system-packages", "--no-deps", "-U", "--upgrade",
             "--all-extras", "--only-dev", "--inexact", "--exact", "--no-install-workspace", "--active",
             "--no-progress", "-q", "--quiet", "-v", "--verbose", "--offline", "--native-tls", "--seed",
             "--allow-existing", "--no-build-isolation", "--all-groups", "--no-default-groups", "--strict",
             "--require-hashes", "--no-python-downloads", "--no-sources", "--reinstall", "--no-managed-python",
             "--no-index"}
    VALUED = {"-r", "--requirement", "--requirements", "-c", "--constraint", "--constraints", "--python", "-p",
              "--prefix", "--target", "--index-url", "-i", "--default-index", "--extra-index-url", "--index",
              "--cache-dir", "--link-mode", "--project", "--directory", "--group", "--no-group", "--only-group",
              "--extra", "--index-strategy", "--torch-backend", "--python-preference", "--color", "-e",
              "--editable", "--keyring-provider", "--resolution", "--prerelease", "--python-platform",
              "--find-links", "-f"}

    def __init__(self, argv):
        self.flags, self.values, self.args = set(), {}, []
        i = 0
        while i < len(argv):
            a = argv[i]
            key, eq, val = a.partition("=")
            if a in self.FLAGS:
                self.flags.add(a)
            elif key in self.VALUED and eq:
                self.values.setdefault(key, []).append(val)
            elif a in self.VALUED:
                i += 1
                if i >= len(argv):
                    fail(f"{a} needs a value")
                self.values.setdefault(a, []).append(argv[i])
            elif a.startswith("-"):
                say(f"option {a} is not modelled by the stand-in; ignored")
            else:
                self.args.append(a)
            i += 1

    def has(self, *names):
        return any(n in self.flags for n in names)

    def get(self, *names):
        out = []
        for n in names:
            out += self.values.get(n, [])
        return out


def cache_args(o):
    if o.has("--no-cache", "-n") or env_true("UV_NO_CACHE"):
        return ["--no-cache-dir"]
    d = (o.get("--cache-dir") or [None])[-1] or os.environ.get("UV_CACHE_DIR")
    if not d:
        d = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "uv")
    return ["--cache-dir", os.path.join(d, "lab-standin-wheels")]


def index_args(o):
    # Offline installs from a wheel folder (Optimize's system mode): pip takes the same options.
    links = [a for f in o.get("--find-links", "-f") for a in ("--find-links", f)]
    if o.has("--no-index"):
        return ["--no-index"] + links
    default = (o.get("--index-url", "-i", "--default-index") or [None])[-1] or os.environ.get("UV_DEFAULT_INDEX") or os.environ.get("UV_INDEX_URL")
    extras = o.get("--extra-index-url", "--index")
    for var in ("UV_INDEX", "UV_EXTRA_INDEX_URL"):
        extras += os.environ.get(var, "").split()
    extras = [e.partition("=")[2] if re.match(r"^[A-Za-z0-9_-]+=", e) else e for e in extras]
    if not default and (os.environ.get("PIP_INDEX_URL") or os.environ.get("PIP_EXTRA_INDEX_URL")):
        say("WARNING: PIP_INDEX_URL/PIP_EXTRA_INDEX_URL is set but uv ignores PIP_* variables: "
            "real uv would use https://pypi.org/simple here (translate to UV_INDEX_URL/UV_DEFAULT_INDEX)")
    args = ["--index-url", map_index(default or "https://pypi.org/simple")] + links
    for e in extras:
        args += ["--extra-index-url", map_index(e)]
    return args


def bytecode_args(o):
    return [] if o.has("--compile-bytecode") or env_true("UV_COMPILE_BYTECODE") else ["--no-compile"]


def pip(target_args, args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}  # uv ignores PIP_*
    # pip caches only from https or trusted hosts; uv caches whatever it downloads, so trust the lab index.
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_ROOT_USER_ACTION="ignore", PIP_CONFIG_FILE=os.devnull,
               PIP_NO_INPUT="1", PIP_PROGRESS_BAR="off", PIP_TRUSTED_HOST="127.0.0.1")
    cmd = ["/usr/bin/env", "python3", "-m", "pip"] + target_args + ["install"] + args
    say("running " + " ".join(cmd[2:]))
    r = subprocess.run(cmd, env=env)
    if r.returncode:
        sys.exit(r.returncode)


def is_venv(path):
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def make_venv(path, seed=False):
    if not is_venv(path):
        args = ["python3", "-m", "venv"] + ([] if seed else ["--without-pip"]) + [path]
        say(f"creating virtual environment at {path}")
        if subprocess.run(["/usr/bin/env"] + args).returncode:
            fail(f"could not create {path}")


def target_for(o):
    """pip arguments that select where packages go, as uv chooses it."""
    prefix, target = o.get("--prefix"), o.get("--target")
    if prefix:
        return [], ["--prefix", prefix[-1], "--ignore-installed"]
    if target:
        return [], ["--target", target[-1]]
    py = (o.get("--python", "-p") or [None])[-1] or os.environ.get("UV_PYTHON")
    if o.has("--system") or env_true("UV_SYSTEM_PYTHON"):
        return ([] if not py or py.startswith("3") else ["--python", py]), []
    if py and os.path.sep in py:
        return ["--python", py], []
    venv = os.environ.get("VIRTUAL_ENV")
    if not venv:
        d = os.getcwd()
        while True:
            if is_venv(os.path.join(d, ".venv")):
                venv = os.path.join(d, ".venv")
                break
            if d == "/":
                break
            d = os.path.dirname(d)
    if not venv:
        fail("No virtual environment found; run `uv venv` to create an environment, or pass `--system` to install into a non-virtual environment")
    return ["--python", os.path.join(venv, "bin", "python")], []


def pip_install(o):
    sel, extra = target_for(o)
    reqs = []
    for r in o.get("-r", "--requirement", "--requirements"):
        reqs += ["-r", r]
    for c in o.get("-c", "--constraint", "--constraints"):
        reqs += ["-c", c]
    for e in o.get("-e", "--editable"):
        reqs += ["-e", e]
    flags = [f for f in ("--no-deps", "--break-system-packages", "--upgrade") if o.has(f)]
    if o.has("-U"):
        flags.append("--upgrade")
    pip(sel, extra + cache_args(o) + index_args(o) + bytecode_args(o) + flags + reqs + o.args)


def project_dir(o):
    d = (o.get("--directory", "--project") or [None])[-1]
    d = os.path.abspath(d or os.getcwd())
    while not os.path.isfile(os.path.join(d, "pyproject.toml")):
        if d == "/":
            fail("No `pyproject.toml` found in current directory or any parent directory")
        d = os.path.dirname(d)
    return d


def marker_ok(marker):
    if not marker:
        return True
    try:
        from pip._vendor.packaging.markers import Marker
        return Marker(marker).evaluate({"extra": ""})
    except Exception:
        return True


def sync(o):
    root = project_dir(o)
    pyproject = tomllib.load(open(os.path.join(root, "pyproject.toml"), "rb"))
    lock_path = os.path.join(root, "uv.lock")
    if not os.path.isfile(lock_path):
        if o.has("--locked", "--frozen") or env_true("UV_LOCKED") or env_true("UV_FROZEN"):
            fail("Unable to find lockfile at `uv.lock`, but `--locked`/`--frozen` was provided")
        fail("the stand-in only syncs from an existing uv.lock (it cannot resolve)")
    lock = tomllib.load(open(lock_path, "rb"))
    pkgs = {p["name"]: p for p in lock.get("package", [])}
    name = re.sub(r"[-_.]+", "-", pyproject.get("project", {}).get("name", "")).lower()
    me = pkgs.get(name) or next((p for p in pkgs.values() if "virtual" in p.get("source", {}) or "editable" in p.get("source", {})), None)
    if not me:
        fail(f"the project {name!r} is not in uv.lock")
    if o.has("--locked") or env_true("UV_LOCKED"):
        declared = sorted(re.split(r"[\s\[<>=!~;(]", d, 1)[0].lower() for d in pyproject.get("project", {}).get("dependencies", []))
        locked = sorted(d["name"] for d in me.get("metadata", {}).get("requires-dist", []))
        if [re.sub(r"[-_.]+", "-", d) for d in declared] != locked:
            fail("The lockfile at `uv.lock` needs to be updated, but `--locked` was provided. To update the lockfile, run `uv lock`.")
    no_dev = o.has("--no-dev") or env_true("UV_NO_DEV")
    groups = set() if no_dev or o.has("--no-default-groups") else {"dev"}
    groups |= set(o.get("--group"))
    if o.has("--all-groups"):
        groups |= set(me.get("dev-dependencies", {}))
    groups -= set(o.get("--no-group"))
    if o.get("--only-group"):
        groups = set(o.get("--only-group"))
    todo = [] if o.get("--only-group") or o.has("--only-dev") else list(me.get("dependencies", []))
    if o.has("--only-dev"):
        groups = {"dev"}
    for g in groups:
        todo += me.get("dev-dependencies", {}).get(g, [])
    extras = set(o.get("--extra"))
    for ex, deps in me.get("optional-dependencies", {}).items():
        if o.has("--all-extras") or ex in extras:
            todo += deps
    wanted = {}
    while todo:
        d = todo.pop()
        if not marker_ok(d.get("marker")):
            continue
        p = pkgs.get(d["name"])
        if p is None or (p["name"], p.get("version")) in wanted:
            continue
        if d.get("version") and d["version"] != p.get("version"):
            continue
        wanted[(p["name"], p.get("version"))] = p
        todo += p.get("dependencies", [])
    # Where the environment is: UV_PROJECT_ENVIRONMENT (relative to the project) or <project>/.venv.
    env_dir = os.path.join(root, os.environ.get("UV_PROJECT_ENVIRONMENT") or ".venv")
    if env_dir.rstrip("/") in ("/usr", "/usr/local"):
        sel, extra = [], ["--prefix", env_dir]
    else:
        make_venv(env_dir)
        sel, extra = ["--python", os.path.join(env_dir, "bin", "python")], []
    by_index = {}
    for p in wanted.values():
        src = p.get("source", {})
        if "registry" in src:
            by_index.setdefault(map_index(src["registry"]), []).append(f"{p['name']}=={p['version']}")
    default = (o.get("--index-url", "-i", "--default-index") or [None])[-1] or os.environ.get("UV_DEFAULT_INDEX") or os.environ.get("UV_INDEX_URL")
    for url, reqs in sorted(by_index.items()):
        if url == LAB_INDEX and default:
            url = map_index(default)
        pip(sel, extra + cache_args(o) + ["--index-url", url, "--no-deps"] + bytecode_args(o) + sorted(reqs))
    if o.has("--no-install-project") or o.has("--no-install-workspace"):
        return
    if "build-system" in pyproject:
        editable = not (o.has("--no-editable") or env_true("UV_NO_EDITABLE"))
        pip(sel, extra + ["--no-deps", "--no-build-isolation", "--no-index"] + (["-e", root] if editable else [root]))
    else:
        say("project has no [build-system]: not installed (uv treats it as a virtual project)")


def main():
    argv = sys.argv[1:]
    if os.path.basename(sys.argv[0]) == "uvx":
        if argv[:1] in (["--version"], ["-V"]):
            print(f"uv-tool-run {VERSION} (slimdock lab stand-in)")
            return
        fail("uvx is not modelled by the lab stand-in")
    if not argv or argv[0] in ("--version", "-V", "version"):
        print(f"uv {VERSION} (slimdock lab stand-in, not uv)")
        return
    # global options may precede the subcommand
    words = [a for a in argv if not a.startswith("-")]
    cmd = words[0] if words else ""
    if cmd == "pip":
        sub = words[1] if len(words) > 1 else ""
        rest = argv[argv.index(sub) + 1:] if sub else []
        pre = argv[:argv.index("pip")]
        if sub != "install":
            fail(f"`uv pip {sub}` is not modelled by the lab stand-in")
        return pip_install(Opts(pre + rest))
    rest = argv[:argv.index(cmd)] + argv[argv.index(cmd) + 1:]
    o = Opts(rest)
    if cmd == "sync":
        return sync(o)
    if cmd == "venv":
        path = o.args[0] if o.args else os.environ.get("UV_PROJECT_ENVIRONMENT") or ".venv"
        return make_venv(path, seed=o.has("--seed"))
    if cmd == "python":
        fail("managed Python downloads are not available in the lab (UV_PYTHON_DOWNLOADS=0 / a base with Python)")
    fail(f"`uv {cmd}` is not modelled by the lab stand-in")


if __name__ == "__main__":
    main()
