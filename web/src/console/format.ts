// Numbers, money and times as the reader's language writes them.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { Money } from "../gen/aftercare/common/v1/common_pb";
import type { Locale } from "../i18n/common";

/** Integer minor units shown in the currency's major unit. */
export function money(locale: Locale, m: Money | undefined): string {
  if (!m || !m.currencyCode) return "—";
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: m.currencyCode });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(Number(m.minorUnits) / 10 ** digits);
}

export function decimal(locale: Locale, value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

/** Basis points as a percentage (1234 → 12.3 %). */
export function basisPoints(locale: Locale, bp: number | bigint | undefined): string {
  if (bp === undefined) return "—";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(Number(bp) / 10000);
}

export function dateTime(locale: Locale, t: Timestamp | undefined): string {
  if (!t) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(timestampDate(t));
}

/** A signed span as h:mm:ss, days first when it is long (2 d 03:04:05). */
export function span(ms: number): string {
  const sign = ms < 0 ? "−" : "";
  let s = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${sign}${days ? `${days} d ` : ""}${hh}:${mm}:${ss}`;
}

/** A fresh request_id (a UUID v4): crypto.randomUUID needs a secure context, this does not. */
export function requestId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A calendar day (google.type.Date) as the reader's language writes it. */
export function day(locale: Locale, d: { year: number; month: number; day: number } | undefined): string {
  if (!d || !d.year) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(d.year, d.month - 1, d.day));
}
