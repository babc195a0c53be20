#!/usr/bin/env python3
"""The lab's package index on 127.0.0.1: PEP 503 simple pages and wheel files, with the caching
headers PyPI sends (pages: `Cache-Control: max-age=600, public`; files: long-lived `immutable`),
ETags and conditional requests, so pip's HTTP cache behaves as against PyPI.

  /simple/                 the PyPI stand-in (every package, CUDA torch)
  /whl/cpu/                the download.pytorch.org/whl/cpu stand-in (torch +cpu; other names as /simple/)
  /files/<wheel>           the wheels

usage: serve.py DIR PORT   (DIR holds manifest.json and files/ from make_wheels.py)
"""
import hashlib, html, json, os, re, sys, urllib.parse
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, PORT = sys.argv[1], int(sys.argv[2])
MANIFEST = json.load(open(os.path.join(ROOT, "manifest.json")))
STARTED = formatdate(usegmt=True)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def entries(index, name):
    own = [m for m in MANIFEST if m["name"] == name and m["index"] == index]
    return own or [m for m in MANIFEST if m["name"] == name and m["index"] == "pypi"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))

    def send_body(self, body, ctype, cache, etag):
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", STARTED)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def page(self, title, links):
        items = "\n".join(f'    <a href="{html.escape(h)}">{html.escape(t)}</a><br/>' for h, t in links)
        body = f"<!DOCTYPE html>\n<html>\n  <head><meta name=\"pypi:repository-version\" content=\"1.0\"><title>{html.escape(title)}</title></head>\n  <body>\n{items}\n  </body>\n</html>\n".encode()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        self.send_body(body, "text/html; charset=utf-8", "max-age=600, public", etag)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = urllib.parse.unquote(self.path.split("?")[0])
        m = re.fullmatch(r"/(simple|whl/cpu)(/([^/]+))?(/?)", path)
        if m:
            index = "pypi" if m.group(1) == "simple" else "cpu"
            if not m.group(4):  # PEP 503: redirect to the trailing-slash form
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if not m.group(3):
                names = sorted({e["name"] for e in MANIFEST})
                return self.page("Simple index", [(f"{n}/", n) for n in names])
            found = entries(index, norm(m.group(3)))
            if not found:
                return self.send_error(404)
            prefix = "../" * (path.count("/") - 1)
            return self.page(f"Links for {found[0]['name']}",
                             [(f"{prefix}files/{e['file']}#sha256={e['sha256']}", e["file"]) for e in found])
        m = re.fullmatch(r"/files/([A-Za-z0-9_.+-]+\.whl)", path)
        if m:
            e = next((e for e in MANIFEST if e["file"] == m.group(1)), None)
            if not e:
                return self.send_error(404)
            etag = '"%s"' % e["sha256"]
            if self.headers.get("If-None-Match") == etag:
                return self.send_body(b"", "", "max-age=365000000, immutable, public", etag)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(e["size"]))
            self.send_header("Cache-Control", "max-age=365000000, immutable, public")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", STARTED)
            self.send_header("Accept-Ranges", "none")
            self.end_headers()
            if self.command != "HEAD":
                with open(os.path.join(ROOT, "files", e["file"]), "rb") as f:
                    while chunk := f.read(1 << 20):
                        self.wfile.write(chunk)
            return
        self.send_error(404)


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
