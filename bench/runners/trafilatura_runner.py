"""Peer runner: trafilatura (PyPI), full extraction (metadata + main content).

Same protocol as pagefeed's bench: pages loaded up front, one untimed warm-up pass,
then the median of ROUNDS timed passes. Start-up and imports are outside the clock.

`--content MANIFEST` (lines `id<TAB>path<TAB>url`) instead prints one JSON line per page,
`{"id", "content_html"}`, for bench/content_peers.py: `trafilatura.extract` with its
default settings (plain text out), each line of the text escaped into a `<p>` so that
the scorer's HTML-to-text step gives back exactly trafilatura's text.
"""
import html as htmllib
import json
import sys
import time

import trafilatura


def content_mode(manifest):
    for line in open(manifest, encoding="utf-8"):
        if not line.strip():
            continue
        pid, path, url = line.rstrip("\n").split("\t")
        with open(path, "rb") as f:
            page = f.read().decode("utf-8", "replace")
        try:
            text = trafilatura.extract(page, url=url or None) or ""
        except Exception as e:  # one page's failure is that page's empty answer
            print(f"{pid}: {e}", file=sys.stderr)
            text = ""
        out = "".join(f"<p>{htmllib.escape(t)}</p>" for t in text.split("\n") if t.strip())
        print(json.dumps({"id": pid, "content_html": out}), flush=True)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--content":
        content_mode(sys.argv[2])
        return
    manifest, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
    pages = []
    for line in open(manifest, encoding="utf-8"):
        if line.strip():
            path, url = line.rstrip("\n").split("\t")
            with open(path, "rb") as f:
                pages.append((f.read().decode("utf-8", "replace"), url))
    size = sum(len(p[0].encode()) for p in pages)

    def one_pass():
        t = time.perf_counter()
        for html, url in pages:
            trafilatura.bare_extraction(html, url=url, with_metadata=True)
        return time.perf_counter() - t

    one_pass()
    times = sorted(one_pass() for _ in range(rounds))
    s = times[len(times) // 2]
    print(json.dumps({"pages": len(pages), "bytes": size, "seconds": s,
                      "pages_per_s": len(pages) / s, "mb_per_s": size / 1e6 / s,
                      "version": trafilatura.__version__}))


main()
