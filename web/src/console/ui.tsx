// Pieces several screens use: a failure notice, the loading line, the
// period picker, the scope picker, the ticking clock and a live stream's state.
import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { PeriodKind, type Period } from "../gen/aftercare/common/v1/common_pb";
import { create } from "@bufbuild/protobuf";
import { PeriodSchema } from "../gen/aftercare/common/v1/common_pb";
import { common } from "../i18n/common";
import { useTexts, type Loaded } from "./context";
import type { Failure } from "./errors";
import type { Watched } from "./stream";

export function FailureNote({ failure }: { failure: Failure }) {
  return (
    <p class="failure" role="alert">
      <strong>{failure.summary}</strong> <code>{failure.code}</code>
      {failure.detail && <span class="detail">: {failure.detail}</span>}
    </p>
  );
}

/** The loading line, the failure, or the children once data is there. */
export function Loading<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const t = useTexts(common);
  if (loaded.failure) return <FailureNote failure={loaded.failure} />;
  if (loaded.data === undefined) return <p aria-live="polite">{t.loading}</p>;
  return <>{children(loaded.data)}</>;
}

export function thisMonth(now = new Date()): Period {
  return create(PeriodSchema, { kind: PeriodKind.MONTH, year: now.getFullYear(), number: now.getMonth() + 1 });
}

export function periodKey(p: Period): string {
  return `${p.kind}-${p.year}-${p.number}`;
}

/** A labelled select. */
export function Choice<V extends string>(props: {
  label: string;
  value: V;
  options: readonly (readonly [V, string])[];
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <span class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as V)}>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </span>
  );
}

export function PeriodPicker({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  const t = useTexts(common);
  const thisYear = new Date().getFullYear();
  const years = [thisYear, thisYear - 1, thisYear - 2].map((y) => [String(y), String(y)] as const);
  const numbers =
    value.kind === PeriodKind.MONTH
      ? Array.from({ length: 12 }, (_, i) => [String(i + 1), String(i + 1)] as const)
      : Array.from({ length: 4 }, (_, i) => [String(i + 1), `Q${i + 1}`] as const);
  const set = (kind: PeriodKind, year: number, number: number) =>
    onChange(create(PeriodSchema, { kind, year, number: kind === PeriodKind.YEAR ? 0 : number }));
  return (
    <fieldset class="period">
      <legend>{t.period}</legend>
      <Choice
        label={t.periodKind}
        value={String(value.kind)}
        options={[
          [String(PeriodKind.MONTH), t.month],
          [String(PeriodKind.QUARTER), t.quarter],
          [String(PeriodKind.YEAR), t.year],
        ]}
        onChange={(k) => {
          const kind = Number(k) as PeriodKind;
          const number = kind === PeriodKind.QUARTER ? Math.ceil((new Date().getMonth() + 1) / 3) : new Date().getMonth() + 1;
          set(kind, value.year, number);
        }}
      />
      <Choice label={t.year} value={String(value.year)} options={years} onChange={(y) => set(value.kind, Number(y), value.number)} />
      {value.kind !== PeriodKind.YEAR && (
        <Choice
          label={value.kind === PeriodKind.MONTH ? t.month : t.quarter}
          value={String(value.number)}
          options={numbers}
          onChange={(n) => set(value.kind, value.year, Number(n))}
        />
      )}
    </fieldset>
  );
}

/** The time now, ticking every second while the screen is shown. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Whether a live stream is following the answer, or why it is not (it tries again). */
export function LiveState<T>({ watched }: { watched: Watched<T> }) {
  const t = useTexts(common);
  if (watched.live)
    return (
      <p class="live on" data-live="on">
        ● {t.live}
      </p>
    );
  return (
    <div class="live off" data-live="off">
      <p>○ {watched.data === undefined && !watched.failure ? t.connecting : t.reconnecting}</p>
      {watched.failure && <FailureNote failure={watched.failure} />}
    </div>
  );
}

/**
 * A table's box that scrolls sideways when the table is wider than the
 * page (a phone): it then takes the keyboard's focus, so that it can be
 * scrolled without a mouse, and says what it is.
 */
export function Scroll({ children }: { children: ComponentChildren }) {
  const t = useTexts(common);
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setOverflows(element.scrollWidth > element.clientWidth);
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const child of Array.from(element.children)) observer.observe(child);
    measure();
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={box}
      class="scroll"
      tabIndex={overflows ? 0 : undefined}
      role={overflows ? "region" : undefined}
      aria-label={overflows ? t.scrollTable : undefined}
    >
      {children}
    </div>
  );
}
