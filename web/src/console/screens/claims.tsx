// The warranty approval queue: submitted claims the caller sees, those
// within its authority first, each with its amount, the level it calls for
// and its failed checks; approve or reject, and the service's answer —
// a refusal in plain words with the reason it gives.
import { useState } from "preact/hooks";
import { ApprovalLevel, CheckResult, ClaimState, type WarrantyClaim } from "../../gen/aftercare/costs/v1/claims_pb";
import { catalog } from "../../i18n/common";
import { useConsole, useDescribe, useLoad, useTexts } from "../context";
import type { Failure } from "../errors";
import { dateTime, money, requestId } from "../format";
import { useNetwork } from "../network";
import { FailureNote, Loading, Scroll } from "../ui";
import type { Screen } from ".";
import type { Role } from "../session";

const texts = catalog({
  en: {
    title: "Warranty approvals",
    dealerTitle: "Warranty claims",
    within: "Within your authority",
    above: "Above your authority",
    aboveNote: "The claimed amount calls for a higher level; the service will refuse your approval.",
    claim: "Claim",
    vehicle: "Vehicle",
    claimed: "Claimed",
    calls: "Approved by",
    checks: "Failed checks",
    submitted: "Submitted",
    decide: "Decision",
    approve: "Approve",
    reject: "Reject",
    reason: "Reason for rejecting",
    confirmReject: "Reject the claim",
    cancel: "Cancel",
    allPassed: "all passed",
    zeroNote: "An approval pays these lines 0.",
    empty: "No claim waits for approval.",
    ours: "Our warranty claims",
    oursCaption: (n: number) => `${n} ${n === 1 ? "claim" : "claims"} of the dealer, every state, latest change first`,
    noClaims: "The dealer has no warranty claim.",
    repairOrder: "Repair order",
    state: "State",
    approvedAmount: "Approved",
    changed: "Last change",
    queue: "Waiting for your approval",
    outcome: (id: string, state: string, amount: string) => `${id}: ${state}, ${amount} approved.`,
    rejected: (id: string) => `${id}: rejected.`,
    levels: {
      [ApprovalLevel.STATION]: "station",
      [ApprovalLevel.REGION]: "region",
      [ApprovalLevel.HEAD_OFFICE]: "head office",
    } as Record<number, string>,
    states: {
      [ClaimState.DRAFT]: "draft",
      [ClaimState.SUBMITTED]: "submitted",
      [ClaimState.PAID]: "paid",
      [ClaimState.APPROVED]: "approved",
      [ClaimState.PARTLY_APPROVED]: "partly approved",
      [ClaimState.REJECTED]: "rejected",
    } as Record<number, string>,
  },
  "zh-CN": {
    title: "保修索赔审批",
    dealerTitle: "保修索赔",
    within: "在您的权限内",
    above: "超出您的权限",
    aboveNote: "索赔金额需要更高层级审批；服务会拒绝您的批准。",
    claim: "索赔单",
    vehicle: "车辆",
    claimed: "索赔金额",
    calls: "审批层级",
    checks: "未通过的检查",
    submitted: "提交时间",
    decide: "决定",
    approve: "批准",
    reject: "驳回",
    reason: "驳回原因",
    confirmReject: "驳回该索赔",
    cancel: "取消",
    allPassed: "全部通过",
    zeroNote: "批准时这些行按 0 支付。",
    empty: "没有待审批的索赔。",
    ours: "本经销商的保修索赔",
    oursCaption: (n: number) => `经销商的 ${n} 条索赔，全部状态，最近变更在前`,
    noClaims: "该经销商没有保修索赔。",
    repairOrder: "工单",
    state: "状态",
    approvedAmount: "批准金额",
    changed: "最近变更",
    queue: "等待您审批",
    outcome: (id: string, state: string, amount: string) => `${id}：${state}，批准金额 ${amount}。`,
    rejected: (id: string) => `${id}：已驳回。`,
    levels: {
      [ApprovalLevel.STATION]: "服务站",
      [ApprovalLevel.REGION]: "大区",
      [ApprovalLevel.HEAD_OFFICE]: "总部",
    },
    states: {
      [ClaimState.DRAFT]: "草稿",
      [ClaimState.SUBMITTED]: "已提交",
      [ClaimState.PAID]: "已支付",
      [ClaimState.APPROVED]: "已批准",
      [ClaimState.PARTLY_APPROVED]: "部分批准",
      [ClaimState.REJECTED]: "已驳回",
    },
  },
});

const LEVEL_OF: Partial<Record<Role, ApprovalLevel>> = {
  oem: ApprovalLevel.HEAD_OFFICE,
  region: ApprovalLevel.REGION,
  dealer: ApprovalLevel.STATION,
};

