// The console for a dealer's staff, against the demo network: a service
// advisor of Harbour Motors City signs in, every screen of theirs shows the
// station's data in English and in Chinese and passes axe-core; another
// dealer's repair order is "not found or not yours" on the page and
// NOT_FOUND on the wire; and the at-risk board shows an RO becoming at risk
// while it is open, without a reload.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  GrpcCode,
  grpcStatus,
  signIn as signInTo,
  visitEach,
} from "./console-support.mjs";
import { assertAccessible, demoPlayed, grpc, launchBrowser, quickDemo, screenshot, startSystem } from "./support.mjs";

const REPAIR_ORDERS = "aftercare.dealers.v1.RepairOrderService";

/** Each dealer screen and what shows that its data has come. */
const screens = {
  "repair-orders": (page) => page.locator("table.repair-orders tbody tr"),
  reminders: (page) => page.locator("table.reminders tbody tr"),
  stock: (page) => page.locator("table.stock tbody tr"),
  "price-board": (page) => page.locator("table.price-board tbody tr"),
  leagues: (page) => page.locator("table.league tbody tr.own"),
  scorecard: (page) => page.locator("p.composite"),
  standards: (page) => page.locator("table.compliance tbody tr"),
  complaints: (page) => page.locator("table.complaints tbody tr"),
  claims: (page) => page.locator("table.our-claims tbody tr"),
};

let system;
let browser;
/** A service advisor's token: Harbour Motors, its City station. */
let advisor;

