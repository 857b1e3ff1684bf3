// What every browser test needs: the real `aftercare` binary running the
// demo on a fresh data directory, its gRPC API called as a user would (buf
// curl over gRPC-web, with the server's reflection), Debian's Chromium driven
// by playwright-core, axe-core's verdict on a page, and a screenshot of it.
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const buf = resolve(here, "../node_modules/.bin/buf");

/** How long a condition may take on a busy machine; raise it there. */
export const patience = 1000 * Number(process.env.AFTERCARE_TEST_PATIENCE_SECS ?? 60);

/** Where each page's screenshot is saved (named in the README). */
export const screenshots = resolve(here, "../test-results/screenshots");

const binary = process.env.AFTERCARE_BIN ?? resolve(here, "../../target/debug/aftercare");

/**
 * `aftercare run --demo` on a new data directory and a free port; resolves
 * once it listens. `stop()` ends it and removes the directory; `stop({ keep:
 * true })` keeps it for a restart: `startSystem({ dataDir, env })` runs again
 * on it, with `AFTERCARE_…` settings in `env`.
 */
export async function startSystem({ dataDir = mkdtempSync(join(tmpdir(), "aftercare-web-")), env = {} } = {}) {
  const child = spawn(binary, ["run", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--demo"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  let played;
  const demoPlayed = new Promise((resolve, reject) => (played = { resolve, reject }));
  demoPlayed.catch(() => {}); // a test that does not wait for it is not failed by it
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`aftercare did not listen within ${patience} ms`)), patience);
    child.once("exit", (code) => reject(new Error(`aftercare exited with ${code} before listening`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^aftercare listening on (http:\/\/[^ /]+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
      if (line.includes("played the demo network's day")) played.resolve();
      if (line.includes("the demo's day stopped")) played.reject(new Error(`the demo stopped: ${line}`));
    });
  });
  return {
    url,
    dataDir,
    /** Resolves once the demo's day has been played: all its data is in (the binary logs it). */
    demoPlayed: () => demoPlayed,
    /** A bearer token from `aftercare token`, e.g. token("--role", "oem"). */
    token: (...args) =>
      execFileSync(binary, ["token", ...args, "--data-dir", dataDir], { encoding: "utf8" }).trim(),
    async stop({ keep = false } = {}) {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium from Debian (playwright-core downloads no browser). */
export function launchBrowser() {
  const executablePath = process.env.AFTERCARE_CHROMIUM ?? "/usr/bin/chromium";
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
}

/**
 * A page in a new context. The pages' Content-Security-Policy forbids inline
 * scripts, so the context bypasses it for axe-core's injection only.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...options });
  context.setDefaultTimeout(patience);
  return context.newPage();
}

/** axe-core's serious and critical violations on the page: none allowed. */
export async function assertAccessible(page, name) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
  assert.deepEqual(violations, [], `${name}: axe-core found serious or critical violations`);
}

/** Saves the page's screenshot as `<name>.png` in the screenshots folder. */
export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/**
 * Calls `method` ("aftercare.dealers.v1.RepairOrderService/CreateRepairOrder")
 * on the system over gRPC-web with `token`, the request given as JSON, and
 * returns the answer's JSON.
 */
export async function grpc(system, token, method, request) {
  const { stdout } = await promisify(execFile)(buf, [
    "curl",
    "--protocol",
    "grpcweb",
    "-H",
    `authorization: Bearer ${token}`,
    "-d",
    JSON.stringify(request),
    `${system.url}/${method}`,
  ]);
  return JSON.parse(stdout);
}

/**
 * Asks `find()` until it answers something other than undefined (a thing
 * another part of the system makes in its own time), for at most the
 * tests' patience.
 */
export async function eventually(what, find) {
  const deadline = Date.now() + patience;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${patience} ms`);
    await new Promise((retry) => setTimeout(retry, 100));
  }
}

/**
 * Waits until the demo's day has been played, so that a test sees the whole
 * demo and nothing of it changes under the test. It plays a month of a
 * network through the services: allowed a few conditions' patience.
 */
export async function demoPlayed(system) {
  const bound = 5 * patience;
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the demo was not played within ${bound} ms`)), bound);
  });
  try {
    await Promise.race([system.demoPlayed(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Settings for a system whose demo is played soon: the escalation sweep,
 * which the demo ends by waiting for, ticks every second.
 */
export const quickDemo = { AFTERCARE_SURVEYS__COMPLAINTS__SWEEP_SECS: "1" };
