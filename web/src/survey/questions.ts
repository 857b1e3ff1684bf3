// One question as a labelled radio group on its scale (1–5, 1–7, 0–10), with
// the words of its two ends; native radios, so arrows and space work.
import { QuestionKind, Scale, type Question } from "../gen/aftercare/surveys/v1/templates_pb";
import { h } from "./dom";
import { languages, textOf, type Language } from "./language";

export interface GroupOptions {
  language: Language;
  versionLocale: string;
  chosen: number | undefined;
  missing: boolean;
  choose: (value: number) => void;
}

const ranges: Record<Scale, [number, number]> = {
  [Scale.ONE_TO_FIVE]: [1, 5],
  [Scale.ONE_TO_SEVEN]: [1, 7],
  [Scale.ZERO_TO_TEN]: [0, 10],
  [Scale.UNSPECIFIED]: [1, 5],
};

export function questionGroup(question: Question, o: GroupOptions): HTMLElement {
  const words = languages[o.language];
  const [low, high] = ranges[question.scale];
  const anchor = question.kind === QuestionKind.NPS ? "likely" : question.kind === QuestionKind.RATING ? "satisfied" : "agree";
  const id = `q-${question.id}`;
  const points = [];
  for (let value = low; value <= high; value++) {
    points.push(
      h(
        "label",
        { class: "point" },
        h("input", {
          type: "radio",
          name: id,
          value: String(value),
          checked: o.chosen === value,
          required: question.required,
          onchange: (e: Event) => {
            o.choose(value);
            // Answered: no longer flagged.
            const group = (e.target as HTMLElement).closest("fieldset")!;
            group.classList.remove("missing");
            group.querySelector(".error")?.remove();
            group.setAttribute("aria-describedby", `${id}-ends`);
          },
        }),
        h("span", {}, String(value)),
      ),
    );
  }
  const legend = h("legend", {}, textOf(question, o.language, o.versionLocale));
  if (question.required) {
    legend.append(" ", h("span", { class: "required", "aria-hidden": "true" }, "*"), h("span", { class: "visually-hidden" }, `(${words.required})`));
  }
  return h(
    "fieldset",
    {
      "data-question": question.id,
      class: o.missing ? "question missing" : "question",
      "aria-describedby": `${id}-ends${o.missing ? ` ${id}-error` : ""}`,
    },
    legend,
    h("div", { class: `scale points-${high - low + 1}` }, ...points),
    h(
      "p",
      { class: "ends", id: `${id}-ends` },
      h("span", {}, `${low} = ${words.scaleLow[anchor]}`),
      h("span", {}, `${high} = ${words.scaleHigh[anchor]}`),
    ),
    o.missing && h("p", { class: "error", id: `${id}-error` }, words.unanswered),
  );
}
