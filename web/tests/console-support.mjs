// What the console's browser tests share: signing in with a token, visiting
// screens through the navigation (axe-core and a screenshot on each) and
// reading the gRPC status of a gRPC-web answer.
import assert from "node:assert/strict";
import { assertAccessible, newPage, screenshot } from "./support.mjs";

/**
 * A page signed in with `token`, in `locale`, showing its first screen;
 * `prepare(page)` runs before the console is opened (to route requests),
 * `context` overrides the browser context's options (a phone's viewport).
 */
export async function signIn(browser, system, token, locale, { prepare, context = {} } = {}) {
  const page = await newPage(browser, { locale, viewport: { width: 1280, height: 900 }, ...context });
  await prepare?.(page);
  await page.goto(`${system.url}/console/`);
  await page.locator("#token").fill(token);
  await page.locator("form button[type=submit]").click();
  await page.getByRole("navigation").getByRole("link").first().waitFor();
  return page;
}

/**
 * Opens each screen through the navigation, waits for what shows its data
 * (`screens[name](page)`), checks that no failure is shown, runs axe-core and
 * saves a screenshot `console-<who>-<name>`.
 */
export async function visitEach(page, who, screens) {
  for (const [name, shown] of Object.entries(screens)) {
    await page.locator(`nav a[href="/console/${name}"]`).click();
    await page.waitForURL(`**/console/${name}`);
    await shown(page).first().waitFor();
    assert.equal(await page.locator(".failure").count(), 0, `${who} ${name}: no failure shown`);
    await assertAccessible(page, `${who} ${name}`);
    await screenshot(page, `console-${who}-${name}`);
  }
}

/**
 * The gRPC status of a gRPC-web answer seen by the page: from the headers
 * of a trailers-only answer, else from the trailer frame at the body's end.
 */
export async function grpcStatus(response) {
  const headers = await response.allHeaders();
  if (headers["grpc-status"] !== undefined) return Number(headers["grpc-status"]);
  const body = await response.body();
  for (let at = 0; at + 5 <= body.length; ) {
    const flags = body[at];
    const length = body.readUInt32BE(at + 1);
    const frame = body.subarray(at + 5, at + 5 + length);
    if (flags & 0x80) {
      const match = /grpc-status:\s*(\d+)/i.exec(frame.toString("latin1"));
      if (match) return Number(match[1]);
    }
    at += 5 + length;
  }
  return undefined;
}

/** The gRPC status codes the tests name. */
export const GrpcCode = { OK: 0, NOT_FOUND: 5 };
