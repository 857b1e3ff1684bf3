// The station's customers due for maintenance (by time or mileage) within
// the next days, earliest first: whom the advisors call.
import { useState } from "preact/hooks";
import { DueReason, type MaintenanceReminder } from "../../gen/aftercare/dealers/v1/repair_orders_pb";
import type { Station } from "../../gen/aftercare/dealers/v1/network_pb";
import { catalog } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { usePeople } from "../people";
import { day, decimal } from "../format";
import { WithStation } from "../stations";
import { Choice, Loading, Scroll } from "../ui";
import type { Screen } from ".";

const texts = catalog({
  en: {
    title: "Maintenance reminders",
    filters: "Which reminders",
    within: "Due within",
    days: (n: number) => `${n} days`,
    caption: (n: number) => `${n} ${n === 1 ? "vehicle" : "vehicles"} due for maintenance, earliest first`,
    none: "No vehicle is due for maintenance in this time.",
    vehicle: "Vehicle",
    model: "Model",
    customer: "Customer",
    advisor: "Advisor",
    due: "Due",
    overdue: "overdue",
    why: "Why",
    mileage: "Last mileage",
    lastService: "Last service",
    never: "never",
    reasons: { [DueReason.TIME]: "time since the last service", [DueReason.MILEAGE]: "mileage" } as Record<number, string>,
  },
  "zh-CN": {
    title: "保养提醒",
    filters: "选择提醒",
    within: "到期范围",
    days: (n: number) => `${n} 天内`,
    caption: (n: number) => `${n} 辆车需要保养，最早到期的在前`,
    none: "此期间没有需要保养的车辆。",
    vehicle: "车辆",
    model: "车型",
    customer: "客户",
    advisor: "服务顾问",
    due: "到期日",
    overdue: "已逾期",
    why: "原因",
    mileage: "最近里程",
    lastService: "上次保养",
    never: "从未",
    reasons: { [DueReason.TIME]: "距上次保养时间", [DueReason.MILEAGE]: "里程" },
  },
});

const SPANS = [7, 30, 90, 180];

function isPast(r: MaintenanceReminder, now = new Date()): boolean {
  const d = r.dueDate;
  return !!d && Date.UTC(d.year, d.month - 1, d.day) < Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
}

function Due({ station, within }: { station: Station; within: number }) {
  const t = useTexts(texts);
  const { clients, locale } = useConsole();
  const people = usePeople();
  const loaded = useLoad(
    () => clients.repairOrders.listMaintenanceReminders({ stationId: station.id, withinDays: within }),
    [clients, station.id, within],
  );
  return (
    <Loading loaded={loaded}>
      {(page) =>
        page.reminders.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <Scroll>
            <table class="reminders">
              <caption>{t.caption(page.reminders.length)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.vehicle}</th>
                  <th scope="col">{t.model}</th>
                  <th scope="col">{t.due}</th>
                  <th scope="col">{t.why}</th>
                  <th scope="col">{t.customer}</th>
                  <th scope="col">{t.advisor}</th>
                  <th scope="col">{t.mileage}</th>
                  <th scope="col">{t.lastService}</th>
                </tr>
              </thead>
              <tbody>
                {page.reminders.map((r) => (
                  <tr key={r.vehicleId}>
                    <th scope="row">{people.vehicle(r.vehicleId)}</th>
                    <td>{r.model}</td>
                    <td>
                      {day(locale, r.dueDate)} {isPast(r) && <strong class="overdue">({t.overdue})</strong>}
                    </td>
                    <td>{t.reasons[r.reason] ?? "—"}</td>
                    <td>{people.customer(r.customerId)}</td>
                    <td>{people.staff(r.advisorId)}</td>
                    <td>{r.mileageKm ? `${decimal(locale, Number(r.mileageKm), 0)} km` : "—"}</td>
                    <td>{r.lastServiceDate ? day(locale, r.lastServiceDate) : t.never}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )
      }
    </Loading>
  );
}

function Reminders() {
  const t = useTexts(texts);
  const [within, setWithin] = useState(30);
  return (
    <WithStation label={t.filters}>
      {(station) => (
        <>
          <form class="filters" aria-label={t.within} onSubmit={(e) => e.preventDefault()}>
            <Choice label={t.within} value={String(within)} options={SPANS.map((d) => [String(d), t.days(d)] as const)} onChange={(d) => setWithin(Number(d))} />
          </form>
          <Due station={station} within={within} />
        </>
      )}
    </WithStation>
  );
}

export const reminders: Screen = {
  path: "reminders",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["dealer"],
  View: Reminders,
};
