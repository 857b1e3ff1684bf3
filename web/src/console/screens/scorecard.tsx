// A dealer's scorecard over a period (pick the dealer), and the dealer
// assessment league its composite ranks in.
import { create } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { ScorecardPart, type ScorecardSection } from "../../gen/aftercare/surveys/v1/scorecards_pb";
import { LeagueLevel, LeagueMetric, LeagueTableKeySchema } from "../../gen/aftercare/surveys/v1/leagues_pb";
import { catalog, common, type Locale } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { basisPoints, dateTime, decimal, money } from "../format";
import { useNetwork } from "../network";
import { Choice, Loading, PeriodPicker, periodKey, thisMonth, Scroll } from "../ui";
import type { Screen } from ".";
import { LeagueTableView, metricNames } from "./league-table";

const texts = catalog({
  en: {
    title: "Dealer scorecard",
    pick: "Which dealer",
    composite: "Composite",
    weights: (v: number) => `weights version ${v}`,
    part: "Part",
    score: "Score (0–1000)",
    figures: "Figures",
    missing: (why: string) => `Missing: ${why}`,
    gathered: "Gathered",
    league: "Dealer assessment league",
    standings: "Our league positions",
    standingsCaption: "Where the dealer stands in each national league of the period",
    metric: "League",
    position: "Position",
    rank: "Rank",
    estimate: "Estimate",
    unranked: "unranked",
    outOf: (n: number) => `of ${n}`,
    notListed: "not listed",
    leagueScope: "Assessment league scope",
    actions: "Corrective actions of closed complaints",
    rootCause: "Root cause",
    action: "Corrective action",
    complaint: "Complaint",
    parts: {
      [ScorecardPart.SATISFACTION]: "Satisfaction",
      [ScorecardPart.STANDARDS]: "Service standards",
      [ScorecardPart.COMEBACKS]: "Comebacks",
      [ScorecardPart.FILL_RATE]: "First-time fill rate",
      [ScorecardPart.REQUIRED_STOCK]: "Required stock",
      [ScorecardPart.COSTS]: "Costs",
      [ScorecardPart.COMPLAINTS]: "Complaints",
    } as Record<number, string>,
    rate: "rate",
    sample: "responses",
    serviceIndex: "service index",
    nps: "NPS",
    met: "met",
    missed: "missed",
    of: "of",
    ros: "ROs",
    costPerRo: "cost per RO",
    margin: "margin",
    claimRate: "claims per 100 ROs",
    per100: "per 100 ROs",
    complaints: "complaints",
    comebacks: "comebacks",
    lines: "lines served at once",
    items: "items held",
  },
  "zh-CN": {
    title: "经销商记分卡",
    pick: "选择经销商",
    composite: "综合得分",
    weights: (v: number) => `权重版本 ${v}`,
    part: "部分",
    score: "得分（0–1000）",
    figures: "数据",
    missing: (why: string) => `缺失：${why}`,
    gathered: "采集时间",
    league: "经销商考核排行榜",
    standings: "本经销商的排名",
    standingsCaption: "本期经销商在各全国排行榜中的位置",
    metric: "排行榜",
    position: "位置",
    rank: "排名",
    estimate: "估计值",
    unranked: "未排名",
    outOf: (n: number) => `/ ${n}`,
    notListed: "未列入",
    leagueScope: "考核排行榜范围",
    actions: "已关闭投诉的纠正措施",
    rootCause: "根本原因",
    action: "纠正措施",
    complaint: "投诉",
    parts: {
      [ScorecardPart.SATISFACTION]: "满意度",
      [ScorecardPart.STANDARDS]: "服务标准",
      [ScorecardPart.COMEBACKS]: "返修",
      [ScorecardPart.FILL_RATE]: "一次满足率",
      [ScorecardPart.REQUIRED_STOCK]: "必备库存",
      [ScorecardPart.COSTS]: "成本",
      [ScorecardPart.COMPLAINTS]: "投诉",
    },
    rate: "比率",
    sample: "份回答",
    serviceIndex: "服务指数",
    nps: "净推荐值",
    met: "达标",
    missed: "未达标",
    of: "/",
    ros: "个工单",
    costPerRo: "单均成本",
    margin: "毛利",
    claimRate: "每百工单索赔数",
    per100: "每百工单",
    complaints: "投诉",
    comebacks: "返修",
    lines: "行一次满足",
    items: "项已备",
  },
});

