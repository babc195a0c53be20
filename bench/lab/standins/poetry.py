"""slimdock lab stand-in for poetry — NOT poetry. Packaged into the lab's `poetry` wheel (which
pulls poetry's real dependency set, sized like the real wheels). Models the commands Dockerfiles
use: `poetry config KEY VALUE`, `poetry install [--no-root] [--only main|--without dev|--with X]
[--no-cache] [--sync]`, `poetry export -f requirements.txt -o FILE [--without-hashes] [--only main]`
and `--version`. Installs the packages pinned in poetry.lock through pip, into the system when
virtualenvs.create is false, else into a virtualenv (in-project `.venv` or poetry's cache dir),
keeping downloads in poetry's cache dir (POETRY_CACHE_DIR, default ~/.cache/pypoetry) unless --no-cache.
"""
import os, re, subprocess, sys, tomllib

LAB_INDEX = "@LAB_INDEX@"  # the lab's PyPI stand-in
TRUE = {"1", "true", "yes", "on"}


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def config_path():
    base = os.environ.get("POETRY_CONFIG_DIR") or os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"), "pypoetry")
    return os.path.join(base, "config.toml")


def setting(key, default):
    env = "POETRY_" + key.upper().replace(".", "_").replace("-", "_")
    if env in os.environ:
        return os.environ[env].strip().lower() in TRUE
    try:
        conf = tomllib.load(open(config_path(), "rb"))
    except OSError:
        return default
    sect, _, k = key.partition(".")
    v = conf.get(sect, {}).get(k)
    return default if v is None else bool(v)


def config(args):
    args = [a for a in args if not a.startswith("-")]
    if len(args) < 2:
        return
    key, value = args[0], args[1].lower() in TRUE
    path = config_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    sect, _, k = key.partition(".")
    lines = open(path).read().splitlines() if os.path.exists(path) else []
    conf = {}
    cur = None
    for line in lines:
        m = re.match(r"\[(.+)\]", line)
        if m:
            cur = m.group(1)
        elif "=" in line and cur:
            a, b = (s.strip() for s in line.split("=", 1))
            conf.setdefault(cur, {})[a] = b
    conf.setdefault(sect, {})[k] = "true" if value else "false"
    with open(path, "w") as f:
        for s, kv in conf.items():
            f.write(f"[{s}]\n" + "".join(f"{a} = {b}\n" for a, b in kv.items()))


def selected(args, lock):
    only = [v for a, v in zip(args, args[1:] + [""]) if a == "--only"] + [a.split("=", 1)[1] for a in args if a.startswith("--only=")]
    without = [v for a, v in zip(args, args[1:] + [""]) if a == "--without"] + [a.split("=", 1)[1] for a in args if a.startswith("--without=")]
    groups = set(g for o in only for g in o.split(",")) if only else None
    excluded = set(g for w in without for g in w.split(","))
    out = []
    for p in lock.get("package", []):
        pg = set(p.get("groups") or [p.get("category", "main")])
        if groups is not None and not (pg & groups):
            continue
        if pg <= excluded:
            continue
        out.append(f"{p['name']}=={p['version']}")
    return sorted(out)


def install(args):
    if not os.path.isfile("pyproject.toml") or not os.path.isfile("poetry.lock"):
        fail("Poetry could not find a pyproject.toml and poetry.lock in the current directory")
    lock = tomllib.load(open("poetry.lock", "rb"))
    reqs = selected(args, lock)
    cache = os.environ.get("POETRY_CACHE_DIR") or os.path.expanduser("~/.cache/pypoetry")
    if "--no-cache" in args or os.environ.get("POETRY_NO_CACHE", "").lower() in TRUE:
        cache_args = ["--no-cache-dir"]
    else:
        cache_args = ["--cache-dir", os.path.join(cache, "artifacts")]
    if setting("virtualenvs.create", True):
        venv = os.path.join(os.getcwd(), ".venv") if setting("virtualenvs.in-project", False) else os.path.join(cache, "virtualenvs", "app-py3")
        if not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
            subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
        target = ["--python", os.path.join(venv, "bin", "python")]
    else:
        target = []
    # pip caches only from https or trusted hosts; poetry caches whatever it downloads.
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_ROOT_USER_ACTION="ignore", PIP_TRUSTED_HOST="127.0.0.1")
    index = os.environ.get("PIP_INDEX_URL") or LAB_INDEX  # stand-in: sources from PIP_INDEX_URL, else the lab's PyPI
    cmd = [sys.executable, "-m", "pip"] + target + ["install", "--no-deps", "--index-url", index] + cache_args + reqs
    print("poetry-standin: " + " ".join(cmd[1:]), file=sys.stderr)
    r = subprocess.run(cmd, env=env)
    if r.returncode:
        sys.exit(r.returncode)
    if "--no-root" not in args and "--only-root" not in args:
        print("poetry-standin: project not installed (the lab's projects are not packages)", file=sys.stderr)


def export(args):
    lock = tomllib.load(open("poetry.lock", "rb"))
    out = None
    for i, a in enumerate(args):
        if a in ("-o", "--output") and i + 1 < len(args):
            out = args[i + 1]
        elif a.startswith("--output="):
            out = a.split("=", 1)[1]
    text = "".join(r + "\n" for r in selected(args, lock))
    if out:
        open(out, "w").write(text)
    else:
        sys.stdout.write(text)


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("--version", "-V"):
        print("Poetry (version 2.1.1, slimdock lab stand-in)")
        return
    cmd, rest = args[0], args[1:]
    if cmd == "config":
        return config(rest)
    if cmd in ("install", "sync"):
        return install(rest)
    if cmd == "export":
        return export(rest)
    if cmd == "self" or cmd == "check":
        return
    fail(f"poetry {cmd}: not modelled by the lab stand-in")


if __name__ == "__main__":
    main()
