// What the dealer's repair-order screens share (the day's list, the at-risk
// board and one RO's page): their words, the link to an RO's page and the
// time left to its promise.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import {
  PartsLineState,
  RepairOrderStatus,
  RepairOrderType,
  type RepairOrder,
} from "../../gen/aftercare/dealers/v1/repair_orders_pb";
import { catalog } from "../../i18n/common";
import { useTexts } from "../context";
import { span } from "../format";
import type { ScreenProps } from ".";

export const roWords = catalog({
  en: {
    repairOrder: "Repair order",
    type: "Type",
    status: "Status",
    vehicle: "Vehicle",
    advisor: "Advisor",
    arrival: "Arrived",
    promise: "Promised for",
    timeLeft: "Until the promise",
    atRisk: "At risk",
    atRiskFlag: "⚠ at risk",
    onTrack: "on track",
    dueIn: (s: string) => `${s} left`,
    missedBy: (s: string) => `missed by ${s}`,
    statuses: {
      [RepairOrderStatus.OPENED]: "opened",
      [RepairOrderStatus.IN_PROGRESS]: "in progress",
      [RepairOrderStatus.WAITING_PARTS]: "waiting for parts",
      [RepairOrderStatus.COMPLETED]: "completed",
      [RepairOrderStatus.DELIVERED]: "delivered",
      [RepairOrderStatus.CLOSED]: "closed",
      [RepairOrderStatus.CANCELLED]: "cancelled",
    } as Record<number, string>,
    types: {
      [RepairOrderType.MAINTENANCE]: "maintenance",
      [RepairOrderType.REPAIR]: "repair",
      [RepairOrderType.WARRANTY]: "warranty",
      [RepairOrderType.RECALL]: "recall",
    } as Record<number, string>,
    lineStates: {
      [PartsLineState.RESERVED]: "reserved",
      [PartsLineState.BACKORDERED]: "backordered",
      [PartsLineState.ISSUED]: "issued",
      [PartsLineState.RELEASED]: "released",
    } as Record<number, string>,
  },
  "zh-CN": {
    repairOrder: "工单",
    type: "类型",
    status: "状态",
    vehicle: "车辆",
    advisor: "服务顾问",
    arrival: "到店时间",
    promise: "承诺交车时间",
    timeLeft: "距承诺时间",
    atRisk: "有延误风险",
    atRiskFlag: "⚠ 有延误风险",
    onTrack: "正常",
    dueIn: (s: string) => `剩余 ${s}`,
    missedBy: (s: string) => `已超时 ${s}`,
    statuses: {
      [RepairOrderStatus.OPENED]: "已开单",
      [RepairOrderStatus.IN_PROGRESS]: "维修中",
      [RepairOrderStatus.WAITING_PARTS]: "等待配件",
      [RepairOrderStatus.COMPLETED]: "已完工",
      [RepairOrderStatus.DELIVERED]: "已交车",
      [RepairOrderStatus.CLOSED]: "已关闭",
      [RepairOrderStatus.CANCELLED]: "已取消",
    },
    types: {
      [RepairOrderType.MAINTENANCE]: "保养",
      [RepairOrderType.REPAIR]: "维修",
      [RepairOrderType.WARRANTY]: "保修",
      [RepairOrderType.RECALL]: "召回",
    },
    lineStates: {
      [PartsLineState.RESERVED]: "已预留",
      [PartsLineState.BACKORDERED]: "缺货待到",
      [PartsLineState.ISSUED]: "已出库",
      [PartsLineState.RELEASED]: "已释放",
    },
  },
});

/** Work not yet handed over: what the workshop still has on its floor. */
export const OPEN_STATUSES = [
  RepairOrderStatus.OPENED,
  RepairOrderStatus.IN_PROGRESS,
  RepairOrderStatus.WAITING_PARTS,
  RepairOrderStatus.COMPLETED,
];

export function RoLink({ id, go }: { id: string; go: ScreenProps["go"] }) {
  const to = `repair-orders/${encodeURIComponent(id)}`;
  return (
    <a
      href={`/console/${to}`}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault();
        go(to);
      }}
    >
      {id}
    </a>
  );
}

/** The time left to the promise, ticking; past it, by how much it was missed. */
export function ToPromise({ ro, now }: { ro: RepairOrder; now: number }) {
  const w = useTexts(roWords);
  if (!ro.promiseTime || !OPEN_STATUSES.includes(ro.status)) return <span class="muted">—</span>;
  const left = timestampMs(ro.promiseTime) - now;
  return (
    <span role="timer" class={left < 0 ? "overdue" : left < 3600_000 ? "soon" : ""}>
      {left < 0 ? w.missedBy(span(-left)) : w.dueIn(span(left))}
    </span>
  );
}
