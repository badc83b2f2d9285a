#!/usr/bin/env python3
"""Peak memory of `pagefeed run` on one big body, against the same run on a small one.

Serves generated bodies on 127.0.0.1 and runs the release binary (`--bin`, default
target/release/pagefeed) once per body with `follow = false`, so the body is all the run
reads. For each it prints the body size, the peak RSS of the process (wait4's
ru_maxrss) and the peak minus the small baseline run's peak, divided by the body size
("× body"): the memory the body itself costs.

  python3 bench/memory.py [--bin PATH] [--rounds 3]
"""
import argparse
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sitemap(n):
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
    rows = []
    for i in range(n):
        d = 1 + i % 28
        m = 1 + (i // 28) % 12
        rows.append(f"<url><loc>http://127.0.0.1/articles/{2000 + i % 25}/section-{i % 40}/"
                    f"a-reasonably-long-article-slug-number-{i}.html</loc>"
                    f"<lastmod>20{10 + i % 15}-{m:02}-{d:02}T08:{i % 60:02}:00+00:00</lastmod>"
                    f"<changefreq>monthly</changefreq><priority>0.5</priority></url>\n")
    return (head + "".join(rows) + "</urlset>\n").encode()


def rss(n, words=300):
    text = " ".join(f"word{j}" for j in range(words))
    items = []
    for i in range(n):
        items.append(f"<item><title>Episode {i}: a title of ordinary length</title>"
                     f"<link>http://127.0.0.1/episodes/{i}</link>"
                     f"<guid>http://127.0.0.1/episodes/{i}</guid>"
                     f"<pubDate>Mon, 0{1 + i % 9} Jun 2026 10:00:00 GMT</pubDate>"
                     f"<description><![CDATA[<p>{text}</p>]]></description></item>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            "<title>Big feed</title><link>http://127.0.0.1/</link><description>d</description>\n"
            + "".join(items) + "</channel></rss>\n").encode()


def serve(bodies):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def peak_mb(binary, port, path, source):
    with tempfile.TemporaryDirectory() as d:
        cfg = Path(d) / "pagefeed.toml"
        cfg.write_text("\n".join([
            "[settings]", 'output_dir = "feeds"', 'per_host_delay = "0s"',
            'max_body_size = "100MiB"', "",
            "[[feed]]", 'id = "big"', f'url = "http://127.0.0.1:{port}{path}"',
            f'source = "{source}"', "follow = false", "max_items = 50", ""]))
        p = subprocess.Popen([binary, "--config", str(cfg), "run"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, status, ru = os.wait4(p.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"pagefeed run on {path} exited {code}: {p.stderr.read().decode()[-800:]}")
        return ru.ru_maxrss / 1024


BODIES = {
    "/small-sitemap.xml": lambda: sitemap(100),
    "/sitemap.xml": lambda: sitemap(260_000),
    "/small-feed.xml": lambda: rss(10),
    "/feed.xml": lambda: rss(5_400),
    "/dense-feed.xml": lambda: rss(60_000, words=8),
}


def server_process():
    """The bodies live in a child process: a run's peak RSS (ru_maxrss) counts the
    forked parent's pages before exec, so the process that starts pagefeed stays small."""
    bodies = {k: v() for k, v in BODIES.items()}
    srv = serve(bodies)
    print(srv.server_address[1], " ".join(f"{k}={len(v)}" for k, v in bodies.items()),
          flush=True)
    sys.stdin.read()
    srv.shutdown()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "pagefeed"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.serve:
        return server_process()
    srv = subprocess.Popen([sys.executable, __file__, "--serve"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    first = srv.stdout.readline().split()
    port = int(first[0])
    sizes = {k: int(v) for k, v in (kv.split("=") for kv in first[1:])}
    runs = [("sitemap", "/small-sitemap.xml", "/sitemap.xml"),
            ("feed", "/small-feed.xml", "/feed.xml"),
            ("feed", "/small-feed.xml", "/dense-feed.xml")]
    print(f"{'body':<18} {'MB':>7} {'peak MB':>9} {'baseline MB':>12} {'× body':>7}")
    for source, small, big in runs:
        base = statistics.median(peak_mb(a.bin, port, small, source) for _ in range(a.rounds))
        peak = statistics.median(peak_mb(a.bin, port, big, source) for _ in range(a.rounds))
        mb = sizes[big] / 2**20
        print(f"{big.strip('/'):<18} {mb:>7.1f} {peak:>9.1f} {base:>12.1f} {(peak - base) / mb:>7.2f}")
    srv.stdin.close()
    srv.wait(timeout=30)


if __name__ == "__main__":
    main()
