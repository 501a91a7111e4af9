#!/usr/bin/env python3
"""Writes src/link-order.txt: the functions the server runs, hottest first (see src/build.rs).

    python3 benches/link_order.py          # about 2 minutes after the release build

Builds the release executable and the pages benchmark's data sets (`BENCH_PREPARE_ONLY=1 cargo
bench --bench pages`), starts `konkurs serve` under valgrind's callgrind, and has it serve what
its users ask for: every page an anonymous visitor, an applicant, a juror and an organiser reach
by following links from their start pages, in Polish and in English, the busiest pages as a
browser asks for them (compressed) and after a hard reload, a failed login and a registration
with errors. The functions of the executable that ran are listed by the instructions they ran.

Run it again after changing dependencies or the compiler (their functions' names change with
them): names the linker does not find only cost memory. Needs valgrind and nm (binutils).
"""
import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "link-order.txt"
PASSWORD = "lantern orchard quietly forty-two"  # the pages benchmark's accounts
JUROR, ORGANISER = "juror@bench.example", "organiser@bench.example"
BROWSER = "gzip, deflate, br, zstd"
# Pages of the same shape (ids differ) fetched at most this often: the code is the same.
PER_SHAPE = 2
# Links not followed: logging out ends the session; downloads are large and stream the same code.
SKIP = re.compile(r"/logout|/assets/|\.zip$")


def run(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=True, **kw)


class Client:
    """A browser's cookie jar; does not follow redirects."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None, headers=None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=600) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def post_form(self, path, fields):
        _, page = self.request(path)
        found = re.search(rb'name="csrf" value="([^"]+)"', page)
        fields = dict(fields, csrf=found.group(1).decode() if found else "")
        return self.request(path, urllib.parse.urlencode(fields).encode())

    def crawl(self, starts, limit=250):
        seen, shapes, queue, fetched = set(), {}, list(starts), 0
        while queue and fetched < limit:
            path = queue.pop(0)
            if path in seen or SKIP.search(path):
                continue
            seen.add(path)
            shape = re.sub(r"\d+", "N", path.split("?")[0])
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            status, body = self.request(path)
            fetched += 1
            print(f"  {status} {path}", flush=True)
            for href in re.findall(rb'href="(/[^"#]*)"', body):
                link = href.decode().replace("&amp;", "&")
                if link not in seen:
                    queue.append(link)
        return fetched


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def prepare_data():
    out = run(
        ["cargo", "bench", "--bench", "pages"],
        env=dict(os.environ, BENCH_PREPARE_ONLY="1"),
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"data directory kept: (.+)", out)
    if not found:
        sys.exit(f"no data directory in the benchmark's output:\n{out}")
    data = Path(found.group(1).strip())
    # One applicant of the model edition gets the benchmark's password (same hash).
    db = sqlite3.connect(data / "konkurs.db")
    with db:
        db.execute(
            "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = ?) "
            "WHERE id = (SELECT MIN(id) FROM users WHERE role = 'applicant')",
            (ORGANISER,),
        )
    applicant = db.execute(
        "SELECT email FROM users WHERE id = (SELECT MIN(id) FROM users WHERE role = 'applicant')"
    ).fetchone()[0]
    db.close()
    return data, applicant


def workload(base, applicant):
    anon = Client(base)
    for lang in ("pl", "en"):
        anon.request(f"/?lang={lang}")
        anon.crawl(["/", "/editions", "/login", "/register", "/password/forgot"])
    for path in ("/", "/editions/vi-edycja/results", "/editions"):
        anon.request(path, headers={"Accept-Encoding": BROWSER})
    anon.post_form("/login", {"email": JUROR, "password": "wrong", "next": ""})
    anon.post_form("/register", {"email": "not an address", "name": "\u202e\u0000x"})
    for email in (applicant, JUROR, ORGANISER):
        for lang in ("pl", "en"):
            user = Client(base)
            user.request(f"/?lang={lang}")
            status, _ = user.post_form("/login", {"email": email, "password": PASSWORD, "next": ""})
            if status != 303:
                sys.exit(f"login of {email} answered {status}")
            user.crawl(["/", "/jury", "/admin", "/account", "/entries"])
            for path in ("/jury", "/admin/editions/3/entries", "/admin/editions/3/ranking"):
                for headers in ({}, {"Accept-Encoding": BROWSER}, {"Cache-Control": "no-cache"}):
                    user.request(path, headers=headers)


def self_costs(profile):
    """Instructions each function ran itself, from an uncompressed callgrind profile."""
    costs, current, after_call = {}, None, False
    with open(profile, errors="replace") as f:
        for line in f:
            if line.startswith("fn="):
                current, after_call = line[3:].strip(), False
                costs.setdefault(current, 0)
            elif line.startswith("calls="):
                after_call = True  # the next cost line is the call's, not the function's
            elif line[:1].isdigit() or line[:1] in "+-*":
                fields = line.split()
                if after_call:
                    after_call = False
                elif current is not None and len(fields) > 1 and fields[1].isdigit():
                    costs[current] += int(fields[1])
    return costs


def main():
    run(["cargo", "build", "--release", "--bin", "konkurs"])
    data, applicant = prepare_data()
    work = Path(tempfile.mkdtemp(prefix="konkurs-order-"))
    binary = work / "konkurs"  # a copy: a build during the run cannot replace it
    binary.write_bytes((ROOT / "target" / "release" / "konkurs").read_bytes())
    binary.chmod(0o755)
    profile = work / "callgrind.out"
    port = 18000 + os.getpid() % 1000
    env = {k: v for k, v in os.environ.items() if not k.startswith("KONKURS_")}
    env.update(
        DATABASE_URL=f"sqlite://{data / 'konkurs.db'}",
        KONKURS_SECRET_KEY="k" * 64,
        RUST_LOG="warn",
    )
    server = subprocess.Popen(
        [
            "valgrind", "--tool=callgrind", "--demangle=no", "--compress-strings=no",
            "--compress-pos=no", f"--callgrind-out-file={profile}",
            str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--data-dir", str(data),
        ],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        workload(base, applicant)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=300)
    costs = self_costs(profile)
    symbols = subprocess.run(
        ["nm", "--defined-only", str(binary)], capture_output=True, text=True, check=True
    ).stdout
    own = {p[2] for p in (l.split() for l in symbols.splitlines()) if len(p) == 3 and p[1] in "tTwW"}
    ran = sorted((name for name in costs if name in own), key=lambda n: (-costs[n], n))
    OUT.write_text(
        "# Functions rust-lld lays out first, in this order, in an optimised build (src/build.rs).\n"
        "# Written by benches/link_order.py: the functions the server ran, hottest first.\n"
        + "".join(name + "\n" for name in ran)
    )
    print(f"{OUT.relative_to(ROOT)}: {len(ran)} functions of {len(own)}")


if __name__ == "__main__":
    main()
