#!/usr/bin/env python3
"""pagefeed's main content (`content = "full"`) and its peers' on the same pages, in one run.

    python3 bench/content_peers.py [--bin PATH] [--pages DIR] [--only NAMES] [--no-install]

Scores pagefeed, trafilatura, Mozilla Readability (on jsdom) and dom_smoothie with
../shared/eval/run-content.py over the article pages of ../shared/content (or --pages) and
prints one Markdown table: pages, 4-gram precision, recall, F1, token F1 and the pages
without content, for all pages and for the two halves the README uses (parity of the MD5
of the page id: even = developed on, odd = held out).

run-content.py runs `BIN extract --batch MANIFEST --content`; for each peer a small shim
taking those arguments is written into a temporary folder and calls the peer's runner in
bench/runners/ in its content mode (one JSON line `{"id", "content_html"}` per page).
The peers are installed into bench/peers/ (git-ignored) by bench.py's install_peers();
pagefeed is not built here (`cargo build --release` first, or give --bin). The peers only
read files: nothing leaves the machine.
"""
import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import bench

ROOT = bench.ROOT
PEERS = bench.PEERS
EVAL = ROOT.parent / "shared" / "eval" / "run-content.py"


def default_bin():
    target = os.environ.get("CARGO_TARGET_DIR")
    return str(Path(target) / "release" / "pagefeed") if target else \
        str(ROOT / "target" / "release" / "pagefeed")


def dom_smoothie_version():
    lock = PEERS / "dom_smoothie" / "Cargo.lock"
    if lock.exists():
        lines = lock.read_text().splitlines()
        for i, line in enumerate(lines):
            if line == 'name = "dom_smoothie"' and i + 1 < len(lines):
                return lines[i + 1].split('"')[1]
    return "0.19"


def peer_commands():
    """Name, label and the command that prints a content manifest's JSON lines."""
    runners = bench.BENCH / "runners"
    node_path = PEERS / "node" / "node_modules"
    return [
        ("trafilatura", f"trafilatura {bench.TRAFILATURA_VERSION}",
         [str(PEERS / "venv" / "bin" / "python"), str(runners / "trafilatura_runner.py")], {}),
        ("dom_smoothie", f"dom_smoothie {dom_smoothie_version()}",
         [str(PEERS / "cargo-target" / "release" / "dom-smoothie-runner")], {}),
        ("readability", f"Mozilla Readability {bench.READABILITY_VERSION} "
                        f"(jsdom {bench.JSDOM_VERSION})",
         ["node", str(runners / "readability_runner.js")], {"NODE_PATH": str(node_path)}),
    ]


def write_shim(folder, name, cmd, env):
    """An executable that accepts `extract --batch MANIFEST --content` like pagefeed."""
    exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items())
    path = Path(folder) / name
    path.write_text(
        "#!/bin/sh\n"
        'if [ "$#" -ne 4 ] || [ "$1" != extract ] || [ "$2" != --batch ] '
        '|| [ "$4" != --content ]; then\n'
        '  echo "usage: $0 extract --batch MANIFEST --content" >&2; exit 2\n'
        "fi\n" + exports +
        "exec " + " ".join(shlex.quote(c) for c in cmd) + ' --content "$3"\n')
    path.chmod(0o755)
    return str(path)


def score(binary, pages, details):
    cmd = [sys.executable, str(EVAL), "--bin", binary, "--json", "--details", details]
    if pages:
        cmd += ["--pages", pages]
    bench.log("$ " + " ".join(cmd))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    total = json.loads(out.strip().splitlines()[-1])
    with open(details, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return total, rows


def half(page_id):
    return int(hashlib.md5(page_id.encode()).hexdigest(), 16) % 2


def summary(rows):
    """The scorer's own averages over a subset of its per-page rows."""
    n = len(rows) or 1
    p = sum(r["precision"] for r in rows) / n
    r_ = sum(r["recall"] for r in rows) / n
    return {"pages": len(rows), "precision": p, "recall": r_,
            "f1": 2 * p * r_ / (p + r_) if p + r_ else 0.0,
            "token_f1": sum(r["token_f1"] for r in rows) / n,
            "empty": sum(1 for r in rows if r["empty"])}


def table(results):
    out = ["| extractor | pages | 4-gram P | R | F1 | token F1 | without content |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for label, total, rows in results:
        short = label.split(" (")[0]  # the halves' rows without the jsdom version
        parts = [(label, total),
                 (f"{short}, developed on (even)", summary([r for r in rows if half(r["id"]) == 0])),
                 (f"{short}, held out (odd)", summary([r for r in rows if half(r["id"]) == 1]))]
        for name, s in parts:
            out.append(f"| {name} | {s['pages']} | {s['precision']:.3f} | {s['recall']:.3f} | "
                       f"{s['f1']:.3f} | {s['token_f1']:.3f} | {s['empty']} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=default_bin(), help="pagefeed binary (built beforehand)")
    ap.add_argument("--pages", help="article pages (run-content.py's default: ../shared/content)")
    ap.add_argument("--only", default="pagefeed,trafilatura,dom_smoothie,readability")
    ap.add_argument("--no-install", action="store_true", help="peers already in bench/peers/")
    ap.add_argument("--json", help="also write every row's figures here")
    a = ap.parse_args()
    only = set(a.only.split(","))
    if not a.no_install and only - {"pagefeed"}:
        bench.install_peers()
    results = []
    with tempfile.TemporaryDirectory(prefix="pagefeed-content-peers-") as d:
        runs = []
        if "pagefeed" in only:
            runs.append(("pagefeed", "pagefeed", str(Path(a.bin).resolve())))
        for name, label, cmd, env in peer_commands():
            if name in only:
                runs.append((name, label, write_shim(d, name, cmd, env)))
        for name, label, binary in runs:
            total, rows = score(binary, a.pages, str(Path(d) / f"{name}.jsonl"))
            if total["answered"] != total["pages"] or total["exit"] != 0:
                bench.log(f"{name}: exit {total['exit']}, answered {total['answered']} "
                          f"of {total['pages']} pages")
            results.append((label, total, rows))
    print(table(results))
    if a.json:
        Path(a.json).write_text(json.dumps(
            [{"extractor": label, "total": total, "pages": rows}
             for label, total, rows in results], indent=1) + "\n")


if __name__ == "__main__":
    main()
