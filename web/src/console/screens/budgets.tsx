// Budgets against actuals: every dealer's totals side by side, then one
// scope's categories with their variance.
import { useState } from "preact/hooks";
import { CostCategory, type CostReport, type CostReportLine } from "../../gen/aftercare/costs/v1/control_pb";
import { ScopeLevel } from "../../gen/aftercare/costs/v1/scope_pb";
import { catalog, common, type Locale } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { basisPoints, money } from "../format";
import { networkOf, useNetwork } from "../network";
import { Choice, Loading, PeriodPicker, periodKey, thisMonth, Scroll } from "../ui";
import type { Screen } from ".";

const texts = catalog({
  en: {
    title: "Budgets and actuals",
    filters: "Which period",
    detailScope: "Detail of",
    overview: "Dealers: actual of the budgeted categories against their budgets",
    budgetedActual: "Actual, budgeted categories",
    detail: (scope: string) => `${scope}: actual against budget per category`,
    category: "Category",
    actual: "Actual",
    fixed: "Fixed",
    variable: "Variable",
    budget: "Budget",
    variance: "Variance",
    used: "Budget used",
    total: "Total",
    over: "over budget",
    noBudget: "no budget",
    categories: {
      [CostCategory.PREMISES]: "Premises",
      [CostCategory.EQUIPMENT_DEPRECIATION]: "Equipment depreciation",
      [CostCategory.BASE_SALARIES]: "Base salaries",
      [CostCategory.FACILITY_MAINTENANCE]: "Facility maintenance",
      [CostCategory.PARTS]: "Parts",
      [CostCategory.CONSUMABLES]: "Consumables",
      [CostCategory.PART_TIME_WAGES]: "Part-time wages",
      [CostCategory.UTILITIES]: "Utilities",
      [CostCategory.TRANSPORT]: "Transport",
      [CostCategory.POSTAGE]: "Postage",
      [CostCategory.OVERTIME]: "Overtime",
      [CostCategory.WARRANTY]: "Warranty",
    } as Record<number, string>,
  },
  "zh-CN": {
    title: "预算与实际",
    filters: "选择期间",
    detailScope: "明细范围",
    overview: "各经销商：有预算类别的实际对比预算",
    budgetedActual: "有预算类别的实际",
    detail: (scope: string) => `${scope}：各类别实际对比预算`,
    category: "类别",
    actual: "实际",
    fixed: "固定",
    variable: "变动",
    budget: "预算",
    variance: "差异",
    used: "预算使用",
    total: "合计",
    over: "超预算",
    noBudget: "无预算",
    categories: {
      [CostCategory.PREMISES]: "场地",
      [CostCategory.EQUIPMENT_DEPRECIATION]: "设备折旧",
      [CostCategory.BASE_SALARIES]: "基本工资",
      [CostCategory.FACILITY_MAINTENANCE]: "设施维护",
      [CostCategory.PARTS]: "配件",
      [CostCategory.CONSUMABLES]: "耗材",
      [CostCategory.PART_TIME_WAGES]: "兼职工资",
      [CostCategory.UTILITIES]: "水电",
      [CostCategory.TRANSPORT]: "运输",
      [CostCategory.POSTAGE]: "邮寄",
      [CostCategory.OVERTIME]: "加班",
      [CostCategory.WARRANTY]: "保修",
    },
  },
});

/** The actual of the categories that have a budget: what the budget is measured against. */
function budgeted(report: CostReport): Pick<CostReportLine, "actual" | "budget"> {
  const lines = report.lines.filter((l) => l.budget);
  const actual = lines.reduce((sum, l) => sum + (l.actual?.minorUnits ?? 0n), 0n);
  const currencyCode = report.totalActual?.currencyCode ?? "";
  return { actual: { ...report.totalActual!, currencyCode, minorUnits: actual }, budget: report.totalBudget };
}

/** actual ÷ budget as a meter, red past the budget. */
function Used({ line, locale }: { line: Pick<CostReportLine, "actual" | "budget">; locale: Locale }) {
  const t = useTexts(texts);
  const budget = Number(line.budget?.minorUnits ?? 0n);
  if (!line.budget || budget === 0) return <span class="muted">{t.noBudget}</span>;
  const ratio = Number(line.actual?.minorUnits ?? 0n) / budget;
  const label = basisPoints(locale, Math.round(ratio * 10000));
  return (
    <span class={ratio > 1 ? "over" : ""}>
      <meter min={0} max={1} low={0.8} high={1} optimum={0.5} value={Math.min(ratio, 1)} aria-label={`${t.used} ${label}`} />{" "}
      {label}
      {ratio > 1 && ` (${t.over})`}
    </span>
  );
}