/**
 * The lines a failed check forbids paying (its own line's, or every line for
 * a check of the whole claim), approved at 0 with the check as the reason:
 * the service approves no more, and asks for them to be named.
 */
function zeroWhereFailed(claim: WarrantyClaim) {
  return claim.lines.flatMap((line) => {
    const failed = claim.checks.filter(
      (c) => c.result === CheckResult.FAILED && (c.lineNumber === 0 || c.lineNumber === line.lineNumber),
    );
    if (!failed.length) return [];
    const currencyCode = line.claimed?.currencyCode ?? claim.claimed?.currencyCode ?? "";
    return [
      {
        lineNumber: line.lineNumber,
        approved: { currencyCode, minorUnits: 0n },
        reason: failed.map((c) => `${c.name}: ${c.detail}`).join("; ").slice(0, 500),
      },
    ];
  });
}

type Outcome = { done: string } | { failure: Failure; claimId: string };

function ClaimRow({ claim, onOutcome }: { claim: WarrantyClaim; onOutcome: (o: Outcome) => void }) {
  const t = useTexts(texts);
  const { clients, locale } = useConsole();
  const network = useNetwork();
  const explain = useDescribe();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const failed = claim.checks.filter((c) => c.result !== CheckResult.PASSED);
  const act = async (call: () => Promise<WarrantyClaim>, done: (c: WarrantyClaim) => string) => {
    setBusy(true);
    try {
      onOutcome({ done: done(await call()) });
    } catch (error) {
      onOutcome({ failure: explain(error), claimId: claim.id });
    } finally {
      setBusy(false);
    }
  };
  const approve = () =>
    act(
      () =>
        clients.claims.approveWarrantyClaim({
          id: claim.id,
          lineDecisions: zeroWhereFailed(claim),
          etag: claim.etag,
          requestId: requestId(),
        }),
      (c) => t.outcome(c.id, t.states[c.state] ?? "", money(locale, c.approved)),
    );
  const reject = (e: Event) => {
    e.preventDefault();
    act(
      () => clients.claims.rejectWarrantyClaim({ id: claim.id, reason, etag: claim.etag, requestId: requestId() }),
      (c) => t.rejected(c.id),
    );
  };
  const place = network.data ? `${network.data.name(claim.dealerId)} · ${network.data.name(claim.stationId)}` : claim.stationId;
  return (
    <tr data-claim={claim.id}>
      <th scope="row">
        {claim.id}
        <br />
        <small>{place}</small>
      </th>
      <td>
        {claim.model} <small>{claim.vin}</small>
      </td>
      <td class="amount">{money(locale, claim.claimed)}</td>
      <td class="nowrap">{t.levels[claim.approvalLevel] ?? "—"}</td>
      <td>
        {failed.length === 0 ? (
          <span class="muted">{t.allPassed}</span>
        ) : (
          <ul class="checks">
            {failed.map((c) => (
              <li key={`${c.name}-${c.lineNumber}`}>
                <code>{c.name}</code> {c.detail}
              </li>
            ))}
            {failed.some((c) => c.result === CheckResult.FAILED) && <li class="muted">{t.zeroNote}</li>}
          </ul>
        )}
      </td>
      <td>{dateTime(locale, claim.updateTime)}</td>
      <td class="actions">
        {rejecting ? (
          <form onSubmit={reject}>
            <label for={`reason-${claim.id}`}>{t.reason}</label>
            <textarea id={`reason-${claim.id}`} required maxLength={500} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
            <button type="submit" disabled={busy}>
              {t.confirmReject}
            </button>
            <button type="button" onClick={() => setRejecting(false)}>
              {t.cancel}
            </button>
          </form>
        ) : (
          <>
            <button type="button" class="primary" disabled={busy} onClick={approve} aria-label={`${t.approve} ${claim.id}`}>
              {t.approve}
            </button>
            <button type="button" disabled={busy} onClick={() => setRejecting(true)} aria-label={`${t.reject} ${claim.id}`}>
              {t.reject}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

function Queue({ caption, claims, onOutcome }: { caption: string; claims: WarrantyClaim[]; onOutcome: (o: Outcome) => void }) {
  const t = useTexts(texts);
  return (
    <Scroll>
      <table class="claims">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.claim}</th>
            <th scope="col">{t.vehicle}</th>
            <th scope="col">{t.claimed}</th>
            <th scope="col">{t.calls}</th>
            <th scope="col">{t.checks}</th>
            <th scope="col">{t.submitted}</th>
            <th scope="col">{t.decide}</th>
          </tr>
        </thead>
        <tbody>
          {claims.map((c) => (
            <ClaimRow key={c.id} claim={c} onOutcome={onOutcome} />
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/** A dealer's own claims in every state: where each stands and what was approved. */
function OurClaims() {
  const t = useTexts(texts);
  const { clients, locale } = useConsole();
  const network = useNetwork();
  const loaded = useLoad(() => clients.claims.listWarrantyClaims({ pageSize: 500 }), [clients]);
  return (
    <>
      <h2>{t.ours}</h2>
      <Loading loaded={loaded}>
        {(page) => {
          if (!page.claims.length) return <p>{t.noClaims}</p>;
          const claims = [...page.claims].sort((a, b) => Number((b.updateTime?.seconds ?? 0n) - (a.updateTime?.seconds ?? 0n)));
          return (
            <Scroll>
              <table class="our-claims">
                <caption>{t.oursCaption(claims.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.claim}</th>
                    <th scope="col">{t.repairOrder}</th>
                    <th scope="col">{t.vehicle}</th>
                    <th scope="col">{t.state}</th>
                    <th scope="col">{t.claimed}</th>
                    <th scope="col">{t.approvedAmount}</th>
                    <th scope="col">{t.calls}</th>
                    <th scope="col">{t.checks}</th>
                    <th scope="col">{t.changed}</th>
                  </tr>
                </thead>
                <tbody>
                  {claims.map((c) => {
                    const failed = c.checks.filter((x) => x.result !== CheckResult.PASSED);
                    return (
                      <tr key={c.id} data-claim={c.id}>
                        <th scope="row">
                          {c.id}
                          <br />
                          <small>{network.data?.name(c.stationId) ?? c.stationId}</small>
                        </th>
                        <td>
                          <small>{c.repairOrderId}</small>
                        </td>
                        <td>
                          {c.model} <small>{c.vin}</small>
                        </td>
                        <td class="nowrap">{t.states[c.state] ?? "—"}</td>
                        <td class="amount">{money(locale, c.claimed)}</td>
                        <td class="amount">{money(locale, c.approved)}</td>
                        <td class="nowrap">{t.levels[c.approvalLevel] ?? "—"}</td>
                        <td>
                          {failed.length === 0 ? (
                            <span class="muted">{t.allPassed}</span>
                          ) : (
                            <ul class="checks">
                              {failed.map((x) => (
                                <li key={`${x.name}-${x.lineNumber}`}>
                                  <code>{x.name}</code> {x.detail}
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                        <td>{dateTime(locale, c.updateTime)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </Scroll>
          );
        }}
      </Loading>
      <h2>{t.queue}</h2>
    </>
  );
}

function Claims() {
  const t = useTexts(texts);
  const { clients, session } = useConsole();
  const [outcome, setOutcome] = useState<Outcome>();
  const loaded = useLoad(() => clients.claims.listWarrantyClaims({ state: ClaimState.SUBMITTED, pageSize: 500 }), [clients]);
  const own = LEVEL_OF[session.role] ?? ApprovalLevel.UNSPECIFIED;
  const record = (o: Outcome) => {
    setOutcome(o);
    if ("done" in o) loaded.reload();
  };
  return (
    <>
      {session.role === "dealer" && <OurClaims />}
      <div class="outcome">
        {outcome && "done" in outcome && (
          <p class="success" role="status">
            {outcome.done}
          </p>
        )}
        {outcome && "failure" in outcome && (
          <div data-claim-outcome={outcome.claimId}>
            <p class="refused-claim">{outcome.claimId}</p>
            <FailureNote failure={outcome.failure} />
          </div>
        )}
      </div>
      <Loading loaded={loaded}>
        {(page) => {
          const within = page.claims.filter((c) => c.approvalLevel <= own);
          const above = page.claims.filter((c) => c.approvalLevel > own);
          if (!page.claims.length) return <p>{t.empty}</p>;
          return (
            <>
              <h2>{t.within}</h2>
              {within.length ? <Queue caption={t.within} claims={within} onOutcome={record} /> : <p>{t.empty}</p>}
              {above.length > 0 && (
                <>
                  <h2>{t.above}</h2>
                  <p class="note">{t.aboveNote}</p>
                  <Queue caption={t.above} claims={above} onOutcome={record} />
                </>
              )}
            </>
          );
        }}
      </Loading>
    </>
  );
}

export const claims: Screen = {
  path: "claims",
  titles: { en: texts.en.title, "zh-CN": texts["zh-CN"].title },
  roleTitles: { dealer: { en: texts.en.dealerTitle, "zh-CN": texts["zh-CN"].dealerTitle } },
  roles: ["oem", "region", "dealer"],
  View: Claims,
};

