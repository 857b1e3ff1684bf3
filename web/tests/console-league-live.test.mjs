// A league table followed live in the console: head office watches the
// national station table while a new station of Harbour Motors delivers
// its first repair order and its customer answers the survey through the
// link, on a phone, in Chinese. Without a reload, the station appears in
// the table, marked as new, and the unranked members after it (ordered by
// id, its id first) are shown one place lower.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { signIn as signInTo } from "./console-support.mjs";
import { assertAccessible, demoPlayed, grpc, launchBrowser, newPage, quickDemo, screenshot, startSystem } from "./support.mjs";
import { phone, scaleOf, surveyApi } from "./survey-support.mjs";

const STATION = "0-hm-harbourside";
const ADVISOR = `${STATION}-advisor`;

let system;
let browser;

before(async () => {
  system = await startSystem({ env: quickDemo });
  browser = await launchBrowser();
  // Every answer of the demo is in: the table moves for this test's only.
  await demoPlayed(system);
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

/**
 * Opens the station, delivers an RO there, and its customer answers the
 * survey on a phone in Chinese, at the top of every scale.
 */
async function firstAnswerAtNewStation() {
  const oem = system.token("--role", "oem");
  const call = (method, request) => grpc(system, oem, `aftercare.dealers.v1.${method}`, request);
  await call("DealersService/CreateStation", {
    station: {
      dealer_id: "harbour-motors",
      display_name: "Harbour Motors Harbourside",
      code: "S-1009",
      city: "Hamburg",
      build_standard: "BUILD_STANDARD_SERVICE",
      star_level: 3,
    },
    station_id: STATION,
    request_id: crypto.randomUUID(),
  });
  await call("DealersService/CreateStaffMember", {
    staff_member: { station_id: STATION, display_name: "Ida Keller", position: "STAFF_POSITION_SERVICE_ADVISOR" },
    staff_member_id: ADVISOR,
    request_id: crypto.randomUUID(),
  });
  const api = surveyApi(system);
  const version = await api.surveyPublished();
  const { token } = await api.freshLink({ station: STATION, advisor: ADVISOR });

  const page = await newPage(browser, phone);
  await page.goto(`${system.url}/s/${token}`);
  const groups = page.getByRole("group");
  await groups.first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  for (const [n, question] of version.questions.entries()) {
    const [, top] = scaleOf(question);
    await groups.nth(n).getByRole("radio", { name: String(top), exact: true }).tap();
  }
  await page.getByRole("button", { name: "提交答案" }).tap();
  await page.getByRole("heading", { level: 1 }).filter({ hasText: "感谢您的反馈" }).waitFor();
  await page.context().close();
}

test("a customer answers on a phone in Chinese, and head office sees the station enter the league live, the members after it moving down", async () => {
  const page = await signInTo(browser, system, system.token("--role", "oem"), "en-US");
  await page.getByLabel("Level").selectOption({ label: "Stations" });
  await page.locator('table.league tbody tr[data-member="hm-city"]').waitFor();
  await page.locator('[data-live="on"]').waitFor();
  await page.evaluate(() => {
    globalThis.notReloaded = true;
  });
  const unrankedBefore = await page
    .locator("table.league tbody tr.unranked")
    .evaluateAll((rows) => rows.map((row) => row.dataset.member));

  await firstAnswerAtNewStation();

  const entered = page.locator(`table.league tr[data-member="${STATION}"] [data-move]`);
  await entered.waitFor();
  assert.match(await entered.getAttribute("aria-label"), /^new on the page at \d+$/);
  // Unranked members are listed by id, and its id comes first among them.
  for (const member of unrankedBefore) {
    const move = page.locator(`table.league tr[data-member="${member}"] [data-move]`);
    assert.match(await move.getAttribute("aria-label"), /^down 1, from \d+ to \d+$/, `${member} is one place lower`);
    assert.equal(await move.innerText(), "▼ 1");
  }
  assert.equal(await page.evaluate(() => globalThis.notReloaded), true, "the page was not reloaded");
  await assertAccessible(page, "oem league moved live");
  await screenshot(page, "console-oem-league-moved-live");
  await page.context().close();
});
