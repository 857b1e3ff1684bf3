// How long the survey page takes to load: on loopback, and on a phone-like
// connection (Chromium CDP: 1.6 Mbps down, 750 kbps up, 150 ms round trip,
// CPU 4× slower). Prints the figures; asserts nothing.
//
//   scripts/web measure        (or: node tests/survey-load.mjs, from web/)
import { demoPlayed, launchBrowser, newPage, quickDemo, startSystem } from "./support.mjs";
import { phone, surveyApi } from "./survey-support.mjs";

const runs = Number(process.env.AFTERCARE_MEASURE_RUNS ?? 5);
const profiles = {
  loopback: null,
  "phone (1.6 Mbps/750 kbps, 150 ms RTT, CPU ×4)": {
    network: { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 },
    cpu: 4,
  },
};

const system = await startSystem({ env: quickDemo });
const browser = await launchBrowser();
try {
  // Measured on a quiet system: once the demo's month has been played.
  await demoPlayed(system);
  const api = surveyApi(system);
  await api.surveyPublished();
  // Reading a link does not use it: one link serves every run.
  const { token } = await api.freshLink();
  console.log(`survey page load, ${runs} cold runs each (median, min–max), ms`);
  console.log(`${"profile".padEnd(48)}${"questions shown".padStart(22)}${"load event".padStart(22)}`);
  for (const [name, throttle] of Object.entries(profiles)) {
    const shown = [];
    const loaded = [];
    for (let run = 0; run < runs; run++) {
      const page = await newPage(browser, phone);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      if (throttle) {
        await cdp.send("Network.emulateNetworkConditions", throttle.network);
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle.cpu });
      }
      await page.goto(`${system.url}/s/${token}`);
      await page.getByRole("radio").first().waitFor();
      // The page's own clock, from the navigation's start.
      const [ready, load] = await page.evaluate(() => [
        performance.getEntriesByName("survey-ready")[0].startTime,
        performance.getEntriesByType("navigation")[0].loadEventEnd,
      ]);
      shown.push(ready);
      loaded.push(load);
      await page.context().close();
    }
    console.log(`${name.padEnd(48)}${summary(shown).padStart(22)}${summary(loaded).padStart(22)}`);
  }
} finally {
  await browser.close();
  await system.stop();
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${Math.round(median)} (${Math.round(sorted[0])}–${Math.round(sorted.at(-1))})`;
}
