// The console against the demo network: head office and a region manager
// sign in with a token, every screen of theirs shows the demo's data and
// passes axe-core, a region is refused a claim above its limit and the page
// says why, and head office approves a claim.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { signIn as signInTo, visitEach } from "./console-support.mjs";
import { assertAccessible, demoPlayed, eventually, grpc, launchBrowser, newPage, patience, quickDemo, screenshot, startSystem } from "./support.mjs";

// The demo's claims are of a few hundred euros; with these limits every one
// calls for head office, so a region manager meets one above its limit.
const limits = { AFTERCARE_COSTS__STATION_LIMIT: "5000", AFTERCARE_COSTS__REGION_LIMIT: "10000" };

/** Each screen and what shows that its data has come. */
const screens = {
  leagues: (page) => page.locator("table.league tbody tr").first(),
  scorecard: (page) => page.locator("p.composite").first(),
  standards: (page) => page.locator("table.compliance tbody tr").first(),
  complaints: (page) => page.locator("table.complaints tbody tr").first(),
  claims: (page) => page.locator("table.claims tbody tr").first(),
  budgets: (page) => page.locator("table tbody tr").first(),
};

let system;
let browser;

before(async () => {
  system = await startSystem({ env: { ...quickDemo, ...limits } });
  browser = await launchBrowser();
  await demoPlayed(system);
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

/** A page signed in with `token`, in `locale`, showing its first screen. */
const signIn = (token, locale) => signInTo(browser, system, token, locale);

/**
 * The region of the demo's submitted claim, and its name: which of the
 * demo's claims is left submitted depends on the checks each one passed.
 */
async function regionOfSubmittedClaim() {
  const oem = system.token("--role", "oem");
  const id = await eventually("a submitted claim", async () => {
    const page = await grpc(system, oem, "aftercare.costs.v1.WarrantyClaimService/ListWarrantyClaims", {
      state: "CLAIM_STATE_SUBMITTED",
    });
    return page.claims?.[0]?.regionId;
  });
  const region = await grpc(system, oem, "aftercare.dealers.v1.DealersService/GetRegion", { id });
  return { id, name: region.displayName };
}

test("head office signs in and every screen shows the demo's network", async () => {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${system.url}/console/`);
  await page.locator("#token").waitFor();
  await assertAccessible(page, "sign-in");
  await screenshot(page, "console-sign-in");
  await page.context().close();

  const signedIn = await signIn(system.token("--role", "oem"), "en-US");
  await signedIn.getByText("Head office").waitFor();
  await visitEach(signedIn, "oem", screens);

  // The complaints' deadlines count down while the screen is open.
  await signedIn.locator('nav a[href="/console/complaints"]').click();
  const timer = signedIn.getByRole("timer").first();
  const before = await timer.innerText();
  await signedIn.waitForFunction((was) => document.querySelector('[role="timer"]')?.textContent !== was, before);

  // The league chart is drawn, with the members' names in the table beside it.
  await signedIn.locator('nav a[href="/console/leagues"]').click();
  await signedIn.locator(".chart canvas").waitFor();
  assert.ok((await signedIn.locator("table.league tbody tr").count()) >= 2, "a table of several dealers");

  // The language switch turns the screen into Chinese.
  await signedIn.getByLabel("Language").selectOption("zh-CN");
  await signedIn.getByRole("heading", { name: "排行榜" }).waitFor();
  assert.equal(await signedIn.evaluate(() => document.documentElement.lang), "zh-CN");
  await assertAccessible(signedIn, "oem leagues zh-CN");
  await screenshot(signedIn, "console-oem-leagues-zh-CN");
  await signedIn.context().close();
});

test("a region manager signs in and sees its region's screens in Chinese", async () => {
  const region = await regionOfSubmittedClaim();
  const page = await signIn(system.token("--role", "region", "--region", region.id), "zh-CN");
  await page.getByText("大区经理").waitFor();
  await visitEach(page, "region", screens);

  // Its league scopes: the national tables and its own region's.
  await page.locator('nav a[href="/console/leagues"]').click();
  // The region's own scope is named once its region has been read.
  const options = page.getByLabel("范围").locator("option");
  await options.filter({ hasText: region.name }).waitFor({ state: "attached" });
  const scopes = await options.allTextContents();
  assert.deepEqual(scopes, ["全国", region.name]);
  await page.context().close();
});

test("a region cannot approve a claim above its limit, and the page says why", async () => {
  const region = await regionOfSubmittedClaim();
  const page = await signIn(system.token("--role", "region", "--region", region.id), "en-US");
  await page.locator('nav a[href="/console/claims"]').click();
  const claim = page.locator("table.claims tbody tr").first();
  await claim.waitFor();
  const id = await claim.getAttribute("data-claim");
  await page.getByRole("heading", { name: "Above your authority" }).waitFor();
  await claim.getByRole("button", { name: `Approve ${id}` }).click();

  const refusal = page.getByRole("alert");
  await refusal.waitFor();
  const said = await refusal.innerText();
  assert.match(said, /Not permitted/);
  assert.match(said, /PERMISSION_DENIED/);
  assert.match(said, /head office's approval/);
  assert.equal(await page.locator(`[data-claim-outcome="${id}"]`).count(), 1, "the refusal names the claim");
  assert.equal(await page.locator(`table.claims tr[data-claim="${id}"]`).count(), 1, "the claim is still waiting");
  await assertAccessible(page, "region claim refused");
  await screenshot(page, "console-region-claim-refused");
  await page.context().close();
});

test("head office approves a warranty claim", async () => {
  const page = await signIn(system.token("--role", "oem"), "en-US");
  await page.locator('nav a[href="/console/claims"]').click();
  const claim = page.locator("table.claims tbody tr").first();
  await claim.waitFor();
  const id = await claim.getAttribute("data-claim");
  await claim.getByRole("button", { name: `Approve ${id}` }).click();

  const done = page.getByRole("status");
  await done.waitFor();
  assert.match(await done.innerText(), new RegExp(`${id}: (partly )?approved`));
  // Decided, it leaves the queue.
  await page.locator(`table.claims tr[data-claim="${id}"]`).waitFor({ state: "detached" });
  await assertAccessible(page, "oem claim approved");
  await screenshot(page, "console-oem-claim-approved");
  await page.context().close();
});

test("the console runs under the gateway's Content-Security-Policy", async () => {
  // No bypassCSP here: what the page does must be what the policy allows.
  const context = await browser.newContext({ locale: "en-US" });
  context.setDefaultTimeout(patience);
  const page = await context.newPage();
  const refused = [];
  page.on("console", (m) => m.type() === "error" && refused.push(m.text()));
  page.on("pageerror", (e) => refused.push(e.message));
  await page.goto(`${system.url}/console/leagues`);
  await page.locator("#token").fill(system.token("--role", "oem"));
  await page.locator("form button[type=submit]").click();
  await page.locator(".chart canvas").waitFor();
  await page.locator("table.league tbody tr").first().waitFor();
  assert.deepEqual(refused, [], "no error in the page");
  await context.close();
});
