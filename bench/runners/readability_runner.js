// Peer runner: Mozilla Readability (npm) on jsdom: DOM build + parse() per page, the way
// Readability is used outside a browser. Same protocol as pagefeed's bench: pages loaded
// up front, one untimed warm-up pass, then the median of ROUNDS timed passes.
//
// `--content MANIFEST` (lines `id<TAB>path<TAB>url`) instead prints one JSON line per page,
// `{"id", "content_html"}` with `article.content` (empty when Readability finds no article),
// for bench/content_peers.py.
const fs = require("fs");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability } = require("@mozilla/readability");

// Scripts are not run and resources are not loaded (jsdom's defaults); CSS parse
// errors are not printed.
const virtualConsole = new VirtualConsole();

function contentMode(manifest) {
  for (const line of fs.readFileSync(manifest, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const [id, path, url] = line.split("\t");
    let html = "";
    try {
      const dom = new JSDOM(fs.readFileSync(path).toString("utf8"), {
        url: (url || "").trim() || "https://example.org/",
        virtualConsole,
      });
      const article = new Readability(dom.window.document).parse();
      html = (article && article.content) || "";
      dom.window.close();
    } catch (e) {
      process.stderr.write(`${id}: ${e}\n`);
    }
    process.stdout.write(JSON.stringify({ id, content_html: html }) + "\n");
  }
}

function timingMode() {
  const [manifest, roundsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg || 1);
  const pages = fs
    .readFileSync(manifest, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const [path, url] = l.split("\t");
      return [fs.readFileSync(path).toString("utf8"), url.trim()];
    });
  const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p[0]), 0);

  function pass() {
    const t = process.hrtime.bigint();
    for (const [html, url] of pages) {
      const dom = new JSDOM(html, { url, virtualConsole });
      new Readability(dom.window.document).parse();
      dom.window.close();
    }
    return Number(process.hrtime.bigint() - t) / 1e9;
  }

  pass();
  const times = Array.from({ length: rounds }, pass).sort((a, b) => a - b);
  const s = times[Math.floor(times.length / 2)];
  console.log(JSON.stringify({ pages: pages.length, bytes, seconds: s,
    pages_per_s: pages.length / s, mb_per_s: bytes / 1e6 / s }));
}

if (process.argv[2] === "--content") {
  contentMode(process.argv[3]);
} else {
  timingMode();
}
