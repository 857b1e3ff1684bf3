// A league table followed live in the console: head office watches the
// national station table while a new station of Harbour Motors delivers
// its first repair order and the customer answers the survey by phone —
// all through the system's own APIs. Without a reload, the station appears
// in the table, marked as new, and the unranked members after it (ordered
// by id, its id first) are shown one place lower.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { consoleSettings, demoPlayed, eventually, grpc, signIn as signInTo } from "./console-support.mjs";
import { assertAccessible, launchBrowser, screenshot, startSystem } from "./support.mjs";

const STATION = "0-hm-harbourside";
const ADVISOR = `${STATION}-advisor`;

let system;
let browser;

before(async () => {
  system = await startSystem({ env: consoleSettings });
  browser = await launchBrowser();
  // Every answer of the demo is in: the table moves for this test's only.
  await demoPlayed(system);
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

/** Opens the station, delivers an RO there and answers its survey at the top of every scale. */
async function firstAnswerAtNewStation() {
  const oem = system.token("--role", "oem");
  const staff = system.token("--role", "dealer", "--dealer", "harbour-motors");
  const call = (token, method, request) => grpc(system, token, `aftercare.${method}`, request);
  await call(oem, "dealers.v1.DealersService/CreateStation", {
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
  await call(oem, "dealers.v1.DealersService/CreateStaffMember", {
    staff_member: { station_id: STATION, display_name: "Ida Keller", position: "STAFF_POSITION_SERVICE_ADVISOR" },
    staff_member_id: ADVISOR,
    request_id: crypto.randomUUID(),
  });
  const ro = await call(staff, "dealers.v1.RepairOrderService/CreateRepairOrder", {
    repair_order: {
      station_id: STATION,
      vehicle_id: "hm-city-vehicle-1",
      advisor_id: ADVISOR,
      type: "REPAIR_ORDER_TYPE_MAINTENANCE",
      promise_time: new Date(Date.now() + 3 * 3600_000).toISOString(),
      estimate: { currency_code: "EUR", minor_units: "10000" },
    },
    request_id: crypto.randomUUID(),
  });
  for (const step of ["StartRepairOrder", "CompleteRepairOrder"]) {
    await call(staff, `dealers.v1.RepairOrderService/${step}`, { id: ro.id, request_id: crypto.randomUUID() });
  }
  await call(staff, "dealers.v1.RepairOrderService/DeliverRepairOrder", {
    id: ro.id,
    final_bill: { currency_code: "EUR", minor_units: "9000" },
    handover: [{ item: "work explained", done: true }],
    request_id: crypto.randomUUID(),
  });
  // The dealers relay carries the delivery to surveys, which invites the customer.
  const invitation = await eventually("the delivered RO's survey invitation", async () => {
    const page = await call(staff, "surveys.v1.SurveyInvitationService/ListSurveyInvitations", { station_id: STATION });
    return page.surveyInvitations?.find((i) => i.repairOrderId === ro.id);
  });
  const template = await call(oem, "surveys.v1.SurveyTemplateService/GetSurveyTemplate", { code: invitation.templateCode });
  const version = template.versions.find((v) => (v.versionNumber ?? v.number) === invitation.versionNumber);
  const top = { SCALE_ONE_TO_FIVE: 5, SCALE_ONE_TO_SEVEN: 7, SCALE_ZERO_TO_TEN: 10 };
  await call(staff, "surveys.v1.SurveyInvitationService/TakeSurveyByPhone", {
    invitation_id: invitation.id,
    answers: version.questions.map((q) => ({ question_id: q.id, value: top[q.scale] })),
    request_id: crypto.randomUUID(),
  });
}

test("head office sees a station enter the league live, and the members after it move down", async () => {
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
