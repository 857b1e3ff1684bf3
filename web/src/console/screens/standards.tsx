// Each station's compliance with every service standard over a period,
// against the standard's target.
import { useState } from "preact/hooks";
import type { StandardCompliance } from "../../gen/aftercare/dealers/v1/standards_pb";
import { catalog, common, type Locale } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { basisPoints } from "../format";
import { networkOf, useNetwork } from "../network";
import { Choice, Loading, PeriodPicker, periodKey, thisMonth, Scroll } from "../ui";
import type { Screen } from ".";

const texts = catalog({
  en: {
    title: "Standards compliance",
    filters: "Which stations and period",
    allRegions: "All regions",
    caption: "Compliance per station: met ÷ (met + missed), against each standard's target",
    target: (rate: string) => `target ${rate}`,
    key: "key standard",
    met: "target met",
    notMet: "target missed",
    undecided: "no RO decided",
    counts: (met: bigint, missed: bigint, pending: bigint) => `${met} met, ${missed} missed, ${pending} pending`,
  },
  "zh-CN": {
    title: "服务标准达成",
    filters: "选择服务站与期间",
    allRegions: "全部大区",
    caption: "各服务站达成率：达标 ÷（达标 + 未达标），对照各标准目标",
    target: (rate: string) => `目标 ${rate}`,
    key: "关键标准",
    met: "达到目标",
    notMet: "未达目标",
    undecided: "无已判定工单",
    counts: (met: bigint, missed: bigint, pending: bigint) => `达标 ${met}，未达标 ${missed}，待定 ${pending}`,
  },
});

function Cell({ result, locale }: { result: StandardCompliance | undefined; locale: Locale }) {
  const t = useTexts(texts);
  if (!result?.counts) return <td>—</td>;
  const { met, missed, pending, rateBasisPoints } = result.counts;
  const verdict = result.targetMet === undefined ? t.undecided : result.targetMet ? t.met : t.notMet;
  const mark = result.targetMet === undefined ? "" : result.targetMet ? "✓" : "✗";
  return (
    <td class={result.targetMet === false ? "missed" : result.targetMet ? "met" : ""}>
      <strong>{basisPoints(locale, rateBasisPoints)}</strong>{" "}
      <span aria-label={verdict} title={verdict}>
        {mark}
      </span>
      <br />
      <small>{t.counts(met, missed, pending)}</small>
    </td>
  );
}

function Standards() {
  const t = useTexts(texts);
  const c = useTexts(common);
  const { clients, locale, session } = useConsole();
  const network = useNetwork();
  const [region, setRegion] = useState("");
  const [period, setPeriod] = useState(thisMonth);
  const loaded = useLoad(async () => {
    const stations = (await networkOf(clients)).stations.filter((s) => !region || s.regionId === region);
    return Promise.all(
      stations.map(async (s) => ({
        station: s,
        results: (await clients.standards.getStandardCompliance({ period, scope: { case: "stationId", value: s.id } })).results,
      })),
    );
  }, [clients, region, periodKey(period)]);
  const regions = (network.data?.regions ?? []).filter((r) => session.role !== "region" || r.id === session.regionId);
  return (
    <>
      <form class="filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
        {session.role === "oem" && (
          <Choice
            label={c.region}
            value={region}
            options={[["", t.allRegions], ...regions.map((r) => [r.id, r.displayName] as const)]}
            onChange={setRegion}
          />
        )}
        <PeriodPicker value={period} onChange={setPeriod} />
      </form>
      <Loading loaded={loaded}>
        {(rows) => {
          const standards = rows[0]?.results ?? [];
          if (!standards.length) return <p>{c.noData}</p>;
          return (
            <Scroll>
              <table class="compliance">
                <caption>{t.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{c.station}</th>
                    {standards.map((s) => (
                      <th scope="col" key={s.standardCode}>
                        {s.displayName || s.standardCode}
                        {s.key && <span class="badge">{t.key}</span>}
                        <br />
                        <small>{t.target(basisPoints(locale, s.targetBasisPoints))}</small>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ station, results }) => (
                    <tr key={station.id}>
                      <th scope="row">{station.displayName}</th>
                      {standards.map((s) => (
                        <Cell key={s.standardCode} locale={locale} result={results.find((r) => r.standardCode === s.standardCode)} />
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          );
        }}
      </Loading>
    </>
  );
}

export const standards: Screen = {
  path: "standards",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["oem", "region", "dealer"],
  View: Standards,
};
