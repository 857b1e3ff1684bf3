// The console's screens, each in its own module with its own texts; the
// navigation lists those of the caller's role in this order.
import type { FunctionComponent } from "preact";
import type { Locale } from "../../i18n/common";
import type { Role } from "../session";
import { budgets } from "./budgets";
import { claims } from "./claims";
import { complaints } from "./complaints";
import { leagues } from "./leagues";
import { scorecard } from "./scorecard";
import { standards } from "./standards";

export interface Screen {
  /** The path under /console/. */
  path: string;
  titles: Record<Locale, string>;
  /** The roles it is listed for (dealer staff's own screens come with the live boards). */
  roles: readonly Role[];
  View: FunctionComponent;
}

export const screens: readonly Screen[] = [leagues, scorecard, standards, complaints, claims, budgets];

export function screensFor(role: Role): Screen[] {
  return screens.filter((s) => s.roles.includes(role));
}
