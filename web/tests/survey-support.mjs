// What the survey page's browser tests share: the test API (survey-api.ts,
// bundled for Node with esbuild, since it uses the clients generated from
// proto/), a phone-sized browser context, and the demo's ids it relies on.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { patience } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** A phone: 390×844, touch, reading Chinese. */
export const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3, locale: "zh-CN" };

/** The test API against `system` (from startSystem), as head office and Harbour Motors' staff. */
export async function surveyApi(system) {
  const dir = mkdtempSync(join(tmpdir(), "aftercare-survey-api-"));
  const outfile = join(dir, "survey-api.mjs");
  try {
    await build({
      entryPoints: [resolve(here, "survey-api.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
    });
    const { surveyApi: make } = await import(pathToFileURL(outfile).href);
    return make({
      url: system.url,
      oem: system.token("--role", "oem"),
      staff: system.token("--role", "dealer", "--dealer", "harbour-motors"),
      // The seeds' (services/dealers/src/demo.rs): vehicle 1's owner reads Chinese.
      station: "hm-city",
      vehicle: "hm-city-vehicle-1",
      advisor: "hm-city-advisor",
      technician: "hm-city-tech-1",
      patience,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
