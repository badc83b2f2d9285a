#!/usr/bin/env python3
"""pagefeed's benchmarks (issue 8), side by side in one run; prints ratios.

Stages (all by default; pick with --only extract,peers,pipeline,startup,discover):
  extract   parse alone vs parse + extract (+ main content) in one process, one core
  peers     trafilatura, Readability+jsdom, dom_smoothie over the same pages, same run
  pipeline  cold `pagefeed run` over 50 and 200 feeds on a loopback site, then a
            steady-state run of the 200 (every listing 304)
  startup   `pagefeed run` with 1,000 feeds none of which is due
  discover  parse alone vs parse + automatic discovery on ../shared/listings (or
            --listings), one core: discovery's cost as a share of the parse
  workers   (not in the default set) steady state of --worker-feeds feeds sharing one
            PostgreSQL state (127.0.0.1:5432, a database of its own, dropped after) on
            1, 2 and 4 `pagefeed run` processes at once: feeds/s, CPU per feed,
            transactions per feed run, state size per 1,000 feeds

Pages come from ../shared/corpus (or --corpus), read at run time; nothing is copied
into the repository. Peers are installed into bench/peers/ (git-ignored). Every server
listens on 127.0.0.1 only and stops by itself. Extraction timings are pinned to one
core with taskset when it exists.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS = BENCH / "peers"
TARGET = Path(os.environ.get("PAGEFEED_BENCH_TARGET", ROOT / "target" / "bench-release"))
PAGEFEED = TARGET / "release" / "pagefeed"
EXTRACT = TARGET / "release" / "extract"
DISCOVER = TARGET / "release" / "discover"
SERVE = TARGET / "release" / "serve"

TRAFILATURA_VERSION = "2.3.1"
READABILITY_VERSION = "0.6.0"
# jsdom 27+ needs Node 22; 26.1 is the newest for the Node 20 this machine has.
JSDOM_VERSION = "26.1.0"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, check=True, **kw)


def pin(cmd):
    """One core, as the issue asks for extraction."""
    if shutil.which("taskset"):
        return ["taskset", "-c", str(os.cpu_count() - 1)] + [str(c) for c in cmd]
    return [str(c) for c in cmd]


def has_main_content():
    p = ROOT / "src" / "readability" / "mod.rs"
    return p.exists() and "pub fn main_content" in p.read_text() and \
        "pub mod readability" in (ROOT / "src" / "lib.rs").read_text()


def build(content):
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET))
    run(["cargo", "build", "--release", "--locked", "--bin", "pagefeed"], cwd=ROOT, env=env)
    # Same dependency versions as pagefeed itself: start from its lock file.
    shutil.copy(ROOT / "Cargo.lock", BENCH / "Cargo.lock")
    feats = ["--features", "content"] if content else []
    run(["cargo", "build", "--release"] + feats, cwd=BENCH, env=env)


def manifest(corpus, limit):
    pages = []
    for d in sorted(Path(corpus).iterdir()):
        page, meta = d / "page.html", d / "meta.json"
        if page.exists():
            url = "https://example.org/"
            if meta.exists():
                url = json.loads(meta.read_text()).get("url") or url
            pages.append(f"{page.resolve()}\t{url}")
    if limit:
        pages = pages[:limit]
    f = tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, prefix="pagefeed-bench-")
    f.write("\n".join(pages) + "\n")
    f.close()
    return f.name, len(pages)


# ---------------------------------------------------------------- extraction


def stage_extract(man, rounds):
    out = run(pin([EXTRACT, man, "--rounds", rounds]), capture_output=True, text=True).stdout
    return json.loads(out)


def stage_discover(listings, rounds):
    out = run(pin([DISCOVER, listings, "--rounds", rounds]), capture_output=True,
              text=True).stdout
    return json.loads(out)


def install_peers():
    PEERS.mkdir(exist_ok=True)
    venv = PEERS / "venv"
    py = venv / "bin" / "python"
    if not py.exists():
        run([sys.executable, "-m", "venv", venv])
    if subprocess.run([py, "-c", "import trafilatura"], capture_output=True).returncode:
        # lxml 6 moved lxml.html.clean, which trafilatura imports, to its own package.
        run([py, "-m", "pip", "install", "-q", f"trafilatura=={TRAFILATURA_VERSION}",
             "lxml_html_clean"])
    node = PEERS / "node"
    if not (node / "node_modules" / "jsdom").exists():
        node.mkdir(exist_ok=True)
        (node / "package.json").write_text('{"name":"peers","private":true}\n')
        run(["npm", "install", "--no-audit", "--no-fund",
             f"jsdom@{JSDOM_VERSION}", f"@mozilla/readability@{READABILITY_VERSION}"], cwd=node)
    ds = PEERS / "dom_smoothie"
    shutil.copytree(BENCH / "runners" / "dom_smoothie", ds, dirs_exist_ok=True)
    run(["cargo", "build", "--release", "--quiet"], cwd=ds,
        env=dict(os.environ, CARGO_TARGET_DIR=str(PEERS / "cargo-target")))


def stage_peers(man, rounds, slow_rounds):
    install_peers()
    res = {}
    ds = PEERS / "cargo-target" / "release" / "dom-smoothie-runner"
    res["dom_smoothie"] = json.loads(run(pin([ds, man, rounds]), capture_output=True,
                                         text=True).stdout)
    res["trafilatura"] = json.loads(run(
        pin([PEERS / "venv" / "bin" / "python", BENCH / "runners" / "trafilatura_runner.py",
             man, slow_rounds]), capture_output=True, text=True).stdout)
    env = dict(os.environ, NODE_PATH=str(PEERS / "node" / "node_modules"))
    res["readability"] = json.loads(run(
        pin(["node", BENCH / "runners" / "readability_runner.js", man, slow_rounds]),
        capture_output=True, text=True, env=env).stdout)
    return res


# ---------------------------------------------------------------- pipeline


class Site:
    """The loopback site (bench/src/bin/serve.rs), on 127.0.0.1, time-limited."""

    def __init__(self, man, hosts, feeds, latency_ms, per_listing=25):
        self.p = subprocess.Popen(
            [SERVE, man, "--hosts", str(hosts), "--feeds", str(feeds),
             "--per-listing", str(per_listing), "--latency-ms", str(latency_ms),
             "--max-seconds", "1200"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ports = json.loads(self.p.stdout.readline())["ports"]

    def stats(self):
        self.p.stdin.write("stats\n")
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=10)


def write_config(d, site, feeds, interval, follow=True, concurrency=16):
    lines = [
        "[settings]",
        'output_dir = "feeds"',
        'per_host_delay = "0s"',
        "per_host_concurrency = 8",
        f"concurrency = {concurrency}",
        f'interval = "{interval}"',
        "",
    ]
    for f in range(feeds):
        port = site.ports[f % len(site.ports)]
        lines += ["[[feed]]", f'id = "f{f:04}"', f'url = "http://127.0.0.1:{port}/f{f}/"']
        if not follow:
            lines.append("follow = false")
        lines.append("")
    cfg = Path(d) / "pagefeed.toml"
    cfg.write_text("\n".join(lines))
    return cfg


def timed_run(cfg, *extra):
    """Runs `pagefeed run` as a child; wall, user+sys CPU and peak RSS from wait4."""
    t = time.perf_counter()
    p = subprocess.Popen([PAGEFEED, "--config", cfg, "run", *extra],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        log(f"pagefeed run exited {code}: {err[-2000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "user": ru.ru_utime,
            "sys": ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024, "exit": code}


def files(d):
    out = {}
    for p in sorted((Path(d) / "feeds").rglob("*")):
        if p.is_file() and not p.name.startswith(".") and p.suffix not in (".db", ".sqlite", ".lock") \
                and "-wal" not in p.name and "-shm" not in p.name and "-journal" not in p.name:
            st = p.stat()
            out[str(p)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return out


def feed_items(d):
    n = 0
    for p in (Path(d) / "feeds").glob("*.json"):
        try:
            n += len(json.loads(p.read_text()).get("items", []))
        except (ValueError, AttributeError):
            pass
    return n


def median_run(runs):
    """The per-metric median of several cold runs: peak RSS in particular depends on
    which large pages happen to be parsed at the same moment, so one run is noisy."""
    out = dict(runs[-1])
    for k in ("wall", "cpu", "user", "sys", "rss_mb"):
        out[k] = statistics.median(r[k] for r in runs)
    out["runs"] = len(runs)
    out["rss_mb_all"] = [round(r["rss_mb"]) for r in runs]
    return out


def stage_pipeline(man, hosts, latency, reps=3):
    res = {}
    site = Site(man, hosts, 200, latency)
    try:
        for feeds in (50, 200):
            runs = []
            for rep in range(reps):
                last = rep == reps - 1
                with tempfile.TemporaryDirectory(prefix="pagefeed-bench-") as d:
                    cfg = write_config(d, site, feeds, "0s")
                    site.stats()
                    cold = timed_run(cfg)
                    cold["requests"] = site.stats()
                    cold["items"] = feed_items(d)
                    cold["pages"] = cold["requests"]["listing"] + cold["requests"]["article"]
                    runs.append(cold)
                    if not (last and feeds == 200):
                        continue
                    res["cold_200"] = median_run(runs)
                    before = files(d)
                    steady = timed_run(cfg)
                    steady["requests"] = site.stats()
                    after = files(d)
                    rewritten = sorted(Path(k).name for k in after if before.get(k) != after[k])
                    steady["files_rewritten"] = len(rewritten)
                    steady["rewritten"] = rewritten[:10]
                    steady["files"] = len(after)
                    res["steady_200"] = steady
            res[f"cold_{feeds}"] = median_run(runs)
    finally:
        site.close()
    return res


def stage_startup(man, hosts, n, reps):
    site = Site(man, hosts, n, 0, per_listing=5)
    try:
        with tempfile.TemporaryDirectory(prefix="pagefeed-bench-") as d:
            cfg = write_config(d, site, n, "1h", follow=False)
            seed = timed_run(cfg, "--force")
            times = []
            for _ in range(reps):
                t = time.perf_counter()
                subprocess.run([PAGEFEED, "--config", cfg, "run"], check=True)
                times.append(time.perf_counter() - t)
            requests = site.stats()
    finally:
        site.close()
    return {"feeds": n, "seed_exit": seed["exit"], "median_s": statistics.median(times),
            "min_s": min(times), "reps": reps,
            "requests_after_seed": requests}


# ---------------------------------------------------------------- workers


def psql(sql, db="postgres"):
    return subprocess.run(["psql", "-qAt", "-h", "127.0.0.1", "-U", "postgres", "-d", db,
                           "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def stage_workers(man, hosts, feeds, counts=(1, 2, 4), reps=2):
    """Steady state (every listing 304) of `feeds` feeds on 1, 2, 4 processes sharing
    one PostgreSQL state; each count `reps` times, the median kept."""
    site = Site(man, hosts, feeds, 0, per_listing=5)
    db = f"pagefeed_bench_{os.getpid()}"
    psql(f"CREATE DATABASE {db}")
    env = dict(os.environ, PAGEFEED_STATE_URL=f"postgres://postgres@127.0.0.1:5432/{db}")
    res = {"feeds": feeds, "runs": {}}
    try:
        with tempfile.TemporaryDirectory(prefix="pagefeed-bench-") as d:
            # Listings only (follow = false): the seed run stays short; a steady-state
            # run does the same per feed either way (one conditional GET, one commit).
            cfg = write_config(d, site, feeds, "1h", follow=False)
            subprocess.run([PAGEFEED, "--config", cfg, "run"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            res["seed_requests"] = site.stats()
            size = int(psql(f"SELECT pg_database_size('{db}')"))
            res["state_kib_per_1000_feeds"] = size / 1024 / feeds * 1000
            for n in counts:
                runs = []
                for _ in range(reps):
                    time.sleep(1.0)  # pg_stat_database is flushed about once a second
                    xact0 = int(psql(f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{db}'"))
                    t = time.perf_counter()
                    # Logs to files: a pipe read only after the exit would fill and stall.
                    logs = [Path(d) / f"worker{i}.log" for i in range(n)]
                    ps = [subprocess.Popen([PAGEFEED, "-v", "--config", cfg, "run", "--force"],
                                           env=env, stdout=subprocess.DEVNULL,
                                           stderr=open(log, "w")) for log in logs]
                    cpu, ok, codes = 0.0, 0, []
                    for p, log in zip(ps, logs):
                        _, status, ru = os.wait4(p.pid, 0)
                        cpu += ru.ru_utime + ru.ru_stime
                        codes.append(os.waitstatus_to_exitcode(status))
                        for line in log.read_text(errors="replace").splitlines():
                            if "run: " in line and "feeds ok" in line:
                                ok += int(line.split("run: ")[1].split()[0])
                    wall = time.perf_counter() - t
                    time.sleep(1.2)
                    xact = int(psql(f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{db}'")) - xact0
                    req = site.stats()
                    runs.append({"wall": wall, "feeds_per_s": feeds / wall, "cpu_ms_per_feed":
                                 cpu / feeds * 1000, "xact_per_feed": xact / feeds,
                                 "feeds_run": ok, "listing_requests": req["listing"],
                                 "not_modified": req["not_modified"], "exit": codes})
                med = dict(runs[-1])
                for k in ("wall", "feeds_per_s", "cpu_ms_per_feed", "xact_per_feed"):
                    med[k] = statistics.median(r[k] for r in runs)
                med["feeds_run_all"] = [r["feeds_run"] for r in runs]
                res["runs"][n] = med
    finally:
        site.close()
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    return res


def report_workers(w):
    out = [f"workers: {w['feeds']} feeds, steady state (listings 304), one PostgreSQL; "
           f"state {w['state_kib_per_1000_feeds']:.0f} KiB per 1,000 feeds",
           f"{'processes':>9}  {'wall s':>7}  {'feeds/s':>8}  {'CPU ms/feed':>11}  "
           f"{'xact/feed':>9}  {'feeds run':>9}  {'listing GETs':>12}"]
    for n, r in w["runs"].items():
        out.append(f"{n:>9}  {r['wall']:>7.2f}  {r['feeds_per_s']:>8.0f}  "
                   f"{r['cpu_ms_per_feed']:>11.2f}  {r['xact_per_feed']:>9.1f}  "
                   f"{r['feeds_run']:>9}  {r['listing_requests']:>12}")
    return "\n".join(out)


# ---------------------------------------------------------------- report


def machine():
    model = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({model}), {mem} RAM"


def report(r):
    out = ["", f"machine: {machine()}"]
    e = r.get("extract")
    if e:
        a, b = e["parse"], e["extract"]
        out += [f"corpus: {e['pages']} pages, {e['bytes'] / 1e6:.1f} MB, median of "
                f"{e['rounds']} rounds, one core", "",
                "| extraction (one core) | pages/s | MB/s | time vs parse alone |",
                "|---|---:|---:|---:|"]
        rows = [("parse alone (scraper)", a), ("parse + extract (metadata + summary)", b)]
        if "full" in e:
            rows.append(("parse + extract + main content", e["full"]))
        for name, m in rows:
            out.append(f"| {name} | {m['pages_per_s']:.0f} | {m['mb_per_s']:.1f} | "
                       f"{m['seconds'] / a['seconds']:.2f} |")
        out.append(f"\nb/a = {b['seconds'] / a['seconds']:.3f} (goal <= 1.25)")
    p = r.get("peers")
    if p and e:
        ours = e.get("full", e["extract"])
        label = "metadata + main content + summary" if "full" in e else \
            "metadata + summary; no main content yet"
        out += ["", f"| peers (one core, same pages) | pages/s | pagefeed ({label}) vs it |",
                "|---|---:|---:|"]
        out.append(f"| pagefeed | {ours['pages_per_s']:.0f} | 1.00x |")
        if "full" in e:
            out.append(f"| pagefeed without main content | {e['extract']['pages_per_s']:.0f} "
                       f"| {e['extract']['pages_per_s'] / ours['pages_per_s']:.2f}x |")
        for k, goal in (("dom_smoothie", 1.2), ("trafilatura", 20), ("readability", None)):
            if k in p:
                ratio = ours["pages_per_s"] / p[k]["pages_per_s"]
                g = f" (goal >= {goal}x)" if goal else ""
                out.append(f"| {k} | {p[k]['pages_per_s']:.1f} | {ratio:.2f}x as fast{g} |")
    pl = r.get("pipeline")
    if pl:
        c, s, c50 = pl["cold_200"], pl["steady_200"], pl["cold_50"]
        out += ["", "| pipeline (loopback, 20 ms latency) | wall s | CPU s | peak RSS MB | "
                "requests | pages/s (wall) |", "|---|---:|---:|---:|---:|---:|"]
        for name, m in (("cold, 50 feeds", c50), ("cold, 200 feeds", c), ("steady, 200 feeds", s)):
            q = m["requests"]
            reqs = q["listing"] + q["article"] + q["robots"] + q["other"]
            out.append(f"| {name} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['rss_mb']:.0f} | "
                       f"{reqs} | {m.get('pages', 0) / m['wall']:.0f} |")
        cores = (c["cpu"] / c["wall"])
        out += [
            "",
            f"cold 200: {c['requests']['article']} articles, {c['requests']['listing']} "
            f"listings, {c['items']} items written, exit {c['exit']}; "
            f"CPU/wall = {cores:.2f} cores busy",
            f"RSS 200/50 feeds = {c['rss_mb'] / c50['rss_mb']:.2f} (goal <= 1.2), "
            f"peak {c['rss_mb']:.0f} MB (goal <= 150); cold figures are medians of "
            f"{c.get('runs', 1)} runs (peak RSS per run: 50 feeds {c50.get('rss_mb_all')}, "
            f"200 feeds {c.get('rss_mb_all')} MB)",
            f"wall / (CPU / {os.cpu_count()} cores) = "
            f"{c['wall'] / (c['cpu'] / os.cpu_count()):.2f} (goal <= 1.3)",
            f"steady: {s['requests']['listing']} listing requests "
            f"({s['requests']['not_modified']} answered 304), {s['requests']['article']} "
            f"articles, {s['requests']['robots']} robots.txt, {s['files_rewritten']} of "
            f"{s['files']} files rewritten {s.get('rewritten', [])}; CPU {100 * s['cpu'] / c['cpu']:.1f}% of cold "
            f"(goal <= 5%)",
        ]
    d = r.get("discover")
    if d:
        out += ["", f"discovery on {d['pages']} real listing pages (one core, median of "
                f"{d['rounds']} rounds): parse {1000 * d['parse_s']:.1f} ms, parse + discover "
                f"{1000 * d['discover_s']:.1f} ms; discovery = {100 * d['discovery_share']:.1f}% "
                f"of the parse (goal < 5%)", "", "| listing page | KB | parse ms | discovery "
                "vs parse |", "|---|---:|---:|---:|"]
        for row in d["per_page"]:
            out.append(f"| {row['page']} | {row['bytes'] / 1000:.0f} | "
                       f"{1000 * row['parse_s']:.2f} | {100 * row['discovery_share']:.1f}% |")
    st = r.get("startup")
    if st:
        out += ["", f"start-up, {st['feeds']} feeds none due: median {1000 * st['median_s']:.1f}"
                f" ms, min {1000 * st['min_s']:.1f} ms over {st['reps']} runs (goal <= 50 ms)"]
    if r.get("workers"):
        out += ["", report_workers(r["workers"])]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--listings", default=str(ROOT.parent / "shared" / "listings"))
    ap.add_argument("--only", default="extract,peers,pipeline,startup,discover")
    ap.add_argument("--rounds", default="9", help="timed rounds for the Rust extractors")
    ap.add_argument("--slow-rounds", default="1", help="timed rounds for Python and Node")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    ap.add_argument("--hosts", type=int, default=8, help="loopback ports ('hosts')")
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--startup-feeds", type=int, default=1000)
    ap.add_argument("--startup-reps", type=int, default=21)
    ap.add_argument("--worker-feeds", type=int, default=2000)
    ap.add_argument("--json", help="also write the raw results here")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    stages = a.only.split(",")
    content = has_main_content()
    log(f"main content extraction: {'present' if content else 'absent'}")
    if not a.no_build:
        build(content)
    man, n = manifest(a.corpus, a.limit)
    log(f"{n} pages from {a.corpus}")
    r = {"machine": machine(), "main_content": content}
    try:
        if "extract" in stages or "peers" in stages:
            r["extract"] = stage_extract(man, a.rounds)
        if "peers" in stages:
            r["peers"] = stage_peers(man, a.rounds, a.slow_rounds)
        if "pipeline" in stages:
            r["pipeline"] = stage_pipeline(man, a.hosts, a.latency_ms)
        if "discover" in stages:
            r["discover"] = stage_discover(a.listings, "15")
        if "startup" in stages:
            r["startup"] = stage_startup(man, a.hosts, a.startup_feeds, a.startup_reps)
        if "workers" in stages:
            r["workers"] = stage_workers(man, a.hosts, a.worker_feeds)
    finally:
        os.unlink(man)
    if a.json:
        Path(a.json).write_text(json.dumps(r, indent=1))
    print(report(r))


if __name__ == "__main__":
    main()
