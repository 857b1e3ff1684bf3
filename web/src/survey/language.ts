// Which language the page speaks: the invitation's (the customer's preferred
// one, as the dealer recorded it), else the browser's (Accept-Language),
// else the survey's own; the customer can switch.
import type { Question } from "../gen/aftercare/surveys/v1/templates_pb";
import { en, type Catalog } from "./i18n/en";
import { zhCN } from "./i18n/zh-CN";

export const languages = { "zh-CN": zhCN, en } satisfies Record<string, Catalog>;
export type Language = keyof typeof languages;

/** The supported language a BCP 47 tag asks for, if any (zh-Hans-CN → zh-CN). */
export function supported(tag: string | undefined): Language | undefined {
  const primary = tag?.toLowerCase().split("-")[0];
  if (primary === "zh") return "zh-CN";
  if (primary === "en") return "en";
  return undefined;
}

export function choose(invitation: string | undefined, browser: readonly string[], survey: string | undefined): Language {
  for (const tag of [invitation, ...browser, survey]) {
    const found = supported(tag);
    if (found) return found;
  }
  return "zh-CN";
}

/** The question's text in `language`: its own when the version is in it, else a translation, else its own. */
export function textOf(question: Question, language: Language, versionLocale: string): string {
  if (supported(versionLocale) === language) return question.text;
  const exact = question.translations[language];
  if (exact) return exact;
  for (const [tag, text] of Object.entries(question.translations)) {
    if (supported(tag) === language) return text;
  }
  return question.text;
}
