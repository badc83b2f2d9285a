#!/usr/bin/env python3
"""What `render = "browser"` costs: wall time and peak memory of one `pagefeed run`
over 10 feeds, plain against rendered, on a loopback site.

Usage: bench/render.py [--bin PATH] [--reps N] [--items N]

The site (started here, on 10 ports of 127.0.0.1, one "host" per feed) serves for feed
f a listing /f{f}/ of N items whose links are in the markup and which also loads a
small script (as most server-rendered sites do), and an article page per item. Three
configurations of the same 10 feeds, each run cold (new output folder) `--reps` times:

- plain:           render = "html" (the default)
- browser:         render = "browser" (the listing in Chromium; item pages plain)
- browser + items: render = "browser", render_items = true (every page in Chromium)

Memory is sampled every 20 ms: the peak RSS of pagefeed alone, and the peak of the
summed PSS of pagefeed and all its descendants (Chromium's browser, renderer, GPU and
utility processes; PSS splits shared pages among the processes that share them, so
the sum is the memory the tree really holds, where summed RSS would count Chromium's
shared libraries once per process). The ratios against plain are printed in the same table. The bench
builds nothing: give it a release binary (`--bin`, default target/release/pagefeed).
"""

import argparse
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

FEEDS = 10


def listing(f, n):
    items = "".join(
        f'<li class="post"><article><h2><a href="/f{f}/a{j}.html">Harbour report {f}.{j}: '
        f"the quay works go on</a></h2><time datetime=\"2026-11-{1 + j % 28:02d}T09:00:00Z\">"
        f"{1 + j % 28} November 2026</time><p>What changed on the quay this week, and what "
        f"comes next for the boats.</p></article></li>"
        for j in range(n)
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Section {f} | Loopback Harbour</title>"
        '<script src="/static/site.js" defer></script></head><body>'
        f'<header><nav><a href="/">Home</a></nav></header><main><h1>Section {f}</h1>'
        f'<ul class="posts">{items}</ul></main><footer>Loopback Harbour</footer>'
        "</body></html>"
    )


def article(f, j):
    para = (
        "<p>The harbour office set out the week's work on the quay, the berths that stay "
        "open meanwhile and the times the ferry keeps, for everyone who uses the port.</p>"
    ) * 6
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Harbour report {f}.{j}: the quay works go on</title>"
        '<meta name="author" content="Maren Holt">'
        f'<meta property="article:published_time" content="2026-11-{1 + j % 28:02d}T09:00:00Z">'
        '<script src="/static/site.js" defer></script></head><body><article>'
        f"<h1>Harbour report {f}.{j}: the quay works go on</h1>{para}</article></body></html>"
    )


SCRIPT = b"document.documentElement.dataset.ready = '1';"


class Handler(http.server.BaseHTTPRequestHandler):
    items = 10

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = self.path.split("?")[0]
        parts = path.strip("/").split("/")
        body, ctype, status = b"not found", "text/plain", 404
        if path == "/static/site.js":
            body, ctype, status = SCRIPT, "text/javascript", 200
        elif len(parts) >= 1 and parts[0].startswith("f") and parts[0][1:].isdigit():
            f = int(parts[0][1:])
            if len(parts) == 1:
                body, ctype, status = listing(f, self.items).encode(), "text/html", 200
            elif parts[1].startswith("a") and parts[1].endswith(".html"):
                j = int(parts[1][1:-5])
                body, ctype, status = article(f, j).encode(), "text/html", 200
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if "text" in ctype else ""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(items):
    Handler.items = items
    servers = []
    for _ in range(FEEDS):
        s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=s.serve_forever, daemon=True).start()
        servers.append(s)
    return servers


def config(d, servers, mode):
    extra = {
        "plain": "",
        "browser": 'render = "browser"\n',
        "browser + items": 'render = "browser"\nrender_items = true\n',
    }[mode]
    feeds = "".join(
        f'[[feed]]\nid = "f{f}"\nurl = "http://127.0.0.1:{s.server_address[1]}/f{f}/"\n{extra}\n'
        for f, s in enumerate(servers)
    )
    path = os.path.join(d, "pagefeed.toml")
    with open(path, "w") as fh:
        fh.write(f'[settings]\nper_host_delay = "0s"\nrespect_robots = false\n\n{feeds}')
    return path


def mem_kib(pid, field):
    """`VmRSS` from /proc/PID/status, or `Pss` from smaps_rollup (a process's share of
    the pages it shares with others, so a sum over processes counts each page once)."""
    path = f"/proc/{pid}/status" if field == "VmRSS:" else f"/proc/{pid}/smaps_rollup"
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    """pid and every process below it, from /proc/*/stat parent links."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def timed_run(binary, cfg):
    start = time.monotonic()
    proc = subprocess.Popen(
        [binary, "--config", cfg, "run"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak_tree = peak_self = 0
    while proc.poll() is None:
        tree = sum(mem_kib(p, "Pss:") for p in descendants(proc.pid))
        peak_tree = max(peak_tree, tree)
        peak_self = max(peak_self, mem_kib(proc.pid, "VmRSS:"))
        time.sleep(0.02)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit(f"pagefeed run failed ({proc.returncode}):\n{err}")
    return wall, peak_self / 1024, peak_tree / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/pagefeed")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--items", type=int, default=10)
    a = ap.parse_args()
    servers = serve(a.items)
    rows = {}
    for mode in ["plain", "browser", "browser + items"]:
        runs = []
        for _ in range(a.reps):
            with tempfile.TemporaryDirectory() as d:
                runs.append(timed_run(a.bin, config(d, servers, mode)))
        rows[mode] = (
            statistics.median(r[0] for r in runs),
            max(r[1] for r in runs),
            max(r[2] for r in runs),
        )
    base = rows["plain"]
    print(f"{FEEDS} feeds x {a.items} items, loopback, median wall of {a.reps} cold runs, peak RSS the largest")
    print("| run | wall | vs plain | peak RSS, pagefeed | peak PSS, with Chromium | vs plain |")
    print("|---|---:|---:|---:|---:|---:|")
    for mode, (wall, own, tree) in rows.items():
        print(
            f"| {mode} | {wall:.2f} s | {wall / base[0]:.1f}x | {own:.0f} MB | {tree:.0f} MB "
            f"| {tree / base[2]:.1f}x |"
        )


if __name__ == "__main__":
    main()
