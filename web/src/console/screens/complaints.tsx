// The complaints queue: what is still to be done, with the pending
// deadline counting down live, the owner level it has escalated to, and
// the escalations so far.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { useState } from "preact/hooks";
import {
  ComplaintAction,
  ComplaintSeverity,
  ComplaintState,
  OwnerLevel,
  type Complaint,
} from "../../gen/aftercare/surveys/v1/complaints_pb";
import { catalog, common } from "../../i18n/common";
import { useConsole, useLoad, useTexts } from "../context";
import { dateTime, span } from "../format";
import { useNetwork } from "../network";
import { Choice, Loading, useNow, Scroll } from "../ui";
import type { Screen } from ".";

const texts = catalog({
  en: {
    title: "Complaints queue",
    dealerTitle: "Our complaints",
    filters: "Which complaints",
    show: "Show",
    pending: "Not closed",
    all: "All",
    overdueOnly: "Only past their deadline",
    caption: (n: number) => `${n} complaints, newest first`,
    number: "Number",
    severity: "Severity",
    owner: "Owner (escalation)",
    escalations: "Escalations",
    deadline: "Pending deadline",
    left: "Time left",
    opened: "Opened",
    what: "What the customer says",
    responseDue: "first response",
    resolutionDue: "resolution",
    overdueBy: (s: string) => `overdue by ${s}`,
    dueIn: (s: string) => `${s} left`,
    none: "none pending",
    states: {
      [ComplaintState.OPEN]: "open",
      [ComplaintState.RESPONDED]: "responded",
      [ComplaintState.RESOLVED]: "resolved",
      [ComplaintState.CLOSED]: "closed",
    } as Record<number, string>,
    severities: {
      [ComplaintSeverity.LOW]: "low",
      [ComplaintSeverity.MEDIUM]: "medium",
      [ComplaintSeverity.HIGH]: "high",
      [ComplaintSeverity.CRITICAL]: "critical",
    } as Record<number, string>,
    owners: {
      [OwnerLevel.DEALER]: "dealer",
      [OwnerLevel.REGION]: "region",
      [OwnerLevel.HEAD_OFFICE]: "head office",
    } as Record<number, string>,
  },
  "zh-CN": {
    title: "投诉队列",
    dealerTitle: "本经销商的投诉",
    filters: "选择投诉",
    show: "显示",
    pending: "未关闭",
    all: "全部",
    overdueOnly: "仅显示已超期",
    caption: (n: number) => `共 ${n} 条投诉，最新在前`,
    number: "编号",
    severity: "严重程度",
    owner: "负责方（升级）",
    escalations: "升级次数",
    deadline: "待办期限",
    left: "剩余时间",
    opened: "受理时间",
    what: "客户反映",
    responseDue: "首次回复",
    resolutionDue: "解决",
    overdueBy: (s: string) => `已超期 ${s}`,
    dueIn: (s: string) => `剩余 ${s}`,
    none: "无待办期限",
    states: {
      [ComplaintState.OPEN]: "待回复",
      [ComplaintState.RESPONDED]: "已回复",
      [ComplaintState.RESOLVED]: "已解决",
      [ComplaintState.CLOSED]: "已关闭",
    },
    severities: {
      [ComplaintSeverity.LOW]: "低",
      [ComplaintSeverity.MEDIUM]: "中",
      [ComplaintSeverity.HIGH]: "高",
      [ComplaintSeverity.CRITICAL]: "严重",
    },
    owners: {
      [OwnerLevel.DEALER]: "经销商",
      [OwnerLevel.REGION]: "大区",
      [OwnerLevel.HEAD_OFFICE]: "总部",
    },
  },
});

/** The deadline the complaint waits on: the first response while open, the resolution until resolved. */
function pendingDeadline(c: Complaint): ["response" | "resolution", number] | undefined {
  if (c.state === ComplaintState.OPEN && c.responseDueTime) return ["response", timestampMs(c.responseDueTime)];
  if (c.state === ComplaintState.RESPONDED && c.resolutionDueTime) return ["resolution", timestampMs(c.resolutionDueTime)];
  return undefined;
}