type T = (typeof texts)["en"];

function figures(s: ScorecardSection, t: T, locale: Locale): string {
  const f = s.figures;
  switch (f.case) {
    case "satisfaction":
      return `${t.rate} ${basisPoints(locale, f.value.satisfactionRateBp)}, ${t.serviceIndex} ${decimal(locale, f.value.serviceIndex, 0)}, ${t.nps} ${decimal(locale, f.value.nps)}; ${f.value.sampleSize} ${t.sample}`;
    case "standards":
      return `${f.value.met} ${t.met}, ${f.value.missed} ${t.missed}: ${basisPoints(locale, f.value.rateBp)}`;
    case "comebacks":
      return `${f.value.comebacks} ${t.comebacks} ${t.of} ${f.value.repairOrders} ${t.ros}: ${basisPoints(locale, f.value.rateBp)}`;
    case "fillRate":
      return `${f.value.linesServedAtOnce} ${t.of} ${f.value.linesAsked} ${t.lines}: ${basisPoints(locale, f.value.rateBp)}`;
    case "requiredStock":
      return `${f.value.itemsMet} ${t.of} ${f.value.itemsRequired} ${t.items}: ${basisPoints(locale, f.value.rateBp)}`;
    case "costs":
      return `${t.costPerRo} ${money(locale, f.value.costPerRepairOrder)}, ${t.margin} ${money(locale, f.value.margin)} (${basisPoints(locale, f.value.marginBp)}), ${t.claimRate} ${decimal(locale, Number(f.value.claimRateCenti) / 100, 2)}`;
    case "complaints":
      return `${f.value.complaints} ${t.complaints}, ${t.per100} ${
        f.value.per100RepairOrdersCenti === undefined ? "—" : decimal(locale, Number(f.value.per100RepairOrdersCenti) / 100, 2)
      }`;
    default:
      return "";
  }
}

