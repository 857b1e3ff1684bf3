// League tables per metric, scope (national or a region), level and period.
import { create } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { LeagueLevel, LeagueMetric, LeagueTableKeySchema } from "../../gen/aftercare/surveys/v1/leagues_pb";
import { catalog, common } from "../../i18n/common";
import { useConsole, useTexts } from "../context";
import { useNetwork } from "../network";
import { Choice, PeriodPicker, thisMonth } from "../ui";
import type { Screen } from ".";
import { LeagueTableView, metricNames } from "./league-table";

const texts = catalog({
  en: { title: "League tables", metric: "Metric", dealers: "Dealers", stations: "Stations", filters: "Which table" },
  "zh-CN": { title: "排行榜", metric: "指标", dealers: "经销商", stations: "服务站", filters: "选择排行榜" },
});

const METRICS = [LeagueMetric.SATISFACTION_RATE, LeagueMetric.NPS, LeagueMetric.SERVICE_INDEX, LeagueMetric.WEIGHTED_GAP];

function Leagues() {
  const t = useTexts(texts);
  const c = useTexts(common);
  const { session, locale } = useConsole();
  const network = useNetwork();
  const [metric, setMetric] = useState(LeagueMetric.SATISFACTION_RATE);
  const [level, setLevel] = useState(LeagueLevel.DEALER);
  const [region, setRegion] = useState("");
  const [period, setPeriod] = useState(thisMonth);
  // A region manager reads the national tables and its own region's.
  const regions = (network.data?.regions ?? []).filter((r) => session.role !== "region" || r.id === session.regionId);
  const table = create(LeagueTableKeySchema, { metric, level, regionId: region, period });
  return (
    <>
      <form class="filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
        <Choice
          label={t.metric}
          value={String(metric)}
          options={METRICS.map((m) => [String(m), metricNames[locale][m]] as const)}
          onChange={(m) => setMetric(Number(m))}
        />
        <Choice
          label={c.level}
          value={String(level)}
          options={[
            [String(LeagueLevel.DEALER), t.dealers],
            [String(LeagueLevel.STATION), t.stations],
          ]}
          onChange={(l) => setLevel(Number(l))}
        />
        <Choice
          label={c.scope}
          value={region}
          options={[["", c.national], ...regions.map((r) => [r.id, r.displayName] as const)]}
          onChange={setRegion}
        />
        <PeriodPicker value={period} onChange={setPeriod} />
      </form>
      <LeagueTableView table={table} />
    </>
  );
}

export const leagues: Screen = {
  path: "leagues",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["oem", "region", "dealer"],
  View: Leagues,
};
