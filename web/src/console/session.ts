// The signed-in session: the bearer token, kept in sessionStorage only (it
// goes when the tab does), and what its claims say of the caller — read for
// display and navigation only; the gateway decides what the caller may do.
const KEY = "aftercare.console.token";

export type Role = "oem" | "region" | "dealer" | "dms" | "survey";

export interface Session {
  token: string;
  subject: string;
  role: Role;
  regionId: string;
  dealerId: string;
  stationIds: string[];
  /** When the token expires, in ms since the epoch; 0 when it does not say. */
  expiresAt: number;
}

export type TokenProblem = "invalid" | "expired";

/** The session a token opens, or why it opens none. */
export function readToken(token: string, now = Date.now()): Session | TokenProblem {
  const parts = token.trim().split(".");
  if (parts.length !== 3) return "invalid";
  let claims: Record<string, unknown>;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return "invalid";
  }
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : 0;
  if (expiresAt && expiresAt <= now) return "expired";
  return {
    token: token.trim(),
    subject: text(claims.sub),
    role: text(claims.role) as Role,
    regionId: text(claims.region),
    dealerId: text(claims.dealer),
    stationIds: Array.isArray(claims.stations) ? claims.stations.map(text) : [],
    expiresAt,
  };
}

/** The session kept for this tab, if its token still holds. */
export function restore(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  const session = readToken(token);
  return typeof session === "string" ? undefined : session;
}

export function keep(session: Session) {
  sessionStorage.setItem(KEY, session.token);
}

export function forget() {
  sessionStorage.removeItem(KEY);
}
