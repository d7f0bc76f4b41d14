// The dashboard in a real headless Chromium, against a real coroserve.
//
//   node dashboard_test.mjs --server BIN --out PNG --workdir DIR [--chromium /usr/bin/chromium]
//
// Starts the server on an ephemeral loopback port, opens /dashboard in
// Chromium (driven over the DevTools protocol on --remote-debugging-pipe: no
// npm packages, no debugging port), checks that the page polls /stats and
// draws its five charts, sends CPU load to the pool and CPU work to the loop,
// checks that the DOM follows (requests/s, busy workers, queue, loop lag,
// counters), writes a screenshot, checks that the TLS tile is hidden on this
// plain server, then opens the page on the admin port of a second server
// that speaks HTTPS (certificates made now by scripts/dev-certs.sh) and checks
// that the tile follows its handshakes and a SIGHUP reload. It stops
// everything it started. Every child's pid goes to DIR/pids so the wrapper
// can kill leftovers.
// Exit 0 = pass, 1 = fail.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const SERVER = args.server;
const OUT = args.out;
const WORKDIR = args.workdir;
const CHROMIUM = args.chromium || "/usr/bin/chromium";
const DEADLINE_MS = 150_000;
if (!SERVER || !OUT || !WORKDIR) {
  console.error("usage: dashboard_test.mjs --server BIN --out PNG --workdir DIR [--chromium BIN]");
  process.exit(2);
}

const t0 = Date.now();
const log = (...m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
// The plain server's --queue: below the eight CPU clients of the load, so
// that some of them are always shed.
const QUEUE_BOUND = 3;
const problems = [];  // script errors, CSP violations, failed loads seen in the page
let failures = 0;
function check(ok, what, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? ` (${detail})` : ""}`);
  if (!ok) failures++;
}
async function until(what, fn, timeoutMs, stepMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

// stdout and stderr go to WORKDIR/NAME.log; extraPipes adds fds 3, 4, ...
function startChild(name, bin, argv, extraPipes = 0) {
  const out = fs.openSync(path.join(WORKDIR, `${name}.log`), "w");
  const child = spawn(bin, argv, { stdio: ["ignore", out, out, ...Array(extraPipes).fill("pipe")] });
  fs.closeSync(out);
  fs.appendFileSync(path.join(WORKDIR, "pids"), `${child.pid}\n`);
  child.exited = new Promise((r) => child.on("exit", (code, sig) => r({ code, sig })));
  child.name = name;
  children.push(child);
  return child;
}
async function stopChild(child, gentle) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { if (gentle) await Promise.race([gentle(), sleep(2000)]); } catch {}
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const done = await Promise.race([child.exited, sleep(5000).then(() => null)]);
  if (!done) { child.kill("SIGKILL"); await Promise.race([child.exited, sleep(2000)]); }
}

// --- HTTP helpers (keep-alive agent for load, plain for checks) -------------
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function get(port, p, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: p, agent, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${p} timed out`)));
    req.on("error", reject);
  });
}

// --- DevTools protocol over the pipe: JSON messages ending in NUL -----------
class Cdp {
  constructor(writeStream, readStream) {
    this.w = writeStream; this.nextId = 1; this.pending = new Map(); this.listeners = [];
    let buf = "";
    readStream.setEncoding("utf8");
    readStream.on("data", (chunk) => {
      buf += chunk;
      let end;
      while ((end = buf.indexOf("\0")) >= 0) {
        const msg = JSON.parse(buf.slice(0, end));
        buf = buf.slice(end + 1);
        if (msg.id && this.pending.has(msg.id)) {
          const { resolve, reject, method } = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
          else resolve(msg.result);
        } else if (msg.method) {
          for (const l of this.listeners) l(msg);
        }
      }
    });
    readStream.on("close", () => {
      for (const { reject, method } of this.pending.values()) reject(new Error(`${method}: browser pipe closed`));
      this.pending.clear();
    });
  }
  send(method, params = {}, sessionId = undefined, timeoutMs = 15_000) {
    const id = this.nextId++;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.w.write(JSON.stringify(msg) + "\0");
    });
  }
  on(fn) { this.listeners.push(fn); }
}

