// The customer's survey page, opened from the one-time link /s/<token>: the
// questions of the version the invitation asks, one submit, a thank-you;
// plain pages for a used, an expired and an unknown link; a complaint opened
// from the same link. In the customer's language, with a switch.
import { createClient } from "@connectrpc/connect";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ComplaintService, ComplaintState, type CustomerComplaint } from "../gen/aftercare/surveys/v1/complaints_pb";
import { SurveyResponseService, type SurveyByLink } from "../gen/aftercare/surveys/v1/responses_pb";
import { transport } from "../transport";
import { h } from "./dom";
import { choose, languages, type Language } from "./language";
import { questionGroup } from "./questions";
import { refusalOf, type Refusal } from "./refusal";
import "./survey.css";

type View =
  | { kind: "loading" }
  | { kind: "survey" }
  | { kind: "thanks" }
  | { kind: "refused"; why: Exclude<Refusal, "other"> }
  | { kind: "failed" }
  | { kind: "complaint"; complaint: CustomerComplaint };

const app = document.getElementById("app")!;
const token = decodeURIComponent(location.pathname.replace(/^\/s\//, "").replace(/\/$/, ""));
const responses = createClient(SurveyResponseService, transport);
const complaints = createClient(ComplaintService, transport);

let language: Language = choose(undefined, navigator.languages, undefined);
let view: View = { kind: "loading" };
let survey: SurveyByLink | undefined;
/** Question id → the value chosen, kept across a language switch. */
const answers = new Map<string, number>();
/** Question ids the last submit found unanswered. */
let missing: string[] = [];
let formError = "";
let sending = false;
let complaintText = "";
let complaintError = "";
/** One per complaint: a retry after a lost answer opens nothing twice. */
const complaintRequest = randomId();

const t = () => languages[language];

function show(next: View) {
  view = next;
  render();
  // Tell screen readers the page changed: its heading takes the focus.
  app.querySelector<HTMLElement>("h1")?.focus();
}

function render() {
  document.documentElement.lang = language;
  document.title = `${t().title} · Aftercare`;
  app.replaceChildren(header(), ...body());
}

function header(): HTMLElement {
  const switches = (Object.keys(languages) as Language[]).map((code) =>
    h(
      "button",
      {
        type: "button",
        lang: code,
        "aria-pressed": String(code === language),
        onclick: () => {
          language = code;
          render();
          app.querySelector<HTMLElement>(`.languages [lang="${code}"]`)?.focus();
        },
      },
      languages[code].languageName,
    ),
  );
  return h("header", {}, h("nav", { "aria-label": t().switchLanguage, class: "languages" }, ...switches));
}

function body(): HTMLElement[] {
  const words = t();
  switch (view.kind) {
    case "loading":
      return [h("p", { role: "status" }, words.loading)];
    case "survey":
      return [surveyForm(), complaintForm()];
    case "thanks":
      return [page(words.thanksHeading, words.thanksText), complaintForm()];
    case "refused": {
      const [heading, text] = {
        used: [words.usedHeading, words.usedText],
        expired: [words.expiredHeading, words.expiredText],
        unknown: [words.unknownHeading, words.unknownText],
      }[view.why];
      // A used link still opens a complaint until it expires.
      return view.why === "used" ? [page(heading, text), complaintForm()] : [page(heading, text)];
    }
    case "failed":
      return [page(words.failedHeading, words.failedText, h("button", { type: "button", onclick: load }, words.retry))];
    case "complaint":
      return [complaintView(view.complaint)];
  }
}

function page(heading: string, text: string, ...more: HTMLElement[]): HTMLElement {
  return h("section", { class: "message" }, h("h1", { tabindex: "-1" }, heading), h("p", {}, text), ...more);
}

function surveyForm(): HTMLElement {
  const words = t();
  const version = survey?.version;
  const questions = version?.questions ?? [];
  const groups = questions.map((question) =>
    questionGroup(question, {
      language,
      versionLocale: version?.locale ?? "",
      chosen: answers.get(question.id),
      missing: missing.includes(question.id),
      choose: (value) => {
        answers.set(question.id, value);
        missing = missing.filter((id) => id !== question.id);
      },
    }),
  );
  const alert = missing.length > 0 ? words.missing(missing.length) : formError;
  return h(
    "form",
    { novalidate: true, onsubmit: submit, "aria-labelledby": "survey-heading" },
    h("h1", { id: "survey-heading", tabindex: "-1" }, survey?.stationName ? words.headingAt(survey.stationName) : words.heading),
    h("p", {}, words.intro),
    h("p", { class: "note" }, words.requiredNote),
    ...groups,
    h("p", { role: "alert", class: "alert" }, alert),
    h("button", { type: "submit", class: "primary", disabled: sending }, sending ? words.sending : words.submit),
  );
}

async function submit(event: Event) {
  event.preventDefault();
  const questions = survey?.version?.questions ?? [];
  missing = questions.filter((q) => q.required && !answers.has(q.id)).map((q) => q.id);
  formError = "";
  if (missing.length > 0) {
    render();
    app.querySelector<HTMLInputElement>(`fieldset[data-question="${CSS.escape(missing[0])}"] input`)?.focus();
    return;
  }
  sending = true;
  render();
  try {
    await responses.submitSurveyResponse({
      linkToken: token,
      answers: [...answers].map(([questionId, value]) => ({ questionId, value })),
    });
    sending = false;
    show({ kind: "thanks" });
  } catch (error) {
    sending = false;
    const why = refusalOf(error);
    if (why !== "other") return show({ kind: "refused", why });
    formError = `${t().errorPrefix} ${messageOf(error)}`;
    render();
  }
}

function complaintForm(): HTMLElement {
  const words = t();
  const area = h("textarea", {
    id: "complaint-text",
    name: "description",
    rows: "4",
    maxlength: "4000",
    "aria-describedby": "complaint-intro complaint-error",
    oninput: (e: Event) => {
      complaintText = (e.target as HTMLTextAreaElement).value;
    },
  });
  area.value = complaintText;
  return h(
    "form",
    { class: "complaint", novalidate: true, onsubmit: openComplaint, "aria-labelledby": "complaint-heading" },
    h("h2", { id: "complaint-heading" }, words.complaintHeading),
    h("p", { id: "complaint-intro" }, words.complaintIntro),
    h("label", { for: "complaint-text" }, words.complaintLabel),
    area,
    h("p", { id: "complaint-error", role: "alert", class: "alert" }, complaintError),
    h("button", { type: "submit" }, words.complaintSubmit),
  );
}

async function openComplaint(event: Event) {
  event.preventDefault();
  complaintError = "";
  if (!complaintText.trim()) {
    complaintError = t().complaintEmpty;
    render();
    app.querySelector<HTMLElement>("#complaint-text")?.focus();
    return;
  }
  try {
    const opened = await complaints.openComplaintByLink({
      surveyLinkToken: token,
      description: complaintText.trim(),
      requestId: complaintRequest,
    });
    // What the customer can look up later, by the complaint's own link.
    const complaint = await complaints.getComplaintByLink({ linkToken: opened.linkToken });
    show({ kind: "complaint", complaint });
  } catch (error) {
    complaintError = `${t().errorPrefix} ${messageOf(error)}`;
    render();
  }
}

function complaintView(complaint: CustomerComplaint): HTMLElement {
  const words = t();
  const state = {
    [ComplaintState.OPEN]: words.states.open,
    [ComplaintState.RESPONDED]: words.states.responded,
    [ComplaintState.RESOLVED]: words.states.resolved,
    [ComplaintState.CLOSED]: words.states.closed,
    [ComplaintState.UNSPECIFIED]: words.states.unknown,
  }[complaint.state];
  const rows: [string, string][] = [
    [words.complaintNumber, complaint.id],
    [words.complaintState, state],
  ];
  if (complaint.responseDueTime) rows.push([words.complaintResponseDue, when(complaint.responseDueTime)]);
  return h(
    "section",
    { class: "message" },
    h("h1", { tabindex: "-1" }, words.complaintOpened),
    h("dl", {}, ...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
  );
}

function when(time: Timestamp): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(timestampDate(time));
}

function messageOf(error: unknown): string {
  return error instanceof Error && "rawMessage" in error ? String(error.rawMessage) : String(error);
}

/** A random id (crypto.randomUUID needs a secure context; a link may be plain http). */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function load() {
  show({ kind: "loading" });
  try {
    survey = await responses.getSurveyByLink({ linkToken: token });
    language = choose(survey.locale, navigator.languages, survey.version?.locale);
    show({ kind: "survey" });
  } catch (error) {
    const why = refusalOf(error);
    show(why === "other" ? { kind: "failed" } : { kind: "refused", why });
  }
  // When the customer has something to read (scripts/web measure reads it).
  performance.mark("survey-ready");
}

void load();
