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
  scale     (not in the default set; `workers` is the same) steady state of
            --worker-feeds feeds (10,000) sharing one PostgreSQL state (127.0.0.1:5432,
            a database of its own, dropped after) on 1, 2 and 4 `pagefeed run`
            processes at once: feeds/s; CPU per feed of pagefeed (the workers'
            rusage), of PostgreSQL (its backends for that database) and of the
            loopback server; statements and round trips per feed run (counted by a
            proxy in an extra untimed pass) and transactions (pg_stat_database); state
            size per 1,000 feeds (pg_database_size minus the empty schema's)

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

    def __init__(self, man, hosts, feeds, latency_ms, per_listing=25, max_seconds=1200):
        self.p = subprocess.Popen(
            [SERVE, man, "--hosts", str(hosts), "--feeds", str(feeds),
             "--per-listing", str(per_listing), "--latency-ms", str(latency_ms),
             "--max-seconds", str(max_seconds)],
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


# ---------------------------------------------------------------- scale (several workers)


def psql(sql, db="postgres"):
    return subprocess.run(["psql", "-qAt", "-h", "127.0.0.1", "-U", "postgres", "-d", db,
                           "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid):
    """user+system CPU seconds of a live process (all its threads), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy():
    """Busy and total CPU seconds of the whole machine so far (/proc/stat)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return (sum(v[:8]) - idle) / TICK, sum(v[:8]) / TICK


class Backends:
    """CPU of the PostgreSQL backends serving one database, sampled from /proc every
    `every` seconds (a backend's command line names its database; its last sample is
    kept once it exits, so at most `every` seconds of each backend's CPU is missed).
    Other databases on the same server (other users' tests) are not counted."""

    def __init__(self, db, every=0.05):
        import threading
        self.tag = f" {db} ".encode()
        self.every = every
        self.cpu = {}
        self.stop = threading.Event()
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()

    def scan(self):
        for d in os.listdir("/proc"):
            if d.isdigit() and int(d) not in self.cpu:
                try:
                    with open(f"/proc/{d}/cmdline", "rb") as f:
                        if self.tag in f.read():
                            self.cpu[int(d)] = 0.0
                except OSError:
                    pass

    def loop(self):
        n = 0
        while not self.stop.is_set():
            if n % 4 == 0:
                self.scan()
            for pid in list(self.cpu):
                c = proc_cpu(pid)
                if c is not None:
                    self.cpu[pid] = c
            n += 1
            self.stop.wait(self.every)

    def total(self):
        self.stop.set()
        self.t.join()
        return sum(self.cpu.values()), len(self.cpu)


class CountingProxy:
    """A TCP proxy on 127.0.0.1 in front of the PostgreSQL server that counts the
    messages clients send (frontend protocol): `Q` simple queries (BEGIN, COMMIT),
    `E` executions of statements (the extended protocol: every parameterised query),
    `P` parses, `S` syncs (each a round trip). Server bytes are passed on unread. Used
    for one untimed pass per worker count, so its cost never enters the timings."""

    def __init__(self, upstream=("127.0.0.1", 5432)):
        import asyncio
        import threading
        self.upstream = upstream
        self.counts = {}
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def start():
            self.server = await asyncio.start_server(self.client, "127.0.0.1", 0)
            self.port = self.server.sockets[0].getsockname()[1]
            ready.set()

        self.t = threading.Thread(target=lambda: (self.loop.run_until_complete(start()),
                                                  self.loop.run_forever()), daemon=True)
        self.t.start()
        ready.wait(10)

    async def client(self, cr, cw):
        import asyncio
        sr, sw = await asyncio.open_connection(*self.upstream)

        async def pipe(r, w):
            try:
                while data := await r.read(65536):
                    w.write(data)
                    await w.drain()
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                w.close()

        async def frontend():
            try:
                # Startup (and an SSL/GSS request before it): length-prefixed, no type.
                while True:
                    head = await cr.readexactly(8)
                    body = await cr.readexactly(int.from_bytes(head[:4], "big") - 8)
                    sw.write(head + body)
                    await sw.drain()
                    if int.from_bytes(head[4:], "big") not in (80877103, 80877104):
                        break
                while True:
                    head = await cr.readexactly(5)
                    body = await cr.readexactly(int.from_bytes(head[1:], "big") - 4)
                    k = chr(head[0])
                    self.counts[k] = self.counts.get(k, 0) + 1
                    sw.write(head + body)
                    await sw.drain()
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                sw.close()

        await asyncio.gather(frontend(), pipe(sr, cw))

    def take(self):
        """The counts since the last call (after the clients have gone)."""
        c, self.counts = self.counts, {}
        return c

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.t.join(5)


def pg_stats(db):
    row = psql("SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, "
               f"tup_updated, tup_deleted FROM pg_stat_database WHERE datname = '{db}'")
    keys = ("xact_commit", "xact_rollback", "tup_returned", "tup_fetched", "tup_inserted",
            "tup_updated", "tup_deleted")
    return dict(zip(keys, (int(x) for x in row.split("|"))))


def workers_pass(cfg, env, n, d, db, site):
    """`n` processes of `pagefeed run` at once over the same config, once every feed is
    due: wall, the CPU of each part (pagefeed from the workers' rusage, PostgreSQL's
    backends for this database, the loopback server, the whole machine), database
    counters per pass."""
    # An interval later: every feed's last run moved back by the interval (1h), so all
    # are due and each is run once in the pass (`--force` would not do: a process that
    # starts a moment after another sees the feeds that one has already run as run
    # before it looked, and runs them again).
    psql("UPDATE feeds SET last_success = to_char((last_success::timestamptz - interval "
         "'1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
         "WHERE last_success IS NOT NULL", db)
    time.sleep(1.2)  # backends flush their statistics about once a second
    stats0 = pg_stats(db)
    site.stats()
    serve0 = proc_cpu(site.p.pid)
    busy0, total0 = machine_busy()
    backends = Backends(db)
    t = time.perf_counter()
    # Logs to files: a pipe read only after the exit would fill and stall.
    logs = [Path(d) / f"worker{i}.log" for i in range(n)]
    ps = [subprocess.Popen([PAGEFEED, "-v", "--config", cfg, "run"], env=env,
                           stdout=subprocess.DEVNULL, stderr=open(lg, "w")) for lg in logs]
    cpu, per_worker, codes = 0.0, [], []
    for p, lg in zip(ps, logs):
        _, status, ru = os.wait4(p.pid, 0)
        cpu += ru.ru_utime + ru.ru_stime
        codes.append(os.waitstatus_to_exitcode(status))
        ok = 0
        for line in lg.read_text(errors="replace").splitlines():
            if "run: " in line and "feeds ok" in line:
                ok += int(line.split("run: ")[1].split()[0])
        per_worker.append(ok)
    wall = time.perf_counter() - t
    time.sleep(0.3)  # the backends' last work (disconnect) after the workers' exit
    pg_cpu, pg_backends = backends.total()
    serve = proc_cpu(site.p.pid) - serve0
    busy1, total1 = machine_busy()
    req = site.stats()
    time.sleep(1.2)
    stats1 = pg_stats(db)
    delta = {k: stats1[k] - stats0[k] for k in stats0}
    return {"workers": n, "wall": wall, "pagefeed_cpu": cpu, "pg_cpu": pg_cpu,
            "pg_backends": pg_backends, "serve_cpu": serve,
            "machine_busy_cores": (busy1 - busy0) / wall,
            "machine_cores": round((total1 - total0) / wall), "feeds_run": sum(per_worker),
            "feeds_per_worker": per_worker, "listing_requests": req["listing"],
            "not_modified": req["not_modified"], "article_requests": req["article"],
            "pg": delta, "exit": codes, "load_1min": os.getloadavg()[0]}


def stage_scale(man, hosts, feeds, counts=(1, 2, 4), reps=2):
    """Steady state of `feeds` feeds sharing one PostgreSQL state, on 1, 2 and 4
    `pagefeed run` processes at once. The steady state chosen: every feed already run
    once (its files written, its listing's ETag stored), then a cycle in which every
    feed is due (interval 1h, the state's last runs moved back by an hour before each
    pass: each feed is run exactly once per cycle, by whichever process claims it
    first) and every listing answers 304 (the loopback server gives strong ETags), so a
    feed run is: claim, one conditional GET, the 304 commit, release; no page is parsed
    and no file rewritten."""
    site = Site(man, hosts, feeds, 0, per_listing=5, max_seconds=7200)
    db = f"pagefeed_bench_{os.getpid()}"
    psql(f"CREATE DATABASE {db}")
    url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = dict(os.environ, PAGEFEED_STATE_URL=url)
    res = {"feeds": feeds, "runs": {}, "queries": {}}
    proxy = None
    try:
        with tempfile.TemporaryDirectory(prefix="pagefeed-bench-") as d:
            # Listings only (follow = false): the seed run stays short; a steady-state
            # run does the same per feed either way (one conditional GET, one commit).
            cfg = write_config(d, site, feeds, "1h", follow=False)
            # The empty schema first (`status` makes and migrates it), so the state's
            # size is what the feeds add, not the empty database's ~7 MiB.
            subprocess.run([PAGEFEED, "--config", cfg, "status"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            size0 = int(psql(f"SELECT pg_database_size('{db}')"))
            t = time.perf_counter()
            seed = subprocess.run([PAGEFEED, "--config", cfg, "run"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            res["seed"] = {"wall": time.perf_counter() - t, "exit": seed.returncode,
                           "requests": site.stats()}
            if seed.returncode != 0:
                log(f"seed run exited {seed.returncode}: {seed.stderr[-2000:]}")
            items = int(psql("SELECT COUNT(*) FROM items", db))
            size1 = int(psql(f"SELECT pg_database_size('{db}')"))
            res["state"] = {"items": items, "empty_schema_bytes": size0,
                            "after_seed_bytes": size1}
            for n in counts:
                runs = [workers_pass(cfg, env, n, d, db, site) for _ in range(reps)]
                for r in runs:
                    log(f"scale: {n} workers: {json.dumps(r)}")
                med = dict(runs[-1])
                for k in ("wall", "pagefeed_cpu", "pg_cpu", "serve_cpu", "machine_busy_cores"):
                    med[k] = statistics.median(r[k] for r in runs)
                med["feeds_run_all"] = [r["feeds_run"] for r in runs]
                med["walls"] = [round(r["wall"], 2) for r in runs]
                res["runs"][n] = med
            res["state"]["after_passes_bytes"] = int(psql(f"SELECT pg_database_size('{db}')"))
            # Queries: one more (untimed) pass per worker count through the counting
            # proxy.
            proxy = CountingProxy()
            penv = dict(env, PAGEFEED_STATE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/{db}")
            for n in counts:
                r = workers_pass(cfg, penv, n, d, db, site)
                time.sleep(0.5)
                res["queries"][n] = {"messages": proxy.take(), "feeds_run": r["feeds_run"],
                                     "xact_commit": r["pg"]["xact_commit"]}
            psql("VACUUM FULL", db)
            res["state"]["vacuum_full_bytes"] = int(psql(f"SELECT pg_database_size('{db}')"))
    finally:
        if proxy:
            proxy.close()
        site.close()
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    return res


def report_scale(w):
    n = w["feeds"]
    st = w["state"]
    per = lambda b: (b - st["empty_schema_bytes"]) / n * 1000 / 1024 / 1024  # noqa: E731
    out = [f"scale: {n:,} feeds, steady state (every feed due, every listing 304), one "
           f"PostgreSQL; seed run (cold, listings only) {w['seed']['wall']:.1f} s, "
           f"exit {w['seed']['exit']}",
           f"state per 1,000 feeds ({st['items'] / n:.0f} items each): "
           f"{per(st['after_seed_bytes']):.2f} MiB after the seed run, "
           f"{per(st['after_passes_bytes']):.2f} MiB after the passes (dead row versions), "
           f"{per(st['vacuum_full_bytes']):.2f} MiB after VACUUM FULL "
           f"(pg_database_size minus the empty schema's)",
           "",
           "| workers | wall s | feeds/s | CPU ms per feed: pagefeed | PostgreSQL | loopback "
           "server | cores busy: pagefeed | PostgreSQL | server | whole machine | "
           "transactions per feed | feeds run | listing GETs (304) |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for k, r in w["runs"].items():
        wall = r["wall"]
        out.append(
            f"| {k} | {wall:.2f} | {n / wall:.0f} | {1000 * r['pagefeed_cpu'] / n:.2f} | "
            f"{1000 * r['pg_cpu'] / n:.2f} | {1000 * r['serve_cpu'] / n:.2f} | "
            f"{r['pagefeed_cpu'] / wall:.2f} | {r['pg_cpu'] / wall:.2f} | "
            f"{r['serve_cpu'] / wall:.2f} | {r['machine_busy_cores']:.2f} of "
            f"{r['machine_cores']} | {r['pg']['xact_commit'] / n:.1f} | "
            f"{'/'.join(str(x) for x in r['feeds_run_all'])} | {r['listing_requests']} "
            f"({r['not_modified']}) |")
    out += ["", "load average (1 min) at the end of each timed pass: " + ", ".join(
        f"{k} workers {r['load_1min']:.1f}" for k, r in w["runs"].items()) +
        "; 'whole machine' counts other users of this machine too"]
    out += ["", "| workers | statements per feed run (E) | BEGIN/COMMIT etc. (Q) | round trips "
            "(S + Q) | transactions per feed | feeds run |", "|---:|---:|---:|---:|---:|---:|"]
    for k, q in w["queries"].items():
        m = q["messages"]
        out.append(f"| {k} | {m.get('E', 0) / n:.1f} | {m.get('Q', 0) / n:.1f} | "
                   f"{(m.get('S', 0) + m.get('Q', 0)) / n:.1f} | {q['xact_commit'] / n:.1f} | "
                   f"{q['feeds_run']} |")
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
    if r.get("scale"):
        out += ["", report_scale(r["scale"])]
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
    ap.add_argument("--worker-feeds", type=int, default=10000)
    ap.add_argument("--worker-counts", default="1,2,4", help="processes per scale pass")
    ap.add_argument("--worker-reps", type=int, default=2, help="timed passes per count")
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
        if "scale" in stages or "workers" in stages:
            r["scale"] = stage_scale(man, a.hosts, a.worker_feeds,
                                     tuple(int(c) for c in a.worker_counts.split(",")),
                                     a.worker_reps)
    finally:
        os.unlink(man)
    if a.json:
        Path(a.json).write_text(json.dumps(r, indent=1))
    print(report(r))


if __name__ == "__main__":
    main()
