// The station's price board: what the customer pays for each part, labour
// operation and maintenance package now, section by section.
import { PriceBoardSection, type PriceBoardEntry } from "../../gen/aftercare/parts/v1/price_board_pb";
import type { Station } from "../../gen/aftercare/dealers/v1/network_pb";
import { catalog } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { dateTime, decimal, money } from "../format";
import { WithStation } from "../stations";
import { Loading, Scroll } from "../ui";
import type { Screen } from ".";

const texts = catalog({
  en: {
    title: "Price board",
    filters: "Which station's board",
    code: "Code",
    name: "Name",
    price: "Price",
    since: "In force since",
    details: "Details",
    empty: "No price is in force at this station.",
    sections: {
      [PriceBoardSection.PARTS]: "Parts",
      [PriceBoardSection.LABOUR_OPERATIONS]: "Labour operations",
      [PriceBoardSection.MAINTENANCE_PACKAGES]: "Maintenance packages",
    } as Record<number, string>,
    unit: (u: string) => `per ${u}`,
    supersededBy: (p: string) => `replaced by ${p}`,
    hours: (h: string) => `${h} h standard`,
    model: (m: string) => `model ${m}`,
    everyMonths: (n: number) => `every ${n} months`,
    everyKm: (n: string) => `every ${n} km`,
  },
  "zh-CN": {
    title: "价格公示",
    filters: "选择服务站的价格表",
    code: "代码",
    name: "名称",
    price: "价格",
    since: "生效时间",
    details: "说明",
    empty: "该服务站没有生效的价格。",
    sections: {
      [PriceBoardSection.PARTS]: "配件",
      [PriceBoardSection.LABOUR_OPERATIONS]: "工时项目",
      [PriceBoardSection.MAINTENANCE_PACKAGES]: "保养套餐",
    },
    unit: (u: string) => `每 ${u}`,
    supersededBy: (p: string) => `已由 ${p} 替代`,
    hours: (h: string) => `标准工时 ${h} 小时`,
    model: (m: string) => `车型 ${m}`,
    everyMonths: (n: number) => `每 ${n} 个月`,
    everyKm: (n: string) => `每 ${n} 公里`,
  },
});

type T = (typeof texts)["en"];

function details(e: PriceBoardEntry, t: T, locale: "en" | "zh-CN"): string {
  const d = e.details;
  switch (d.case) {
    case "part":
      return [t.unit(d.value.unit), d.value.supersededBy && t.supersededBy(d.value.supersededBy)].filter(Boolean).join(", ");
    case "labourOperation":
      return t.hours(decimal(locale, d.value.standardCentihours / 100, 2));
    case "maintenancePackage":
      return [
        t.model(d.value.modelCode),
        d.value.intervalMonths && t.everyMonths(d.value.intervalMonths),
        d.value.intervalKm && t.everyKm(decimal(locale, d.value.intervalKm, 0)),
      ]
        .filter(Boolean)
        .join(", ");
    default:
      return "";
  }
}

const SECTIONS = [PriceBoardSection.PARTS, PriceBoardSection.LABOUR_OPERATIONS, PriceBoardSection.MAINTENANCE_PACKAGES];

function Board({ station }: { station: Station }) {
  const t = useTexts(texts);
  const { clients, locale } = useConsole();
  const loaded = useLoad(() => clients.priceBoard.listPriceBoardEntries({ stationId: station.id, pageSize: 1000 }), [clients, station.id]);
  return (
    <Loading loaded={loaded}>
      {(page) =>
        page.entries.length === 0 ? (
          <p>{t.empty}</p>
        ) : (
          <>
            {SECTIONS.map((section) => {
              const entries = page.entries.filter((e) => e.section === section);
              if (!entries.length) return null;
              return (
                <Scroll key={section}>
                  <table class="price-board">
                    <caption>{t.sections[section]}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t.code}</th>
                        <th scope="col">{t.name}</th>
                        <th scope="col">{t.price}</th>
                        <th scope="col">{t.details}</th>
                        <th scope="col">{t.since}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {entries.map((e) => (
                        <tr key={e.code}>
                          <th scope="row">
                            <code>{e.code}</code>
                          </th>
                          <td>{e.displayName}</td>
                          <td class="amount">{money(locale, e.price)}</td>
                          <td>{details(e, t, locale)}</td>
                          <td>{dateTime(locale, e.effectiveTime)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Scroll>
              );
            })}
          </>
        )
      }
    </Loading>
  );
}

function PriceBoard() {
  const t = useTexts(texts);
  return <WithStation label={t.filters}>{(station) => <Board key={station.id} station={station} />}</WithStation>;
}

export const priceBoard: Screen = {
  path: "price-board",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["dealer"],
  View: PriceBoard,
};
