#!/usr/bin/env python3
"""Writes the lab's wheels: valid, installable wheels whose names mirror real packages and whose
file sizes mirror the real wheels' download sizes.

Each wheel is a zip with `<module>/__init__.py` (one tiny importable module), a payload file
`<module>/_lab_payload.bin` of incompressible pseudo-random bytes (random.Random seeded with the
name and version, stored uncompressed) padding the wheel to the target size, and the
`*.dist-info/` files pip needs: METADATA (with Requires-Dist), WHEEL, top_level.txt, RECORD, and
entry_points.txt for the stand-in tools. Deterministic: the same catalog gives the same bytes, so a
second run rewrites nothing.

usage: make_wheels.py CATALOG WHEEL_SIZES_JSON OUT_DIR INDEX_URL
"""
import base64, hashlib, io, json, os, random, re, sys, zipfile

OVERHEAD = 1200  # approximate bytes of zip structure + metadata, subtracted from the payload


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(pkg, size, standins, index_url):
    name, version = pkg["name"], pkg["version"]
    dist = re.sub(r"[-_.]+", "_", name)
    module = pkg.get("module", dist)
    info = f"{dist}-{version}.dist-info"
    files = {}
    files[f"{module}/__init__.py"] = f'"""slimdock lab stand-in for {name} {version}."""\n__version__ = "{version}"\n'.encode()
    entry_points = None
    if "standin" in pkg:
        src = open(os.path.join(standins, pkg["standin"] + ".py"), encoding="utf-8").read()
        files[f"{module}/console.py"] = src.replace("@LAB_INDEX@", index_url).encode()
        entry_points = f"[console_scripts]\n{name} = {module}.console:main\n"
    meta = [f"Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
            f"Summary: slimdock lab stand-in for {name} (random payload sized like the real wheel)",
            "Requires-Python: >=3.8"] + [f"Requires-Dist: {d}" for d in pkg.get("deps", [])]
    files[f"{info}/METADATA"] = ("\n".join(meta) + "\n").encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: slimdock-lab\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{info}/top_level.txt"] = f"{module}\n".encode()
    if entry_points:
        files[f"{info}/entry_points.txt"] = entry_points.encode()
    payload_len = max(0, size - OVERHEAD - sum(len(v) for v in files.values())) if size else 0
    if payload_len:
        files[f"{module}/_lab_payload.bin"] = random.Random(f"{name}=={version}").randbytes(payload_len)
    record = "".join(f"{p},{record_hash(d)},{len(d)}\n" for p, d in files.items()) + f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p, d in files.items():
            zi = zipfile.ZipInfo(p, date_time=(2025, 1, 1, 0, 0, 0))
            zi.external_attr = 0o644 << 16
            # The payload is random: deflate would not shrink it. Text is deflated like real wheels.
            z.writestr(zi, d, zipfile.ZIP_STORED if p.endswith(".bin") else zipfile.ZIP_DEFLATED)
    return f"{dist}-{version}-py3-none-any.whl", buf.getvalue()


def main():
    catalog_path, sizes_path, out, index_url = sys.argv[1:5]
    catalog = json.load(open(catalog_path))
    table = json.load(open(sizes_path))["packages"]
    standins = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "standins")
    os.makedirs(os.path.join(out, "files"), exist_ok=True)
    manifest = []
    for pkg in catalog["packages"]:
        real = pkg.get("size", table.get(norm(pkg["name"])))
        scale = catalog["torchScale"] if pkg.get("scale") else 1
        target = real // scale if real else None
        fname, data = build_wheel(pkg, target, standins, index_url)
        path = os.path.join(out, "files", fname)
        if not (os.path.exists(path) and os.path.getsize(path) == len(data) and open(path, "rb").read() == data):
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.replace(path + ".tmp", path)
        manifest.append({"name": norm(pkg["name"]), "version": pkg["version"], "file": fname,
                         "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                         "realSize": real, "scale": scale, "index": pkg.get("index", "pypi"),
                         "deps": pkg.get("deps", []), "sizeNote": pkg.get("sizeNote")})
    json.dump(manifest, open(os.path.join(out, "manifest.json"), "w"), indent=1)
    total = sum(m["size"] for m in manifest)
    print(f"{len(manifest)} wheels, {total / 1e6:.1f} MB in {out}/files")


if __name__ == "__main__":
    main()
