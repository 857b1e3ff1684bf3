// A station's day for its advisors: the repair orders at risk of missing
// their promise, kept live by WatchAtRiskRepairOrders (no reload needed),
// today's repair orders with their promise time and at-risk flag, and a
// repair order opened by its number (/console/repair-orders/<id>).
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { useRef, useState } from "preact/hooks";
import type { Station } from "../../gen/aftercare/dealers/v1/network_pb";
import type { AtRiskRepairOrders, RepairOrder } from "../../gen/aftercare/dealers/v1/repair_orders_pb";
import { catalog, common } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { usePeople } from "../people";
import { dateTime } from "../format";
import { WithStation } from "../stations";
import { useWatch } from "../stream";
import { LiveState, Loading, useNow, Scroll } from "../ui";
import type { Screen, ScreenProps } from ".";
import { RepairOrderPage } from "./repair-order";
import { OPEN_STATUSES, RoLink, roWords, ToPromise } from "./repair-order-parts";

const texts = catalog({
  en: {
    title: "Today's repair orders",
    filters: "Which station",
    openForm: "Open a repair order",
    number: "Repair order number",
    board: "At risk of missing the promise",
    boardCaption: (n: number) => `${n} ${n === 1 ? "repair order" : "repair orders"} at risk, earliest promise first`,
    noneAtRisk: "No repair order is at risk now.",
    today: "Today in the workshop",
    todayCaption: (n: number) =>
      `${n} ${n === 1 ? "repair order" : "repair orders"} arrived or promised today, or still in the workshop, by promise time`,
    noneToday: "No repair order today.",
  },
  "zh-CN": {
    title: "今日工单",
    filters: "选择服务站",
    openForm: "打开工单",
    number: "工单号",
    board: "可能延误承诺交车时间",
    boardCaption: (n: number) => `${n} 个工单有延误风险，承诺时间最早的在前`,
    noneAtRisk: "目前没有有延误风险的工单。",
    today: "今日车间",
    todayCaption: (n: number) => `${n} 个工单今日到店、今日承诺交车或仍在车间，按承诺时间排序`,
    noneToday: "今日没有工单。",
  },
});

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Arrived or promised today, or still in the workshop. */
function isToday(ro: RepairOrder, now: Date): boolean {
  const times = [ro.arrivalTime, ro.promiseTime].filter((t) => t !== undefined);
  return OPEN_STATUSES.includes(ro.status) || times.some((t) => sameDay(new Date(timestampMs(t)), now));
}

function byPromise(a: RepairOrder, b: RepairOrder): number {
  return (a.promiseTime ? timestampMs(a.promiseTime) : Infinity) - (b.promiseTime ? timestampMs(b.promiseTime) : Infinity);
}

function OpenById({ go }: { go: ScreenProps["go"] }) {
  const t = useTexts(texts);
  const c = useTexts(common);
  const [id, setId] = useState("");
  return (
    <form
      class="filters"
      aria-label={t.openForm}
      onSubmit={(e) => {
        e.preventDefault();
        if (id.trim()) go(`repair-orders/${encodeURIComponent(id.trim())}`);
      }}
    >
      <span class="field">
        <label for="ro-id">{t.number}</label>
        <input id="ro-id" type="text" required value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} />
      </span>
      <button type="submit">{c.open}</button>
    </form>
  );
}

