// One league table, followed live (WatchLeagueTable): a chart of each
// member's estimate with its 95 % interval, and the table itself with
// ranks, sample sizes, unranked members, movement since the previous period
// and the moves seen while the screen is open. Used by the leagues screen
// and the scorecard's assessment league.
import { useEffect, useRef, useState } from "preact/hooks";
import {
  LeagueMetric,
  type LeagueEntry,
  type LeagueMove,
  type LeagueTableKey,
  type LeagueTableUpdate,
} from "../../gen/aftercare/surveys/v1/leagues_pb";
import { catalog, common, type Locale } from "../../i18n/common";
import { Chart } from "../chart";
import { useConsole, useTexts } from "../context";
import { decimal } from "../format";
import { useWatch } from "../stream";
import { FailureNote, LiveState, Scroll } from "../ui";

const texts = catalog({
  en: {
    position: "Position",
    rank: "Rank",
    member: "Member",
    estimate: "Estimate",
    interval: "95 % interval",
    raw: "Raw value",
    sample: "Sample size",
    movement: "Since last period",
    liveMove: "Moved just now",
    you: "you",
    movedUp: (n: number, from: string, to: string) => `up ${n}, from ${from} to ${to}`,
    movedDown: (n: number, from: string, to: string) => `down ${n}, from ${from} to ${to}`,
    rankChanged: (from: string, to: string) => `rank ${from} → ${to}`,
    entered: (to: string) => `new on the page at ${to}`,
    left: "left the page",
    unranked: "unranked",
    unrankedNote: (n: number) => `${n} listed without a rank: fewer answers than the minimum sample.`,
    rankedNote: (n: number) => `${n} ranked.`,
    hidden: "hidden",
    up: (n: number) => `up ${n}`,
    down: (n: number) => `down ${n}`,
    same: "no change",
    none: "not ranked in either period",
    chartLabel: (metric: string) => `Chart of each member's ${metric} estimate and its 95 % interval; the table below gives the same figures.`,
    caption: (metric: string) => `${metric}: ranked by the small-sample-safe estimate`,
    fromDatabase: "The table store was unavailable: the database answered.",
    empty: "No member in this table yet.",
  },
  "zh-CN": {
    position: "位置",
    rank: "排名",
    member: "成员",
    estimate: "估计值",
    interval: "95% 区间",
    raw: "原始值",
    sample: "样本量",
    movement: "较上期变动",
    liveMove: "实时变动",
    you: "本单位",
    movedUp: (n: number, from: string, to: string) => `上升 ${n}，从 ${from} 到 ${to}`,
    movedDown: (n: number, from: string, to: string) => `下降 ${n}，从 ${from} 到 ${to}`,
    rankChanged: (from: string, to: string) => `排名 ${from} → ${to}`,
    entered: (to: string) => `新进入本页，位置 ${to}`,
    left: "已离开本页",
    unranked: "未排名",
    unrankedNote: (n: number) => `${n} 个成员列出但未排名：回答数少于最低样本量。`,
    rankedNote: (n: number) => `${n} 个已排名。`,
    hidden: "不可见",
    up: (n: number) => `上升 ${n}`,
    down: (n: number) => `下降 ${n}`,
    same: "不变",
    none: "两期均未排名",
    chartLabel: (metric: string) => `各成员${metric}估计值及其 95% 区间的图表；下表给出相同数据。`,
    caption: (metric: string) => `${metric}：按小样本稳健估计值排名`,
    fromDatabase: "排行榜存储不可用：由数据库应答。",
    empty: "该排行榜暂无成员。",
  },
});

export const metricNames = catalog({
  en: {
    [LeagueMetric.SATISFACTION_RATE]: "Satisfaction rate (%)",
    [LeagueMetric.NPS]: "NPS (points)",
    [LeagueMetric.SERVICE_INDEX]: "Service index (0–1000)",
    [LeagueMetric.WEIGHTED_GAP]: "Weighted SERVQUAL gap (points)",
    [LeagueMetric.ASSESSMENT]: "Dealer assessment (0–1000)",
  } as Record<number, string>,
  "zh-CN": {
    [LeagueMetric.SATISFACTION_RATE]: "满意率（%）",
    [LeagueMetric.NPS]: "净推荐值（分）",
    [LeagueMetric.SERVICE_INDEX]: "服务指数（0–1000）",
    [LeagueMetric.WEIGHTED_GAP]: "加权 SERVQUAL 差距（分）",
    [LeagueMetric.ASSESSMENT]: "经销商考核（0–1000）",
  },
});

