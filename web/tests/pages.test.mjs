// The pages load from the gateway, with nothing from the internet.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertAccessible, launchBrowser, newPage, screenshot, startSystem } from "./support.mjs";

let system;
let browser;

before(async () => {
  system = await startSystem();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

test("the console's page loads from the gateway alone", async () => {
  const page = await newPage(browser);
  const foreign = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(system.url) && !request.url().startsWith("data:")) foreign.push(request.url());
  });
  const answer = await page.goto(`${system.url}/console/`);
  assert.equal(answer.status(), 200);
  await page.getByRole("heading", { name: "Aftercare" }).waitFor();
  assert.deepEqual(foreign, [], "no request leaves the gateway");
  await assertAccessible(page, "console");
  await screenshot(page, "console-start");
});
