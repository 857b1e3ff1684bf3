// The customer's survey page in Chromium: answered on a phone in Chinese and
// stored; used, expired and unknown links say so; a complaint opened from
// the page; axe-core and a screenshot for every state of the page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertAccessible, launchBrowser, newPage, patience, screenshot, startSystem } from "./support.mjs";
import { phone, scaleOf, surveyApi } from "./survey-support.mjs";

let system;
let browser;
let api;
let version;
/** The link answered by the first test, used again by the second. */
let answered;

before(async () => {
  system = await startSystem();
  browser = await launchBrowser();
  api = surveyApi(system);
  version = await api.surveyPublished();
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

const heading = (page) => page.getByRole("heading", { level: 1 });

test("a customer answers the survey on a phone, in Chinese, and it is stored", async () => {
  answered = await api.freshLink();
  const page = await newPage(browser, phone);
  await page.goto(`${system.url}/s/${answered.token}`);
  // The customer reads Chinese (the dealer recorded it): the questions are the version's own texts.
  await heading(page).filter({ hasText: "满意" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  const groups = page.getByRole("group");
  assert.equal(await groups.count(), version.questions.length);
  for (const [n, question] of version.questions.entries()) {
    assert.match(await groups.nth(n).locator("legend").innerText(), new RegExp(`^${question.text}`));
  }
  await assertAccessible(page, "survey form");
  await screenshot(page, "survey-form-zh-CN");

  // Sending with required questions unanswered says so and stores nothing.
  await page.getByRole("button", { name: "提交答案" }).tap();
  await page.getByRole("alert").filter({ hasText: "必答题未作答" }).waitFor();
  await assertAccessible(page, "survey form, unanswered");
  await screenshot(page, "survey-unanswered-zh-CN");
  assert.equal(await api.storedAnswers(answered.invitationId), undefined);

  // Every question by touch, on its own scale; the last one with the keyboard.
  const chosen = {};
  for (const [n, question] of version.questions.entries()) {
    const [low, high] = scaleOf(question);
    const value = Math.min(high, low + 3 + (n % 2));
    chosen[question.id] = value;
    if (n < version.questions.length - 1) {
      await groups.nth(n).getByRole("radio", { name: String(value), exact: true }).tap();
    } else {
      await groups.nth(n).getByRole("radio", { name: String(value - 1), exact: true }).tap();
      await page.keyboard.press("ArrowRight");
      assert.ok(await groups.nth(n).getByRole("radio", { name: String(value), exact: true }).isChecked());
    }
  }
  await page.getByRole("button", { name: "提交答案" }).tap();
  await heading(page).filter({ hasText: "感谢您的反馈" }).waitFor();
  await assertAccessible(page, "thank-you");
  await screenshot(page, "survey-thanks-zh-CN");
  assert.deepEqual(await api.storedAnswers(answered.invitationId), chosen);
  await page.context().close();
});

test("a used link says the survey was already answered", async () => {
  assert.ok(answered, "the first test answered a link");
  const page = await newPage(browser, phone);
  await page.goto(`${system.url}/s/${answered.token}`);
  await heading(page).filter({ hasText: "此问卷已经填写过了" }).waitFor();
  await assertAccessible(page, "used link");
  await screenshot(page, "survey-used-zh-CN");
  await page.context().close();
});

test("an unknown link says it does not exist, in the browser's language", async () => {
  const page = await newPage(browser, phone);
  await page.goto(`${system.url}/s/no-such-link-token`);
  await heading(page).filter({ hasText: "此问卷链接不存在" }).waitFor();
  await assertAccessible(page, "unknown link");
  await screenshot(page, "survey-unknown-zh-CN");
  await page.context().close();
});

test("a survey the page cannot reach says so, and trying again shows it", async () => {
  const link = await api.freshLink();
  const page = await newPage(browser, phone);
  const read = "**/aftercare.surveys.v1.SurveyResponseService/GetSurveyByLink";
  await page.route(read, (route) => route.abort("connectionrefused"));
  await page.goto(`${system.url}/s/${link.token}`);
  await heading(page).filter({ hasText: "出错了" }).waitFor();
  await assertAccessible(page, "survey unreachable");
  await screenshot(page, "survey-unreachable-zh-CN");
  await page.unroute(read);
  await page.getByRole("button", { name: "重试" }).tap();
  await page.getByRole("radio").first().waitFor();
  await page.context().close();
});

test("the customer switches to English and opens a complaint from the page", async () => {
  const link = await api.freshLink();
  // A browser set to English: the customer's own language, as the dealer recorded it, comes first.
  const page = await newPage(browser, { ...phone, locale: "en-US" });
  await page.goto(`${system.url}/s/${link.token}`);
  await heading(page).filter({ hasText: "满意" }).waitFor();
  await page.getByRole("button", { name: "English" }).tap();
  await heading(page).filter({ hasText: "How was your visit" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  const first = version.questions[0];
  if (first.translations?.en) await page.getByRole("group", { name: first.translations.en }).waitFor();
  await assertAccessible(page, "survey form in English");
  await screenshot(page, "survey-form-en");

  await page.getByRole("button", { name: "Open a complaint" }).tap();
  await page.getByRole("alert").filter({ hasText: "Please describe what happened." }).waitFor();
  await page.getByLabel("What happened").fill("The car was washed but the seats were left dirty.");
  await page.getByRole("button", { name: "Open a complaint" }).tap();
  await heading(page).filter({ hasText: "Your complaint was opened" }).waitFor();
  const number = await page.locator("dd").first().innerText();
  assert.match(number, /^CP-\d{6}-\d{4}$/);
  await page.getByText("Waiting for the dealer's answer").waitFor();
  await assertAccessible(page, "complaint opened");
  await screenshot(page, "survey-complaint-en");
  await page.context().close();
});

test("an expired link says so", async () => {
  // The same network with links that expire as they are issued.
  await system.stop({ keep: true });
  system = await startSystem({ dataDir: system.dataDir, env: { AFTERCARE_SURVEYS__LINK_LIFETIME_DAYS: "0" } });
  api = surveyApi(system);
  const link = await api.freshLink();
  const page = await newPage(browser, phone);
  await page.goto(`${system.url}/s/${link.token}`);
  await heading(page).filter({ hasText: "此问卷链接已过期" }).waitFor({ timeout: patience });
  await assertAccessible(page, "expired link");
  await screenshot(page, "survey-expired-zh-CN");
  await page.context().close();
});
