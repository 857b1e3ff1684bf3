// What the survey page's browser tests ask of the running system, through
// its own gRPC-web API and the clients generated from proto/ (bundled for
// Node by survey-support.mjs): a delivered repair order's fresh survey link,
// and what was stored.
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { RepairOrderService, RepairOrderType } from "../src/gen/aftercare/dealers/v1/repair_orders_pb";
import { SurveyInvitationService } from "../src/gen/aftercare/surveys/v1/invitations_pb";
import { SurveyResponseService } from "../src/gen/aftercare/surveys/v1/responses_pb";
import { SurveyTemplateService } from "../src/gen/aftercare/surveys/v1/templates_pb";

export interface Options {
  url: string;
  /** Head office's bearer token. */
  oem: string;
  /** The bearer token of the staff of `dealer`. */
  staff: string;
  /** A seeded station of the dealer, its vehicle (whose owner reads Chinese), advisor and technician. */
  station: string;
  vehicle: string;
  advisor: string;
  technician: string;
  /** How long a condition may take, in ms. */
  patience: number;
}

const bearer =
  (token: string): Interceptor =>
  (next) =>
  (request) => {
    request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };

let made = 0;

export function surveyApi(o: Options) {
  const transport = (token: string) => createGrpcWebTransport({ baseUrl: o.url, interceptors: [bearer(token)] });
  const oem = transport(o.oem);
  const staff = transport(o.staff);
  const templates = createClient(SurveyTemplateService, oem);
  const ros = createClient(RepairOrderService, staff);
  const invitations = createClient(SurveyInvitationService, staff);
  const responses = createClient(SurveyResponseService, oem);

  async function eventually<T>(what: string, find: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + o.patience;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${o.patience} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    /** The demo publishes the network's survey in the background: waits for it. */
    surveyPublished: () =>
      eventually("the demo's survey is published", async () => {
        const template = await templates.getSurveyTemplate({ code: "after-sales" }).catch(() => undefined);
        return template && template.versions.length > 0 ? template.versions.at(-1) : undefined;
      }),

    /**
     * Delivers a new repair order of the station's vehicle and issues its
     * invitation's survey link, as the dealer's staff do.
     */
    async freshLink(): Promise<{ token: string; invitationId: string }> {
      const n = ++made;
      const rid = (step: string) => `survey-page-${Date.now()}-${n}-${step}`;
      const ro = await ros.createRepairOrder({
        repairOrder: {
          stationId: o.station,
          vehicleId: o.vehicle,
          advisorId: o.advisor,
          type: RepairOrderType.MAINTENANCE,
          promiseTime: timestampFromDate(new Date(Date.now() + 2 * 3600_000)),
          estimate: { currencyCode: "EUR", minorUnits: 30_000n },
          mileageKm: 90_000n + BigInt(n) * 100n,
        },
        requestId: rid("open"),
      });
      await ros.addLabourLine({ repairOrderId: ro.id, operationCode: "OIL-SERVICE", technicianId: o.technician, requestId: rid("labour") });
      await ros.startRepairOrder({ id: ro.id, requestId: rid("start") });
      await ros.recordLabourTime({ repairOrderId: ro.id, lineNumber: 1, actualCentihours: 60, technicianId: o.technician, requestId: rid("time") });
      await ros.completeRepairOrder({ id: ro.id, requestId: rid("complete") });
      await ros.deliverRepairOrder({
        id: ro.id,
        finalBill: { currencyCode: "EUR", minorUnits: 18_000n },
        handover: [{ item: "work explained", done: true }],
        requestId: rid("deliver"),
      });
      const invitation = await eventually(`the invitation of ${ro.id}`, async () => {
        const listed = await invitations.listSurveyInvitations({ stationId: o.station, pageSize: 1000 });
        return listed.surveyInvitations.find((i) => i.repairOrderId === ro.id);
      });
      const link = await invitations.issueSurveyLink({ invitationId: invitation.id });
      return { token: link.linkToken, invitationId: invitation.id };
    },

    /** The answers stored for the invitation, by question id; none yet: undefined. */
    async storedAnswers(invitationId: string): Promise<Record<string, number> | undefined> {
      const invitation = await invitations.getSurveyInvitation({ id: invitationId });
      if (!invitation.responseId) return undefined;
      const response = await responses.getSurveyResponse({ id: invitation.responseId });
      return Object.fromEntries(response.answers.map((a) => [a.questionId, a.value]));
    },
  };
}