function Card({ dealerId, period }: { dealerId: string; period: ReturnType<typeof thisMonth> }) {
  const t = useTexts(texts);
  const { clients, locale } = useConsole();
  const loaded = useLoad(() => clients.scorecards.getDealerScorecard({ dealerId, period }), [clients, dealerId, periodKey(period)]);
  return (
    <Loading loaded={loaded}>
      {(card) => (
        <>
          <p class="composite">
            {t.composite}: <strong>{card.composite?.value ?? "—"}</strong> / 1000{" "}
            <span class="muted">({t.weights(card.composite?.weightsVersion ?? 0)})</span> · {t.gathered}{" "}
            {dateTime(locale, card.gatherTime)}
          </p>
          <Scroll>
            <table>
              <caption>{t.title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.part}</th>
                  <th scope="col">{t.score}</th>
                  <th scope="col">{t.figures}</th>
                </tr>
              </thead>
              <tbody>
                {card.sections.map((s) => (
                  <tr key={s.part}>
                    <th scope="row">{t.parts[s.part]}</th>
                    <td>
                      {s.score === undefined ? "—" : (
                        <meter min={0} max={1000} value={s.score} aria-label={`${t.parts[s.part]} ${s.score}`}>
                          {s.score}
                        </meter>
                      )}{" "}
                      {s.score ?? ""}
                    </td>
                    <td>{s.missingReason ? <span class="muted">{t.missing(s.missingReason)}</span> : figures(s, t, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          {card.correctiveActions.length > 0 && (
            <Scroll>
              <table>
                <caption>{t.actions}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.complaint}</th>
                    <th scope="col">{t.rootCause}</th>
                    <th scope="col">{t.action}</th>
                  </tr>
                </thead>
                <tbody>
                  {card.correctiveActions.map((a) => (
                    <tr key={a.complaintId}>
                      <th scope="row">{a.complaintId}</th>
                      <td>{a.rootCause}</td>
                      <td>{a.correctiveAction}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )}
        </>
      )}
    </Loading>
  );
}

const STANDING_METRICS = [LeagueMetric.SATISFACTION_RATE, LeagueMetric.NPS, LeagueMetric.SERVICE_INDEX, LeagueMetric.ASSESSMENT];

/** A dealer's own position in each national dealer league of the period. */
function Standings({ dealerId, period }: { dealerId: string; period: ReturnType<typeof thisMonth> }) {
  const t = useTexts(texts);
  const { clients, locale } = useConsole();
  const loaded = useLoad(
    () =>
      Promise.all(
        STANDING_METRICS.map((metric) =>
          clients.leagues
            .getLeagueStanding({
              table: { metric, level: LeagueLevel.DEALER, period },
              memberId: dealerId,
              neighbours: 0,
            })
            // A dealer without answers in a league is not listed in it.
            .then((standing) => ({ metric, standing }), (error) => ({ metric, error }))
        ),
      ),
    [clients, dealerId, periodKey(period)],
  );
  return (
    <Loading loaded={loaded}>
      {(rows) => (
        <Scroll>
          <table class="standings">
            <caption>{t.standingsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.metric}</th>
                <th scope="col">{t.position}</th>
                <th scope="col">{t.rank}</th>
                <th scope="col">{t.estimate}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const entry = "standing" in row ? row.standing.entry : undefined;
                const total = "standing" in row ? Number(row.standing.rankedCount + row.standing.unrankedCount) : 0;
                return (
                  <tr key={row.metric}>
                    <th scope="row">{metricNames[locale][row.metric]}</th>
                    <td>{entry ? `${entry.position} ${t.outOf(total)}` : <span class="muted">{t.notListed}</span>}</td>
                    <td>{entry ? (entry.rank === undefined ? <span class="badge">{t.unranked}</span> : String(entry.rank)) : "—"}</td>
                    <td>{entry?.estimate === undefined ? "—" : decimal(locale, entry.estimate, 1)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Scroll>
      )}
    </Loading>
  );
}

function Scorecard() {
  const t = useTexts(texts);
  const c = useTexts(common);
  const { session } = useConsole();
  const network = useNetwork();
  const [dealer, setDealer] = useState("");
  const [region, setRegion] = useState(session.role === "region" ? session.regionId : "");
  const [period, setPeriod] = useState(thisMonth);
  return (
    <Loading loaded={network}>
      {(n) => {
        const dealers = n.dealers;
        const chosen = dealer || dealers[0]?.id || "";
        const regions = n.regions.filter((r) => session.role !== "region" || r.id === session.regionId);
        return (
          <>
            <form class="filters" aria-label={t.pick} onSubmit={(e) => e.preventDefault()}>
              <Choice label={c.dealer} value={chosen} options={dealers.map((d) => [d.id, d.displayName] as const)} onChange={setDealer} />
              <PeriodPicker value={period} onChange={setPeriod} />
            </form>
            {chosen && <Card dealerId={chosen} period={period} />}
            {session.dealerId && (
              <>
                <h2>{t.standings}</h2>
                <Standings dealerId={session.dealerId} period={period} />
              </>
            )}
            <h2>{t.league}</h2>
            <form class="filters" aria-label={t.leagueScope} onSubmit={(e) => e.preventDefault()}>
              <Choice
                label={c.scope}
                value={region}
                options={[["", c.national], ...regions.map((r) => [r.id, r.displayName] as const)]}
                onChange={setRegion}
              />
            </form>
            <LeagueTableView
              table={create(LeagueTableKeySchema, { metric: LeagueMetric.ASSESSMENT, level: LeagueLevel.DEALER, regionId: region, period })}
            />
          </>
        );
      }}
    </Loading>
  );
}

export const scorecard: Screen = {
  path: "scorecard",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["oem", "region", "dealer"],
  View: Scorecard,
};
