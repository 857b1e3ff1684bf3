// The console's screens, each in its own module with its own texts; the
// navigation lists those of the caller's role in this order.
import type { FunctionComponent } from "preact";
import type { Locale } from "../../i18n/common";
import type { Role } from "../session";
import { budgets } from "./budgets";
import { claims } from "./claims";
import { complaints } from "./complaints";
import { leagues } from "./leagues";
import { priceBoard } from "./price-board";
import { reminders } from "./reminders";
import { scorecard } from "./scorecard";
import { standards } from "./standards";
import { stock } from "./stock";
import { workshop } from "./workshop";

export interface ScreenProps {
  /** What follows the screen's name in the path (/console/repair-orders/RO-1 → "RO-1"). */
  rest: string;
  /** Moves to another path under /console/ ("repair-orders/RO-1"). */
  go: (to: string) => void;
}

export interface Screen {
  /** The path under /console/. */
  path: string;
  titles: Record<Locale, string>;
  /** What a role calls it, where that differs (a dealer's own claims, not an approval queue). */
  roleTitles?: Partial<Record<Role, Record<Locale, string>>>;
  /** The roles it is listed for. */
  roles: readonly Role[];
  View: FunctionComponent<ScreenProps>;
}

export const screens: readonly Screen[] = [
  workshop,
  reminders,
  stock,
  priceBoard,
  leagues,
  scorecard,
  standards,
  complaints,
  claims,
  budgets,
];

/** The screen's title for the role, in the language. */
export function titleOf(screen: Screen, role: Role, locale: Locale): string {
  return (screen.roleTitles?.[role] ?? screen.titles)[locale];
}

export function screensFor(role: Role): Screen[] {
  return screens.filter((s) => s.roles.includes(role));
}
