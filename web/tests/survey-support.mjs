// What the survey page's browser tests share: a phone-sized browser context,
// a delivered repair order's fresh survey link made through the system's own
// API as the dealer's staff make it, what was stored, and answering the page.
import { eventually, grpc } from "./support.mjs";

/** A phone: 390×844, touch, reading Chinese. */
export const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3, locale: "zh-CN" };

/** The seeds' station of Harbour Motors (services/dealers/src/demo.rs): vehicle 1's owner reads Chinese. */
export const hmCity = { station: "hm-city", advisor: "hm-city-advisor", technician: "hm-city-tech-1" };
const VEHICLE = "hm-city-vehicle-1";

/** The lowest and highest answer of a question's scale. */
export function scaleOf(question) {
  return { SCALE_ONE_TO_FIVE: [1, 5], SCALE_ONE_TO_SEVEN: [1, 7], SCALE_ZERO_TO_TEN: [0, 10] }[question.scale];
}

/** Each repair order made here reads a mileage further than the last. */
let made = 0;

/** The test API against `system` (from startSystem), as head office and Harbour Motors' staff. */
export function surveyApi(system) {
  const oem = system.token("--role", "oem");
  const staff = system.token("--role", "dealer", "--dealer", "harbour-motors");
  const call = (token, method, request) => grpc(system, token, `aftercare.${method}`, request);

  return {
    /** The demo publishes the network's survey in the background: waits for it, answers its last version. */
    surveyPublished: () =>
      eventually("the demo's survey is published", async () => {
        const template = await call(oem, "surveys.v1.SurveyTemplateService/GetSurveyTemplate", { code: "after-sales" }).catch(
          () => undefined,
        );
        return template?.versions?.at(-1);
      }),

    /**
     * Delivers a new repair order of the seeded vehicle at `at` (a station of
     * Harbour Motors with its advisor and, optionally, a technician doing an
     * oil service) and issues its invitation's survey link, as the dealer's
     * staff do.
     */
    async freshLink(at = hmCity) {
      const n = ++made;
      const ros = (step, request) => call(staff, `dealers.v1.RepairOrderService/${step}`, { ...request, request_id: crypto.randomUUID() });
      const ro = await ros("CreateRepairOrder", {
        repair_order: {
          station_id: at.station,
          vehicle_id: VEHICLE,
          advisor_id: at.advisor,
          type: "REPAIR_ORDER_TYPE_MAINTENANCE",
          promise_time: new Date(Date.now() + 2 * 3600_000).toISOString(),
          estimate: { currency_code: "EUR", minor_units: "30000" },
          mileage_km: String(90_000 + n * 100),
        },
      });
      if (at.technician) {
        await ros("AddLabourLine", { repair_order_id: ro.id, operation_code: "OIL-SERVICE", technician_id: at.technician });
      }
      await ros("StartRepairOrder", { id: ro.id });
      if (at.technician) {
        await ros("RecordLabourTime", { repair_order_id: ro.id, line_number: 1, actual_centihours: 60, technician_id: at.technician });
      }
      await ros("CompleteRepairOrder", { id: ro.id });
      await ros("DeliverRepairOrder", {
        id: ro.id,
        final_bill: { currency_code: "EUR", minor_units: "18000" },
        handover: [{ item: "work explained", done: true }],
      });
      // The dealers relay carries the delivery to surveys, which invites the customer.
      const invitation = await eventually(`the invitation of ${ro.id}`, async () => {
        const listed = await call(staff, "surveys.v1.SurveyInvitationService/ListSurveyInvitations", {
          station_id: at.station,
          page_size: 1000,
        });
        return listed.surveyInvitations?.find((i) => i.repairOrderId === ro.id);
      });
      const link = await call(staff, "surveys.v1.SurveyInvitationService/IssueSurveyLink", { invitation_id: invitation.id });
      return { token: link.linkToken, invitationId: invitation.id };
    },

    /** The answers stored for the invitation, by question id; none yet: undefined. */
    async storedAnswers(invitationId) {
      const invitation = await call(staff, "surveys.v1.SurveyInvitationService/GetSurveyInvitation", { id: invitationId });
      if (!invitation.responseId) return undefined;
      const response = await call(oem, "surveys.v1.SurveyResponseService/GetSurveyResponse", { id: invitation.responseId });
      // JSON leaves a value of 0 out.
      return Object.fromEntries(response.answers.map((a) => [a.questionId, a.value ?? 0]));
    },
  };
}