function Countdown({ complaint, now }: { complaint: Complaint; now: number }) {
  const t = useTexts(texts);
  const due = pendingDeadline(complaint);
  if (!due) return <span class="muted">{t.none}</span>;
  const left = due[1] - now;
  return (
    <span role="timer" class={left < 0 ? "overdue" : left < 4 * 3600_000 ? "soon" : ""}>
      {left < 0 ? `⚠ ${t.overdueBy(span(-left))}` : t.dueIn(span(left))}
    </span>
  );
}

function Complaints() {
  const t = useTexts(texts);
  const c = useTexts(common);
  const { clients, locale, session } = useConsole();
  const network = useNetwork();
  const now = useNow();
  // Head office and regions work a queue; a dealer's staff read their own complaints, closed ones too.
  const [show, setShow] = useState<"pending" | "all">(session.role === "dealer" ? "all" : "pending");
  const [overdue, setOverdue] = useState(false);
  const loaded = useLoad(() => clients.complaints.listComplaints({ pageSize: 500, overdue }), [clients, overdue]);
  const name = (id: string) => network.data?.name(id) ?? id;
  return (
    <>
      <form class="filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
        <Choice
          label={t.show}
          value={show}
          options={[
            ["pending", t.pending],
            ["all", t.all],
          ]}
          onChange={setShow}
        />
        <span class="field">
          <input id="overdue" type="checkbox" checked={overdue} onChange={(e) => setOverdue((e.target as HTMLInputElement).checked)} />
          <label for="overdue">{t.overdueOnly}</label>
        </span>
      </form>
      <Loading loaded={loaded}>
        {(page) => {
          const list = page.complaints.filter((x) => show === "all" || x.state !== ComplaintState.CLOSED);
          if (!list.length) return <p>{c.noData}</p>;
          return (
            <Scroll>
              <table class="complaints">
                <caption>{t.caption(list.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.number}</th>
                    <th scope="col">{c.station}</th>
                    <th scope="col">{t.severity}</th>
                    <th scope="col">{c.state}</th>
                    <th scope="col">{t.owner}</th>
                    <th scope="col">{t.escalations}</th>
                    <th scope="col">{t.deadline}</th>
                    <th scope="col">{t.left}</th>
                    <th scope="col">{t.opened}</th>
                    <th scope="col">{t.what}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((x) => {
                    const due = pendingDeadline(x);
                    const escalations = x.history.filter((h) => h.action === ComplaintAction.ESCALATED).length;
                    return (
                      <tr key={x.id} class={x.overdue ? "overdue-row" : ""}>
                        <th scope="row">{x.id}</th>
                        <td>{name(x.stationId)}</td>
                        <td>
                          <span class={`severity s${x.severity}`}>{t.severities[x.severity] ?? "—"}</span>
                        </td>
                        <td>{t.states[x.state] ?? "—"}</td>
                        <td>{t.owners[x.ownerLevel] ?? "—"}</td>
                        <td>{escalations}</td>
                        <td>
                          {due
                            ? `${due[0] === "response" ? t.responseDue : t.resolutionDue}: ${dateTime(locale, due[0] === "response" ? x.responseDueTime : x.resolutionDueTime)}`
                            : "—"}
                        </td>
                        <td>
                          <Countdown complaint={x} now={now} />
                        </td>
                        <td>{dateTime(locale, x.openTime)}</td>
                        <td class="text">{x.description}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </Scroll>
          );
        }}
      </Loading>
    </>
  );
}

export const complaints: Screen = {
  path: "complaints",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roleTitles: { dealer: { en: texts.en.dealerTitle, "zh-CN": texts["zh-CN"].dealerTitle } },
  roles: ["oem", "region", "dealer"],
  View: Complaints,
};