// What the test reads from the page: ids and data attributes the page keeps
// stable, plus how many saturated (series-coloured) pixels each canvas has.
const SNAPSHOT_JS = `(() => {
  const num = (id) => Number(document.getElementById(id).textContent.replace(/[^0-9.]/g, "")) || 0;
  const charts = {};
  for (const fig of document.querySelectorAll("figure.chart")) {
    const c = fig.querySelector("canvas");
    const d = c.width && c.height ? c.getContext("2d").getImageData(0, 0, c.width, c.height).data : [];
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) ink++;
    }
    charts[fig.id] = { latest: Number(fig.dataset.latest || "NaN"), recentMax: Number(fig.dataset.recentMax || "NaN"), points: Number(fig.dataset.points),
                       ink, value: fig.querySelector(".value").textContent };
  }
  return JSON.stringify({
    polls: Number(document.body.dataset.polls), status: document.getElementById("status").textContent,
    uptime: document.getElementById("uptime").textContent, open: num("conn-open"),
    requests: num("requests-total"), cpuOnLoop: num("cpu-on-loop"),
    deadline: num("deadline-exceeded"), clientGone: num("client-gone"), shed: num("shed-total"),
    logDropped: num("log-dropped"), charts,
    tls: { state: document.getElementById("tls-tile").dataset.tls, hidden: document.getElementById("tls-tile").hidden,
           rate: Number(document.getElementById("tls-tile").dataset.rate || "NaN"),
           where: document.getElementById("tls-where").textContent, results: document.getElementById("tls-results").textContent,
           resumed: document.getElementById("tls-resumed").textContent, p99: document.getElementById("tls-p99").textContent,
           reloads: num("tls-reloads") } });
})()`;