/** Digits each metric's values are shown with. */
const DIGITS: Record<number, number> = {
  [LeagueMetric.SATISFACTION_RATE]: 1,
  [LeagueMetric.NPS]: 1,
  [LeagueMetric.SERVICE_INDEX]: 0,
  [LeagueMetric.WEIGHTED_GAP]: 2,
  [LeagueMetric.ASSESSMENT]: 0,
};

/** The entry's 95 % interval, when the service shows it (hidden with the estimate). */
function interval(e: LeagueEntry): [number, number] | undefined {
  return e.intervalLow !== undefined && e.intervalHigh !== undefined ? [e.intervalLow, e.intervalHigh] : undefined;
}

function EstimateChart({ entries, metric, locale }: { entries: LeagueEntry[]; metric: string; locale: Locale }) {
  const t = useTexts(texts);
  const canvas = useRef<HTMLCanvasElement>(null);
  const shown = entries.filter((e) => e.estimate !== undefined);
  useEffect(() => {
    if (!canvas.current || !shown.length) return;
    const labels = shown.map((e) => e.memberName || e.memberId);
    const intervals = shown.map(interval);
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: {
        labels,
        datasets: [
          ...(intervals.some(Boolean)
            ? [
                {
                  type: "bar" as const,
                  label: t.interval,
                  data: intervals.map((i) => i ?? null) as unknown as number[],
                  backgroundColor: "rgba(37, 99, 235, 0.25)",
                  borderColor: "#1d4ed8",
                  borderWidth: 1,
                  barPercentage: 0.5,
                },
              ]
            : []),
          // Ranked and unranked members apart, so the legend says which is which.
          ...[true, false].map((ranked) => ({
            type: "line" as const,
            label: ranked ? t.estimate : `${t.estimate} (${t.unranked})`,
            data: shown.map((e) => ((e.rank !== undefined) === ranked ? e.estimate ?? null : null)) as number[],
            showLine: false,
            pointStyle: ranked ? ("rectRot" as const) : ("triangle" as const),
            pointRadius: 6,
            backgroundColor: ranked ? "#1e3a8a" : "#c2410c",
            borderColor: "#0f172a",
          })),
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        locale,
        scales: { x: { beginAtZero: false }, y: { ticks: { autoSkip: false } } },
      },
    });
    return () => chart.destroy();
  }, [shown.map((e) => `${e.memberId}:${e.estimate}:${e.intervalLow}:${e.intervalHigh}`).join(), t, locale]);
  if (!shown.length) return null;
  return (
    <div class="chart" style={{ height: `${80 + 32 * shown.length}px` }}>
      <canvas ref={canvas} role="img" aria-label={t.chartLabel(metric)} />
    </div>
  );
}

function Movement({ entry }: { entry: LeagueEntry }) {
  const t = useTexts(texts);
  if (entry.movement === undefined) return <span class="muted" title={t.none}>–</span>;
  const n = Number(entry.movement);
  if (n > 0) return <span class="up" aria-label={t.up(n)}>▲ {n}</span>;
  if (n < 0) return <span class="down" aria-label={t.down(-n)}>▼ {-n}</span>;
  return <span aria-label={t.same}>● 0</span>;
}

