// The customer's survey page, opened from the one-time link /s/<token>.
import { createClient } from "@connectrpc/connect";
import { SurveyResponseService } from "../gen/aftercare/surveys/v1/responses_pb";
import { transport } from "../transport";
import "./survey.css";

const app = document.getElementById("app")!;
const token = decodeURIComponent(location.pathname.replace(/^\/s\//, ""));
const surveys = createClient(SurveyResponseService, transport);

surveys.getSurveyByLink({ linkToken: token }).then(
  (survey) => {
    const list = document.createElement("ol");
    for (const question of survey.version?.questions ?? []) {
      const item = document.createElement("li");
      item.textContent = question.text;
      list.append(item);
    }
    app.replaceChildren(list);
  },
  (error: unknown) => {
    app.textContent = String(error);
  },
);