async function main() {
  // 1. The server, on a free loopback port.
  const portFile = path.join(WORKDIR, "port");
  const server = startChild("server", SERVER,
    ["--host", "127.0.0.1", "--port", "0", "--port-file", portFile, "--workers", "2", "--log-level", "warn",
     "--queue", String(QUEUE_BOUND)]);
  const port = await until("the server's port file", () => {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try { return Number(fs.readFileSync(portFile, "utf8").trim()) || null; } catch { return null; }
  }, 15_000);
  log(`server pid ${server.pid} on 127.0.0.1:${port}`);

  // 2. The page as served: HTML, no caching, nothing from outside.
  const page = await get(port, "/dashboard");
  check(page.status === 200, "GET /dashboard is 200", `status ${page.status}`);
  check(page.headers["content-type"] === "text/html; charset=utf-8", "Content-Type is text/html; charset=utf-8",
    page.headers["content-type"]);
  check(page.headers["cache-control"] === "no-cache", "Cache-Control: no-cache", page.headers["cache-control"]);
  check(page.body.includes("<canvas") && page.body.includes("/stats"), "page has canvases and polls /stats");
  check(!/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(page.body) && !/@import|url\(\s*["']?https?:/i.test(page.body),
    "page loads nothing from outside");

  // 3. Chromium, headless, with a throwaway profile, driven over the pipe.
  const profile = path.join(WORKDIR, "profile");
  fs.mkdirSync(profile);
  const chrome = startChild("chromium", CHROMIUM, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--no-default-browser-check",
    `--user-data-dir=${profile}`, "--remote-debugging-pipe", "--window-size=1280,900", "about:blank",
  ], 2);
  const cdp = new Cdp(chrome.stdio[3], chrome.stdio[4]);
  const version = await cdp.send("Browser.getVersion", {}, undefined, 30_000);
  log(`chromium pid ${chrome.pid}: ${version.product}`);
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const send = (m, p = {}) => cdp.send(m, p, sessionId);
  cdp.on((msg) => {
    if (msg.sessionId !== sessionId) return;
    if (msg.method === "Runtime.exceptionThrown") {
      problems.push(`exception: ${msg.params.exceptionDetails.exception?.description || msg.params.exceptionDetails.text}`);
    } else if (msg.method === "Runtime.consoleAPICalled" && msg.params.type === "error") {
      problems.push(`console.error: ${msg.params.args.map((a) => a.value ?? a.description).join(" ")}`);
    } else if (msg.method === "Log.entryAdded" && msg.params.entry.level === "error") {
      problems.push(`log: ${msg.params.entry.text} ${msg.params.entry.url || ""}`);
    }
  });
  await send("Runtime.enable");
  await send("Log.enable");
  await send("Page.enable");
  await send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 720, deviceScaleFactor: 1, mobile: false });
  const evaluate = async (expr) => {
    const r = await send("Runtime.evaluate", { expression: expr, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.text}`);
    return r.result.value;
  };
  const snapshot = async () => JSON.parse(await evaluate(SNAPSHOT_JS));

  const url = `http://127.0.0.1:${port}/dashboard`;
  const nav = await send("Page.navigate", { url });
  check(!nav.errorText, `Chromium opened ${url}`, nav.errorText);
  await until("the page to load", async () => (await evaluate("document.readyState")) === "complete", 15_000);
  check((await evaluate("document.title")) === "coroserve dashboard", "page title");

  // 4. Idle: the page polls and every chart draws.
  await until("3 polls of /stats", async () => (await evaluate("Number(document.body.dataset.polls)")) >= 3, 15_000);
  const a = await snapshot();
  log("idle:", JSON.stringify(a));
  check(a.status === "live", "status shows live", a.status);
  for (const [id, c] of Object.entries(a.charts)) {
    check(c.points >= 2 && c.ink > 0, `${id} draws its line`, `${c.points} points, ${c.ink} coloured px`);
  }
  check(Object.keys(a.charts).length === 5, "five charts");
  check(a.tls.state === "off" && a.tls.hidden, "TLS tile hidden on a plain server", JSON.stringify(a.tls));

  // 5. Load: keep both workers busy with a queue behind them, keep a stream
  // of I/O requests going, and block the loop now and then with CPU work run
  // on it (where=loop). Eight clients asking for 150 ms parts of two workers
  // and a queue of QUEUE_BOUND: whenever all eight wait at once, however slow
  // the machine, some find the queue full and are shed (503), and the page
  // shows it.
  const stopAt = Date.now() + 4000;
  let sent = 0, statuses = {};
  const count = (r) => { sent++; statuses[r.status] = (statuses[r.status] || 0) + 1; };
  // A shed client waits a moment before it asks again, as Retry-After asks.
  const poolClient = async () => {
    while (Date.now() < stopAt) {
      const r = await get(port, "/cpu/hash?rounds=600000");
      count(r);
      if (r.status === 503) await sleep(100);
    }
  };
  // Cheap I/O requests lift requests/s well above the idle polls even when
  // the machine is too busy for the CPU requests to finish quickly.
  const ioClient = async () => { while (Date.now() < stopAt) count(await get(port, "/io/sleep?ms=20")); };
  const loopClient = async () => {
    for (let i = 0; i < 3; i++) { await sleep(700); count(await get(port, "/cpu/hash?rounds=1500000&where=loop")); }
  };
  const samples = [];
  const sampler = async () => {
    while (Date.now() < stopAt + 1500) { samples.push(await snapshot()); await sleep(250); }
  };
  await Promise.all([...Array.from({ length: 8 }, poolClient), ioClient(), loopClient(), sampler()]);
  log(`load done: ${sent} requests, statuses ${JSON.stringify(statuses)}`);
  check((statuses[200] || 0) + (statuses[503] || 0) === sent, "every load request got 200 or a 503 (shed)",
    JSON.stringify(statuses));

  // Let the page take two more polls, then read it again.
  const pollsNow = await evaluate("Number(document.body.dataset.polls)");
  await until("2 more polls", async () => (await evaluate("Number(document.body.dataset.polls)")) >= pollsNow + 2, 10_000);
  const b = await snapshot();
  log("after:", JSON.stringify(b));
  const max = (f) => Math.max(...samples.map(f));
  const maxRps = max((s) => s.charts["chart-rps"].latest);
  const maxBusy = max((s) => s.charts["chart-busy"].latest);
  const maxQueue = max((s) => s.charts["chart-queue"].latest);
  // The recent max, not the last sample: that one is replaced every 50 ms,
  // and whether a poll lands inside those 50 ms is luck.
  const maxLagUs = max((s) => s.charts["chart-lag"].recentMax);

  check(b.polls > a.polls, "the page kept polling", `${a.polls} -> ${b.polls}`);
  check(b.requests >= a.requests + sent, "requests counter moved by at least the requests sent",
    `${a.requests} -> ${b.requests}, sent ${sent}`);
  // Idle, the page's own polls make 2/s.
  check(maxRps > 4, "requests/s rose under load", `max ${maxRps}/s`);
  check(maxBusy >= 1, "busy workers rose under load", `max ${maxBusy} of 2`);
  check(maxQueue >= 1, "pool queue depth rose under load", `max ${maxQueue}`);
  check(maxLagUs >= 50_000, "loop lag rose when CPU work ran on the loop", `max ${maxLagUs} us`);
  check(b.cpuOnLoop >= a.cpuOnLoop + 3, "cpu_on_loop counted the where=loop requests", `${a.cpuOnLoop} -> ${b.cpuOnLoop}`);
  check(b.charts["chart-rps"].points > a.charts["chart-rps"].points && b.charts["chart-rps"].points <= 120,
    "charts gained points (at most 120 kept)", `${a.charts["chart-rps"].points} -> ${b.charts["chart-rps"].points}`);
  for (const id of ["chart-rps", "chart-lag", "chart-busy", "chart-queue"]) {
    check(b.charts[id].ink !== a.charts[id].ink, `${id} canvas changed`, `${a.charts[id].ink} -> ${b.charts[id].ink} coloured px`);
  }
  check(b.uptime !== a.uptime, "uptime text moves", `${a.uptime} -> ${b.uptime}`);
  const server_stats = JSON.parse((await get(port, "/stats")).body);
  const maxShedRate = max((s) => s.charts["chart-shed"].latest);
  check(b.shed >= 1 && b.shed === server_stats.shed.total && b.shed >= (statuses[503] || 0),
    "the shed tile counts the requests shed", `page ${b.shed}, server ${server_stats.shed.total}, 503s seen ${statuses[503] || 0}`);
  check(maxShedRate > 0, "the shed chart rose under load", `max ${maxShedRate}/s`);
  check(b.logDropped === server_stats.log_lines_dropped, "log lines dropped agree with /stats",
    `page ${b.logDropped}, server ${server_stats.log_lines_dropped}`);
  check(b.requests <= server_stats.requests_total && b.cpuOnLoop === server_stats.cpu_on_loop,
    "page figures agree with /stats", `page ${b.requests}/${b.cpuOnLoop}, server ${server_stats.requests_total}/${server_stats.cpu_on_loop}`);

  // 6. Screenshot, with the load spike in the charts' history.
  const shot = await send("Page.captureScreenshot", { format: "png" });
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, Buffer.from(shot.data, "base64"));
  const png = fs.readFileSync(OUT);
  check(png.length > 10_000 && png.subarray(1, 4).toString() === "PNG", `screenshot written to ${OUT}`, `${png.length} bytes`);
  check(problems.length === 0, "no script errors, CSP violations or failed loads in the page", problems.join("; "));

  // Away from the page first: its polls of a stopped server would log errors.
  await send("Page.navigate", { url: "about:blank" });
  await stopChild(server);
  const exit = await server.exited;
  check(exit.code === 0, "server drained and exited 0 on SIGTERM", JSON.stringify(exit));

  await tlsTile(send, evaluate, snapshot);
  check(problems.length === 0, "no script errors or failed loads in the page on the admin port", problems.join("; "));
  await stopChild(chrome, () => cdp.send("Browser.close", {}, undefined, 2000));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// One new TLS connection (no agent: each request is a full handshake).
function httpsGet(port, ca, p) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: "127.0.0.1", servername: "localhost", port, path: p, ca, agent: false, timeout: 10_000 },
      (res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); });
    req.on("timeout", () => req.destroy(new Error(`GET ${p} over TLS timed out`)));
    req.on("error", reject);
  });
}

