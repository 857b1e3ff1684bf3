// The stock of the dealer's warehouses: each part's quantities and levels
// (those at or below their reorder point marked), and the backorders
// waiting for stock in the order they will be filled.
import { useState } from "preact/hooks";
import type { Warehouse } from "../../gen/aftercare/parts/v1/stock_pb";
import { catalog, common } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { dateTime } from "../format";
import { Choice, Loading, Scroll } from "../ui";
import type { Screen, ScreenProps } from ".";
import { RoLink } from "./repair-order-parts";

const texts = catalog({
  en: {
    title: "Stock and backorders",
    filters: "Which warehouse",
    warehouse: "Warehouse",
    levels: (n: number) => `Stock of ${n} ${n === 1 ? "part" : "parts"}, by part number`,
    part: "Part",
    onHand: "On hand",
    reserved: "Reserved",
    available: "Available",
    inbound: "Inbound",
    backordered: "Backordered",
    reorderPoint: "Reorder point",
    safety: "Safety stock",
    minMax: "Min – max",
    low: "reorder",
    noStock: "No stock recorded in this warehouse.",
    backorders: "Backorders",
    backordersCaption: (n: number) => `${n} backordered ${n === 1 ? "line" : "lines"}, in the order they will be filled`,
    noBackorders: "No line is waiting for stock.",
    repairOrder: "Repair order",
    line: "Line",
    asked: "Part asked",
    quantity: "Quantity",
    since: "Waiting since",
    expected: "Expected",
    unknown: "not known",
  },
  "zh-CN": {
    title: "库存与缺件",
    filters: "选择仓库",
    warehouse: "仓库",
    levels: (n: number) => `${n} 种配件的库存，按配件号排序`,
    part: "配件",
    onHand: "在库",
    reserved: "已预留",
    available: "可用",
    inbound: "在途",
    backordered: "缺件",
    reorderPoint: "再订货点",
    safety: "安全库存",
    minMax: "最小 – 最大",
    low: "需补货",
    noStock: "该仓库没有库存记录。",
    backorders: "缺件订单",
    backordersCaption: (n: number) => `${n} 行缺件，按补货顺序排列`,
    noBackorders: "没有等待到货的配件行。",
    repairOrder: "工单",
    line: "行",
    asked: "所需配件",
    quantity: "数量",
    since: "等待开始",
    expected: "预计到货",
    unknown: "未知",
  },
});

function Levels({ warehouse }: { warehouse: Warehouse }) {
  const t = useTexts(texts);
  const { clients } = useConsole();
  const loaded = useLoad(
    () => clients.stock.listStockLevels({ warehouseId: warehouse.warehouseId, pageSize: 1000 }),
    [clients, warehouse.warehouseId],
  );
  return (
    <Loading loaded={loaded}>
      {(page) =>
        page.stockLevels.length === 0 ? (
          <p>{t.noStock}</p>
        ) : (
          <Scroll>
            <table class="stock">
              <caption>{t.levels(page.stockLevels.length)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.part}</th>
                  <th scope="col">{t.onHand}</th>
                  <th scope="col">{t.reserved}</th>
                  <th scope="col">{t.available}</th>
                  <th scope="col">{t.inbound}</th>
                  <th scope="col">{t.backordered}</th>
                  <th scope="col">{t.reorderPoint}</th>
                  <th scope="col">{t.safety}</th>
                  <th scope="col">{t.minMax}</th>
                </tr>
              </thead>
              <tbody>
                {page.stockLevels.map((s) => {
                  const low = s.reorderPoint > 0n && s.available <= s.reorderPoint;
                  return (
                    <tr key={s.partNumber}>
                      <th scope="row">
                        <code>{s.partNumber}</code> {low && <span class="badge warn">{t.low}</span>}
                      </th>
                      <td class="amount">{String(s.onHand)}</td>
                      <td class="amount">{String(s.reserved)}</td>
                      <td class="amount">{String(s.available)}</td>
                      <td class="amount">{String(s.inbound)}</td>
                      <td class={`amount ${s.backordered > 0n ? "over" : ""}`}>{String(s.backordered)}</td>
                      <td class="amount">{String(s.reorderPoint)}</td>
                      <td class="amount">{String(s.safetyStock)}</td>
                      <td class="amount">
                        {String(s.minQuantity)} – {String(s.maxQuantity)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Scroll>
        )
      }
    </Loading>
  );
}

function Backorders({ warehouse, go }: { warehouse: Warehouse; go: ScreenProps["go"] }) {
  const t = useTexts(texts);
  const { clients, locale } = useConsole();
  const loaded = useLoad(
    () => clients.stock.listBackorders({ warehouseId: warehouse.warehouseId, pageSize: 1000 }),
    [clients, warehouse.warehouseId],
  );
  return (
    <>
      <h2>{t.backorders}</h2>
      <Loading loaded={loaded}>
        {(page) =>
          page.backorders.length === 0 ? (
            <p class="empty">{t.noBackorders}</p>
          ) : (
            <Scroll>
              <table class="backorders">
                <caption>{t.backordersCaption(page.backorders.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.repairOrder}</th>
                    <th scope="col">{t.line}</th>
                    <th scope="col">{t.asked}</th>
                    <th scope="col">{t.quantity}</th>
                    <th scope="col">{t.since}</th>
                    <th scope="col">{t.expected}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.backorders.map((b) => (
                    <tr key={`${b.repairOrderId}-${b.lineNumber}`}>
                      <th scope="row">
                        <RoLink id={b.repairOrderId} go={go} />
                      </th>
                      <td>{b.lineNumber}</td>
                      <td>
                        <code>{b.requestedPartNumber || b.partNumber}</code>
                      </td>
                      <td class="amount">{String(b.quantity)}</td>
                      <td>{dateTime(locale, b.createTime)}</td>
                      <td>{b.expectedTime ? dateTime(locale, b.expectedTime) : <span class="muted">{t.unknown}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )
        }
      </Loading>
    </>
  );
}

function Stock({ go }: ScreenProps) {
  const t = useTexts(texts);
  const c = useTexts(common);
  const { clients, session } = useConsole();
  const [picked, setPicked] = useState("");
  const loaded = useLoad(() => clients.stock.listWarehouses({ dealerId: session.dealerId, pageSize: 1000 }), [clients]);
  return (
    <Loading loaded={loaded}>
      {(page) => {
        const warehouse = page.warehouses.find((w) => w.warehouseId === picked) ?? page.warehouses[0];
        if (!warehouse) return <p>{c.noData}</p>;
        return (
          <>
            <form class="filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
              <Choice
                label={t.warehouse}
                value={warehouse.warehouseId}
                options={page.warehouses.map((w) => [w.warehouseId, w.displayName] as const)}
                onChange={setPicked}
              />
            </form>
            <Levels key={`levels-${warehouse.warehouseId}`} warehouse={warehouse} />
            <Backorders key={`backorders-${warehouse.warehouseId}`} warehouse={warehouse} go={go} />
          </>
        );
      }}
    </Loading>
  );
}

export const stock: Screen = {
  path: "stock",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["dealer"],
  View: Stock,
};