/** A move seen on the stream: the arrow, and in words where from and to. */
function LiveMove({ move }: { move: LeagueMove | undefined }) {
  const t = useTexts(texts);
  if (!move) return null;
  const from = move.fromPosition === undefined ? undefined : Number(move.fromPosition);
  const to = move.toPosition === undefined ? undefined : Number(move.toPosition);
  const rank = (r: bigint | undefined) => (r === undefined ? "–" : String(r));
  let said: string;
  let shown: string;
  let tone = "";
  if (to === undefined) [said, shown] = [t.left, "⇣"];
  else if (from === undefined) [said, shown, tone] = [t.entered(String(to)), `★ ${to}`, "up"];
  else if (to < from) [said, shown, tone] = [t.movedUp(from - to, String(from), String(to)), `▲ ${from - to}`, "up"];
  else if (to > from) [said, shown, tone] = [t.movedDown(to - from, String(from), String(to)), `▼ ${to - from}`, "down"];
  else [said, shown] = [t.rankChanged(rank(move.fromRank), rank(move.toRank)), `${rank(move.fromRank)} → ${rank(move.toRank)}`];
  return (
    <span class={`live-move ${tone}`} data-move={move.memberId} aria-label={said} title={said}>
      {shown}
    </span>
  );
}

export function LeagueTableView({ table }: { table: LeagueTableKey }) {
  const t = useTexts(texts);
  const c = useTexts(common);
  const { clients, locale, session } = useConsole();
  const metric = metricNames[locale][table.metric] ?? "";
  const digits = DIGITS[table.metric] ?? 1;
  const key = [table.metric, table.level, table.regionId, table.period?.kind, table.period?.year, table.period?.number];
  // The latest move of each member since the table was opened.
  const [moves, setMoves] = useState<Map<string, LeagueMove>>(new Map());
  useEffect(() => setMoves(new Map()), key);
  const watched = useWatch<LeagueTableUpdate>(
    (signal) => clients.leagues.watchLeagueTable({ table, pageSize: 1000 }, { signal }),
    [clients, ...key],
    (update) => {
      if (!update.moves.length) return;
      setMoves((was) => new Map([...was, ...update.moves.map((m) => [m.memberId, m] as const)]));
    },
  );
  const own = (id: string) => id === session.dealerId || session.stationIds.includes(id);
  const value = (v: number | undefined) => (v === undefined ? <span class="muted">{t.hidden}</span> : decimal(locale, v, digits));
  const page = watched.data?.table;
  if (!page) {
    if (watched.failure) return <FailureNote failure={watched.failure} />;
    return <p aria-live="polite">{c.loading}</p>;
  }
  return page.entries.length === 0 ? (
    <>
      <LiveState watched={watched} />
      <p>{t.empty}</p>
    </>
  ) : (
    <>
      <LiveState watched={watched} />
      {page.servedFromDatabase && <p class="note">{t.fromDatabase}</p>}
      <p class="note">
        {t.rankedNote(Number(page.rankedCount))} {t.unrankedNote(Number(page.unrankedCount))}
      </p>
      <EstimateChart entries={page.entries} metric={metric} locale={locale} />
      <Scroll>
        <table class="league">
          <caption>{t.caption(metric)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.position}</th>
              <th scope="col">{t.rank}</th>
              <th scope="col">{t.member}</th>
              <th scope="col">{t.estimate}</th>
              <th scope="col">{t.interval}</th>
              <th scope="col">{t.raw}</th>
              <th scope="col">{t.sample}</th>
              <th scope="col">{t.movement}</th>
              <th scope="col">{t.liveMove}</th>
            </tr>
          </thead>
          <tbody>
            {page.entries.map((e) => {
              const i = interval(e);
              const classes = [e.rank === undefined ? "unranked" : "", own(e.memberId) ? "own" : ""].filter(Boolean).join(" ");
              return (
                <tr key={e.memberId} class={classes} data-member={e.memberId}>
                  <td>{String(e.position)}</td>
                  <td>{e.rank === undefined ? <span class="badge">{t.unranked}</span> : String(e.rank)}</td>
                  <th scope="row">
                    {e.memberName || e.memberId}
                    {own(e.memberId) && <span class="badge">{t.you}</span>}
                  </th>
                  <td>{value(e.estimate)}</td>
                  <td>{i ? `${decimal(locale, i[0], digits)} – ${decimal(locale, i[1], digits)}` : "—"}</td>
                  <td>{value(e.rawValue)}</td>
                  <td>{e.sampleSize === undefined ? <span class="muted">{t.hidden}</span> : String(e.sampleSize)}</td>
                  <td>
                    <Movement entry={e} />
                  </td>
                  <td>
                    <LiveMove move={moves.get(e.memberId)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
    </>
  );
}