// 7. HTTPS on --port, the page on the plain admin port: the TLS tile shows
// the handshakes, where they ran and a certificate reload.
async function tlsTile(send, evaluate, snapshot) {
  const certs = path.join(WORKDIR, "certs");
  const made = startChild("dev-certs", new URL("../../scripts/dev-certs.sh", import.meta.url).pathname, [certs]);
  const mk = await Promise.race([made.exited, sleep(30_000).then(() => null)]);
  if (!mk || mk.code !== 0) throw new Error(`scripts/dev-certs.sh ${certs} failed: ${JSON.stringify(mk)}`);
  const ca = fs.readFileSync(path.join(certs, "ca.crt"));
  const portFile = path.join(WORKDIR, "tls-port");
  const admin = await freePort();
  const server = startChild("tls-server", SERVER, ["--host", "127.0.0.1", "--port", "0", "--port-file", portFile,
    "--admin-port", String(admin), "--workers", "2", "--log-level", "warn",
    "--tls-cert", path.join(certs, "localhost-ecdsa.crt"), "--tls-key", path.join(certs, "localhost-ecdsa.key")]);
  const port = await until("the TLS server's port file", () => {
    if (server.exitCode !== null) throw new Error(`TLS server exited with ${server.exitCode}`);
    try { return Number(fs.readFileSync(portFile, "utf8").trim()) || null; } catch { return null; }
  }, 15_000);
  log(`TLS server pid ${server.pid}: HTTPS on ${port}, admin on ${admin}`);
  const url = `http://127.0.0.1:${admin}/dashboard`;
  const nav = await send("Page.navigate", { url });
  check(!nav.errorText, `Chromium opened ${url} (the admin port)`, nav.errorText);
  await until("the page to load", async () => (await evaluate("document.readyState")) === "complete", 15_000);
  await until("3 polls of /stats on the admin port", async () => (await evaluate("Number(document.body.dataset.polls)")) >= 3, 15_000);
  const a = await snapshot();
  check(a.tls.state === "on" && !a.tls.hidden, "TLS tile shown when --port speaks HTTPS", JSON.stringify(a.tls));
  check(a.tls.where === "pool", "TLS tile says where handshakes run", a.tls.where);

  // Handshakes for 3 s, one plain-HTTP request to the HTTPS port, a reload.
  const stopAt = Date.now() + 3000;
  let statuses = {};
  const client = async () => {
    while (Date.now() < stopAt) { const st = await httpsGet(port, ca, "/plaintext"); statuses[st] = (statuses[st] || 0) + 1; }
  };
  const samples = [];
  const sampler = async () => { while (Date.now() < stopAt + 1000) { samples.push(await snapshot()); await sleep(250); } };
  await Promise.all([client(), client(), sampler(), get(port, "/plaintext").then((r) => { statuses[`plain ${r.status}`] = 1; })]);
  log(`TLS load done: ${JSON.stringify(statuses)}`);
  check((statuses[200] || 0) > 0 && statuses["plain 400"] === 1, "HTTPS requests served, plain HTTP to the HTTPS port got 400",
    JSON.stringify(statuses));
  server.kill("SIGHUP");
  const b = await until("the TLS tile to count the reload", async () => {
    const s = await snapshot();
    return s.tls.reloads >= 1 ? s : null;
  }, 10_000, 250);
  const maxRate = Math.max(...samples.map((s) => s.tls.rate));
  check(maxRate > 0, "TLS tile: handshakes/s rose under load", `max ${maxRate}/s`);
  check(samples.some((s) => s.tls.results.includes("plain_http")), "TLS tile: the plain-HTTP handshake shows by result",
    samples.map((s) => s.tls.results).filter((r) => r.includes("plain")).slice(-1)[0] || "never");
  check(/^\d+ %$/.test(b.tls.resumed) && b.tls.p99 !== "–", "TLS tile: resumed share and p99 handshake time",
    `${b.tls.resumed}, ${b.tls.p99}`);
  const st = JSON.parse((await get(admin, "/stats")).body).tls;
  check(b.tls.reloads === st.reloads.ok && st.reloads.ok === 1, "TLS tile: reloads agree with /stats", `page ${b.tls.reloads}, server ${st.reloads.ok}`);
  const shot = await send("Page.captureScreenshot", { format: "png" });
  const tlsOut = OUT.replace(/\.png$/, "") + "-tls.png";
  fs.writeFileSync(tlsOut, Buffer.from(shot.data, "base64"));
  log(`screenshot with the TLS tile: ${tlsOut}`);
  await stopChild(server);
  const exit = await server.exited;
  check(exit.code === 0, "TLS server drained and exited 0 on SIGTERM", JSON.stringify(exit));
}

async function cleanup() {
  agent.destroy();
  for (const c of children.slice().reverse()) await stopChild(c);
}

const watchdog = setTimeout(async () => {
  console.error(`FAIL: the test took longer than ${DEADLINE_MS} ms`);
  await cleanup();
  process.exit(1);
}, DEADLINE_MS);
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => { console.error(`interrupted by ${sig}`); await cleanup(); process.exit(1); });
}

try {
  await main();
} catch (e) {
  failures++;
  console.error(`FAIL: ${e.stack || e}`);
  for (const p of problems) console.error(`page: ${p}`);
  for (const name of ["server", "tls-server", "chromium"]) {
    try {
      const tail = fs.readFileSync(path.join(WORKDIR, `${name}.log`), "utf8").split("\n").slice(-15).join("\n");
      if (tail.trim()) console.error(`--- last lines of ${name}.log ---\n${tail}`);
    } catch {}
  }
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
console.log(failures === 0 ? "dashboard_browser: all checks passed" : `dashboard_browser: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