before(async () => {
  system = await startSystem({ env: quickDemo });
  browser = await launchBrowser();
  advisor = system.token("--role", "dealer", "--dealer", "harbour-motors", "--station", "hm-city");
  // The demo plays its repair orders on a clock of its own: the tests open
  // and move theirs once the workshop runs on today's clock again.
  await demoPlayed(system);
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

const signIn = (token, locale, options) => signInTo(browser, system, token, locale, options);

test("a dealer's staff sees its station's screens in English", async () => {
  const page = await signIn(advisor, "en-US");
  await page.getByText("Dealer staff").waitFor();
  const listed = await page.getByRole("navigation").getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.deepEqual(
    listed,
    Object.keys(screens).map((name) => `/console/${name}`),
    "the navigation lists the dealer's screens",
  );
  await visitEach(page, "dealer", screens);

  // Its own scorecard and its row in the league are its dealer's.
  await page.locator('nav a[href="/console/leagues"]').click();
  assert.equal(await page.locator("table.league tbody tr.own").first().getAttribute("data-member"), "harbour-motors");
  await page.context().close();
});

test("a dealer's staff sees every screen in Chinese", async () => {
  const page = await signIn(advisor, "zh-CN");
  await page.getByText("经销商员工").waitFor();
  await page.getByRole("heading", { name: "今日工单" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  await visitEach(page, "dealer-zh-CN", screens);
  await page.context().close();
});

test("a dealer cannot open another dealer's repair order: the page says so and the answer is NOT_FOUND", async () => {
  // An RO of Alpine Cars, as its own staff sees it.
  const alpine = await signIn(system.token("--role", "dealer", "--dealer", "alpine-cars"), "en-US");
  const theirs = await alpine.locator("table.repair-orders tbody tr").first().getAttribute("data-ro");
  await alpine.context().close();

  const page = await signIn(advisor, "en-US");
  const answers = [];
  page.on("response", (response) => {
    if (response.url().endsWith(`/${REPAIR_ORDERS}/GetRepairOrder`)) answers.push(grpcStatus(response));
  });

  // Its own RO opens from the day's list.
  const own = page.locator("table.repair-orders tbody tr").first();
  const ownId = await own.getAttribute("data-ro");
  await own.getByRole("link", { name: ownId }).click();
  await page.waitForURL(`**/console/repair-orders/${ownId}`);
  await page.locator("dl.facts").waitFor();
  await page.locator("table.labour-lines tbody tr").first().waitFor();
  await assertAccessible(page, "dealer repair order");
  await screenshot(page, "console-dealer-repair-order");

  // Alpine Cars' one, asked for by its number.
  await page.getByRole("link", { name: /Back to today/ }).click();
  await page.getByLabel("Repair order number").fill(theirs);
  await page.getByRole("button", { name: "Open" }).click();
  await page.waitForURL(`**/console/repair-orders/${theirs}`);
  const said = page.getByRole("alert");
  await said.waitFor();
  assert.match(await said.innerText(), /Not found, or not yours to see/);
  assert.match(await said.innerText(), /NOT_FOUND/);
  assert.equal(await page.locator("dl.facts").count(), 0, "nothing of the RO is shown");
  assert.deepEqual(await Promise.all(answers), [GrpcCode.OK, GrpcCode.NOT_FOUND], "the network log: the own RO, then NOT_FOUND");
  await assertAccessible(page, "dealer repair order not found");
  await screenshot(page, "console-dealer-repair-order-not-found");
  await page.context().close();
});

test("the at-risk board shows an RO becoming at risk without a reload", async () => {
  const page = await signIn(advisor, "en-US");
  await page.locator('[data-live="on"]').waitFor();
  // Marks this document: a reload would lose the mark.
  await page.evaluate(() => {
    globalThis.notReloaded = true;
  });

  // A customer waiting for new brake pads, promised in 20 minutes: the
  // 1.2 hours of work cannot be done by then.
  const opened = await grpc(system, advisor, `${REPAIR_ORDERS}/CreateRepairOrder`, {
    repair_order: {
      station_id: "hm-city",
      vehicle_id: "hm-city-vehicle-2",
      advisor_id: "hm-city-advisor",
      type: "REPAIR_ORDER_TYPE_REPAIR",
      promise_time: new Date(Date.now() + 20 * 60_000).toISOString(),
      estimate: { currency_code: "EUR", minor_units: "16000" },
    },
    request_id: crypto.randomUUID(),
  });
  assert.equal(opened.atRisk ?? false, false, "no work on it yet: not at risk");
  const withWork = await grpc(system, advisor, `${REPAIR_ORDERS}/AddLabourLine`, {
    repair_order_id: opened.id,
    operation_code: "PAD-REPLACE",
    request_id: crypto.randomUUID(),
  });
  assert.equal(withWork.atRisk, true, "the service now flags it");

  const row = page.locator(`table.at-risk tr[data-ro="${opened.id}"]`);
  await row.waitFor();
  assert.match(await row.getByRole("timer").innerText(), /left/);
  assert.equal(await page.evaluate(() => globalThis.notReloaded), true, "the page was not reloaded");
  // The day's list follows the board.
  await page.locator(`table.repair-orders tr[data-ro="${opened.id}"].at-risk-row`).waitFor();
  await assertAccessible(page, "dealer at-risk board");
  await screenshot(page, "console-dealer-at-risk-live");
  await page.context().close();
});

test("the at-risk board reconnects when its stream fails and shows the whole answer again", async () => {
  // The first stream is cut before it reaches the gateway; the next ones
  // pass once the page has been looked at while it is down.
  let opened = 0;
  let reconnect;
  const lookedAt = new Promise((done) => (reconnect = done));
  const page = await signIn(advisor, "en-US", {
    prepare: (page) =>
      page.route(`**/${REPAIR_ORDERS}/WatchAtRiskRepairOrders`, async (route) => {
        if (opened++ === 0) return route.abort("connectionreset");
        await lookedAt;
        return route.continue();
      }),
  });
  await page.locator('[data-live="off"] .failure').waitFor();
  await assertAccessible(page, "dealer at-risk board reconnecting");
  await screenshot(page, "console-dealer-at-risk-reconnecting");
  reconnect();
  await page.locator('[data-live="on"]').waitFor();
  await page.locator(".board table.at-risk, .board p.calm").first().waitFor();
  assert.equal(await page.locator(".board .failure").count(), 0, "the failure goes once the stream answers");
  assert.ok(opened >= 2, "the stream was opened again");
  await page.context().close();
});

test("on a phone, the day's repair orders and an RO's page scroll sideways by keyboard too and pass axe-core", async () => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const page = await signIn(advisor, "zh-CN", { context: phone });
  const first = page.locator("table.repair-orders tbody tr").first();
  await first.waitFor();
  // Wider than the phone: the table's box is a region the keyboard can scroll.
  await page.locator('.scroll[role="region"][tabindex="0"]').first().waitFor();
  await assertAccessible(page, "dealer repair orders on a phone");
  await screenshot(page, "console-dealer-phone-repair-orders");

  // An RO's own address opens it in the same tab's session.
  const id = await first.getAttribute("data-ro");
  await page.goto(`${system.url}/console/repair-orders/${id}`);
  await page.locator("dl.facts").waitFor();
  await page.locator("table.history tbody tr").first().waitFor();
  await assertAccessible(page, "dealer repair order on a phone");
  await screenshot(page, "console-dealer-phone-repair-order");
  await page.context().close();
});
