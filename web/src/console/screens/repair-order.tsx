// One repair order, opened by its number: what it is, where it stands, its
// lines and its history. Another dealer's RO answers NOT_FOUND, which the
// page says in plain words ("not found, or not yours to see").
import { catalog, common } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { usePeople } from "../people";
import { dateTime, decimal, money } from "../format";
import { useNetwork } from "../network";
import { Loading, useNow, Scroll } from "../ui";
import type { ScreenProps } from ".";
import { OPEN_STATUSES, roWords, ToPromise } from "./repair-order-parts";

const texts = catalog({
  en: {
    heading: (id: string) => `Repair order ${id}`,
    back: "Back to today's repair orders",
    estimate: "Estimate",
    finalBill: "Final bill",
    mileage: "Mileage",
    km: (n: string) => `${n} km`,
    comeback: "Comeback",
    comebackOf: (id: string) => `yes, of ${id}`,
    labour: "Labour lines",
    operation: "Operation",
    standard: "Standard hours",
    actual: "Hours worked",
    technician: "Technician",
    parts: "Parts lines",
    part: "Part",
    quantity: "Quantity",
    lineState: "Stock",
    expected: "Expected",
    history: "History",
    when: "When",
    who: "By",
    line: "Line",
    none: "None.",
    cancelReason: "Reason for cancelling",
  },
  "zh-CN": {
    heading: (id: string) => `工单 ${id}`,
    back: "返回今日工单",
    estimate: "预估金额",
    finalBill: "结算金额",
    mileage: "里程",
    km: (n: string) => `${n} 公里`,
    comeback: "返修",
    comebackOf: (id: string) => `是，返修自 ${id}`,
    labour: "工时项目",
    operation: "工时代码",
    standard: "标准工时",
    actual: "实际工时",
    technician: "技师",
    parts: "配件项目",
    part: "配件",
    quantity: "数量",
    lineState: "库存",
    expected: "预计到货",
    history: "历史",
    when: "时间",
    who: "操作人",
    line: "行",
    none: "无。",
    cancelReason: "取消原因",
  },
});

export function RepairOrderPage({ id, go }: { id: string } & Pick<ScreenProps, "go">) {
  const t = useTexts(texts);
  const w = useTexts(roWords);
  const c = useTexts(common);
  const { clients, locale } = useConsole();
  const network = useNetwork();
  const now = useNow();
  const people = usePeople();
  const loaded = useLoad(() => clients.repairOrders.getRepairOrder({ id }), [clients, id]);
  const hours = (centi: number) => decimal(locale, centi / 100, 2);
  return (
    <article class="repair-order">
      <p>
        <a
          href="/console/repair-orders"
          onClick={(e) => {
            e.preventDefault();
            go("repair-orders");
          }}
        >
          ← {t.back}
        </a>
      </p>
      <h2>{t.heading(id)}</h2>
      <Loading loaded={loaded}>
        {(ro) => {
          return (
            <>
              <dl class="facts">
                <dt>{c.station}</dt>
                <dd>{network.data?.name(ro.stationId) ?? ro.stationId}</dd>
                <dt>{w.status}</dt>
                <dd data-status>{w.statuses[ro.status] ?? "—"}</dd>
                <dt>{w.atRisk}</dt>
                <dd>{OPEN_STATUSES.includes(ro.status) ? ro.atRisk ? <strong class="overdue">{w.atRiskFlag}</strong> : w.onTrack : "—"}</dd>
                <dt>{w.type}</dt>
                <dd>{w.types[ro.type] ?? "—"}</dd>
                <dt>{w.vehicle}</dt>
                <dd>{people.vehicle(ro.vehicleId)}</dd>
                <dt>{w.advisor}</dt>
                <dd>{people.staff(ro.advisorId)}</dd>
                <dt>{w.arrival}</dt>
                <dd>{dateTime(locale, ro.arrivalTime)}</dd>
                <dt>{w.promise}</dt>
                <dd>
                  {dateTime(locale, ro.promiseTime)}
                  {OPEN_STATUSES.includes(ro.status) && (
                    <>
                      {" "}
                      (<ToPromise ro={ro} now={now} />)
                    </>
                  )}
                </dd>
                <dt>{t.estimate}</dt>
                <dd>{money(locale, ro.estimate)}</dd>
                <dt>{t.finalBill}</dt>
                <dd>{money(locale, ro.finalBill)}</dd>
                <dt>{t.mileage}</dt>
                <dd>{ro.mileageKm ? t.km(decimal(locale, Number(ro.mileageKm), 0)) : "—"}</dd>
                <dt>{t.comeback}</dt>
                <dd>{ro.comeback ? t.comebackOf(ro.comebackOfRepairOrderId) : c.no}</dd>
                {ro.cancelReason && (
                  <>
                    <dt>{t.cancelReason}</dt>
                    <dd>{ro.cancelReason}</dd>
                  </>
                )}
              </dl>
              <Scroll>
                <table class="labour-lines">
                  <caption>{t.labour}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.line}</th>
                      <th scope="col">{t.operation}</th>
                      <th scope="col">{t.standard}</th>
                      <th scope="col">{t.actual}</th>
                      <th scope="col">{t.technician}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ro.labourLines.length === 0 && (
                      <tr>
                        <td colSpan={5}>{t.none}</td>
                      </tr>
                    )}
                    {ro.labourLines.map((l) => (
                      <tr key={l.lineNumber}>
                        <th scope="row">{l.lineNumber}</th>
                        <td>
                          <code>{l.operationCode}</code>
                        </td>
                        <td>{hours(l.standardCentihours)}</td>
                        <td>{l.actualCentihours ? hours(l.actualCentihours) : "—"}</td>
                        <td>{l.technicianId ? people.staff(l.technicianId) : "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scroll>
              <Scroll>
                <table class="parts-lines">
                  <caption>{t.parts}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.line}</th>
                      <th scope="col">{t.part}</th>
                      <th scope="col">{t.quantity}</th>
                      <th scope="col">{t.lineState}</th>
                      <th scope="col">{t.expected}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ro.partsLines.length === 0 && (
                      <tr>
                        <td colSpan={5}>{t.none}</td>
                      </tr>
                    )}
                    {ro.partsLines.map((l) => (
                      <tr key={l.lineNumber}>
                        <th scope="row">{l.lineNumber}</th>
                        <td>
                          <code>{l.reservedPartNumber || l.partNumber}</code>
                        </td>
                        <td>{String(l.quantity)}</td>
                        <td>{w.lineStates[l.state] ?? "—"}</td>
                        <td>{l.expectedTime ? dateTime(locale, l.expectedTime) : "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scroll>
              <Scroll>
                <table class="history">
                  <caption>{t.history}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.when}</th>
                      <th scope="col">{w.status}</th>
                      <th scope="col">{t.who}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ro.history.map((h, i) => (
                      <tr key={i}>
                        <th scope="row">{dateTime(locale, h.time)}</th>
                        <td>{w.statuses[h.status] ?? "—"}</td>
                        <td>{h.actor}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Scroll>
            </>
          );
        }}
      </Loading>
    </article>
  );
}