function Detail({ report, title, locale }: { report: CostReport; title: string; locale: Locale }) {
  const t = useTexts(texts);
  const c = useTexts(common);
  if (!report.lines.length) return <p>{c.noData}</p>;
  return (
    <Scroll>
      <table>
        <caption>{t.detail(title)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.category}</th>
            <th scope="col">{t.actual}</th>
            <th scope="col">{t.fixed}</th>
            <th scope="col">{t.variable}</th>
            <th scope="col">{t.budget}</th>
            <th scope="col">{t.variance}</th>
            <th scope="col">{t.used}</th>
          </tr>
        </thead>
        <tbody>
          {report.lines.map((l) => (
            <tr key={l.category}>
              <th scope="row">{t.categories[l.category] ?? String(l.category)}</th>
              <td class="amount">{money(locale, l.actual)}</td>
              <td class="amount">{money(locale, l.fixed)}</td>
              <td class="amount">{money(locale, l.variable)}</td>
              <td class="amount">{money(locale, l.budget)}</td>
              <td class="amount">
                {money(locale, l.variance)} {l.varianceBp !== undefined && <small>({basisPoints(locale, l.varianceBp)})</small>}
              </td>
              <td>
                <Used line={l} locale={locale} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t.total}</th>
            <td class="amount">{money(locale, report.totalActual)}</td>
            <td />
            <td />
            <td class="amount">{money(locale, report.totalBudget)}</td>
            <td />
            <td>
              <Used line={budgeted(report)} locale={locale} />
            </td>
          </tr>
        </tfoot>
      </table>
    </Scroll>
  );
}

function Budgets() {
  const t = useTexts(texts);
  const c = useTexts(common);
  const { clients, locale, session } = useConsole();
  const network = useNetwork();
  const [period, setPeriod] = useState(thisMonth);
  const [scope, setScope] = useState("");
  const dealers = network.data?.dealers ?? [];
  const overview = useLoad(async () => {
    return Promise.all(
      (await networkOf(clients)).dealers.map(async (d) => ({
        dealer: d,
        report: await clients.costControl.getCostReport({ scope: { level: ScopeLevel.DEALER, id: d.id }, period }),
      })),
    );
  }, [clients, periodKey(period)]);
  // The scopes a detail can be read for: the network (head office), the regions seen, the dealers.
  const regions = (network.data?.regions ?? []).filter((r) => session.role === "oem" || r.id === session.regionId);
  const scopes: (readonly [string, string])[] = [
    ...(session.role === "oem" ? [[`${ScopeLevel.NETWORK}:`, c.network] as const] : []),
    ...regions.map((r) => [`${ScopeLevel.REGION}:${r.id}`, `${c.region} ${r.displayName}`] as const),
    ...dealers.map((d) => [`${ScopeLevel.DEALER}:${d.id}`, `${c.dealer} ${d.displayName}`] as const),
  ];
  const chosen = scope || scopes[0]?.[0] || "";
  const [level, id] = chosen.split(":");
  const detail = useLoad(async () => {
    if (!chosen) return undefined;
    return clients.costControl.getCostReport({ scope: { level: Number(level), id }, period });
  }, [clients, chosen, periodKey(period)]);
  const chosenName = scopes.find(([k]) => k === chosen)?.[1] ?? "";
  return (
    <>
      <form class="filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
        <PeriodPicker value={period} onChange={setPeriod} />
      </form>
      <Loading loaded={overview}>
        {(rows) =>
          (
            <Scroll>
              <table>
                <caption>{t.overview}</caption>
                <thead>
                  <tr>
                    <th scope="col">{c.dealer}</th>
                    <th scope="col">{t.actual}</th>
                    <th scope="col">{t.budgetedActual}</th>
                    <th scope="col">{t.budget}</th>
                    <th scope="col">{t.used}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ dealer, report }) => (
                    <tr key={dealer.id}>
                      <th scope="row">{dealer.displayName}</th>
                      <td class="amount">{money(locale, report.totalActual)}</td>
                      <td class="amount">{money(locale, budgeted(report).actual)}</td>
                      <td class="amount">{money(locale, report.totalBudget)}</td>
                      <td>
                        <Used line={budgeted(report)} locale={locale} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )
        }
      </Loading>
      {scopes.length > 0 && (
        <form class="filters" aria-label={t.detailScope} onSubmit={(e) => e.preventDefault()}>
          <Choice label={t.detailScope} value={chosen} options={scopes} onChange={setScope} />
        </form>
      )}
      <Loading loaded={detail}>{(report) => report && <Detail report={report} title={chosenName} locale={locale} />}</Loading>
    </>
  );
}

export const budgets: Screen = {
  path: "budgets",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["oem", "region"],
  View: Budgets,
};
