"""Peer runner: trafilatura (PyPI), full extraction (metadata + main content).

Same protocol as pagefeed's bench: pages loaded up front, one untimed warm-up pass,
then the median of ROUNDS timed passes. Start-up and imports are outside the clock.
"""
import json
import sys
import time

import trafilatura


def main():
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