function AtRiskBoard({ station, go, onChange }: { station: Station; go: ScreenProps["go"]; onChange: () => void }) {
  const t = useTexts(texts);
  const w = useTexts(roWords);
  const { clients, locale } = useConsole();
  const now = useNow();
  const people = usePeople();
  const watched = useWatch<AtRiskRepairOrders>(
    (signal) => clients.repairOrders.watchAtRiskRepairOrders({ stationId: station.id }, { signal }),
    [clients, station.id],
    (_message, previous) => previous && onChange(),
  );
  const ros = watched.data?.repairOrders ?? [];
  return (
    <section class="board" aria-labelledby="board-heading">
      <h2 id="board-heading">{t.board}</h2>
      <LiveState watched={watched} />
      <div aria-live="polite">
        {watched.data &&
          (ros.length === 0 ? (
            <p class="calm">{t.noneAtRisk}</p>
          ) : (
            <Scroll>
              <table class="at-risk">
                <caption>{t.boardCaption(ros.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{w.repairOrder}</th>
                    <th scope="col">{w.promise}</th>
                    <th scope="col">{w.timeLeft}</th>
                    <th scope="col">{w.status}</th>
                    <th scope="col">{w.vehicle}</th>
                    <th scope="col">{w.advisor}</th>
                  </tr>
                </thead>
                <tbody>
                  {ros.map((ro) => (
                    <tr key={ro.id} data-ro={ro.id}>
                      <th scope="row">
                        <RoLink id={ro.id} go={go} />
                      </th>
                      <td>{dateTime(locale, ro.promiseTime)}</td>
                      <td>
                        <ToPromise ro={ro} now={now} />
                      </td>
                      <td>{w.statuses[ro.status] ?? "—"}</td>
                      <td>{people.vehicle(ro.vehicleId)}</td>
                      <td>{people.staff(ro.advisorId)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          ))}
      </div>
    </section>
  );
}

function StationDay({ station, go }: { station: Station; go: ScreenProps["go"] }) {
  const t = useTexts(texts);
  const w = useTexts(roWords);
  const c = useTexts(common);
  const { clients, locale } = useConsole();
  const now = useNow();
  const people = usePeople();
  const loaded = useLoad(() => clients.repairOrders.listRepairOrders({ stationId: station.id, pageSize: 1000 }), [clients, station.id]);
  // The list is read again when the board's set changes (an RO opened, moved or at risk).
  const reload = useRef(loaded.reload);
  reload.current = loaded.reload;
  return (
    <>
      <AtRiskBoard station={station} go={go} onChange={() => reload.current()} />
      <h2>{t.today}</h2>
      <Loading loaded={loaded}>
        {(page) => {
          const today = page.repairOrders.filter((ro) => isToday(ro, new Date(now))).sort(byPromise);
          if (!today.length) return <p>{t.noneToday}</p>;
          return (
            <Scroll>
              <table class="repair-orders">
                <caption>{t.todayCaption(today.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{w.repairOrder}</th>
                    <th scope="col">{w.type}</th>
                    <th scope="col">{w.status}</th>
                    <th scope="col">{w.atRisk}</th>
                    <th scope="col">{w.promise}</th>
                    <th scope="col">{w.timeLeft}</th>
                    <th scope="col">{w.arrival}</th>
                    <th scope="col">{w.vehicle}</th>
                    <th scope="col">{w.advisor}</th>
                  </tr>
                </thead>
                <tbody>
                  {today.map((ro) => (
                    <tr key={ro.id} data-ro={ro.id} class={ro.atRisk ? "at-risk-row" : ""}>
                      <th scope="row">
                        <RoLink id={ro.id} go={go} />
                      </th>
                      <td>{w.types[ro.type] ?? "—"}</td>
                      <td>{w.statuses[ro.status] ?? "—"}</td>
                      <td>{ro.atRisk ? <strong class="overdue">{w.atRiskFlag}</strong> : <span class="muted">{c.no}</span>}</td>
                      <td>{dateTime(locale, ro.promiseTime)}</td>
                      <td>
                        <ToPromise ro={ro} now={now} />
                      </td>
                      <td>{dateTime(locale, ro.arrivalTime)}</td>
                      <td>{people.vehicle(ro.vehicleId)}</td>
                      <td>{people.staff(ro.advisorId)}</td>
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

function Workshop({ rest, go }: ScreenProps) {
  const t = useTexts(texts);
  if (rest) return <RepairOrderPage id={rest} go={go} />;
  return (
    <>
      <OpenById go={go} />
      <WithStation label={t.filters}>{(station) => <StationDay key={station.id} station={station} go={go} />}</WithStation>
    </>
  );
}

export const workshop: Screen = {
  path: "repair-orders",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roles: ["dealer"],
  View: Workshop,
};
