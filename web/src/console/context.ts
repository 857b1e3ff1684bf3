// What every screen reads: the session, its clients, the language; and the
// hook that loads a screen's data and says when it failed.
import { createContext } from "preact";
import { useCallback, useContext, useEffect, useState } from "preact/hooks";
import { common, type Catalog, type Locale } from "../i18n/common";
import type { Clients } from "./clients";
import { describe, type Failure } from "./errors";
import type { Session } from "./session";

export interface Console {
  session: Session;
  clients: Clients;
  locale: Locale;
}

export const ConsoleContext = createContext<Console | undefined>(undefined);

export function useConsole(): Console {
  const console = useContext(ConsoleContext);
  if (!console) throw new Error("useConsole outside a signed-in console");
  return console;
}

/** The language the page is shown in, signed in or not. */
export const LocaleContext = createContext<Locale>("zh-CN");

/** A catalog's texts in the page's language. */
export function useTexts<T>(texts: Catalog<T>): T {
  return texts[useContext(LocaleContext)] as T;
}

/** A failed call in the page's language. */
export function useDescribe(): (error: unknown) => Failure {
  const words = useTexts(common).errors;
  return useCallback((error: unknown) => describe(error, words), [words]);
}

export interface Loaded<T> {
  data?: T;
  failure?: Failure;
  loading: boolean;
  reload: () => void;
}

/** Loads `load()` now and whenever `deps` change; the newest answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const explain = useDescribe();
  const [state, setState] = useState<{ data?: T; failure?: Failure; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error) => current && setState({ failure: explain(error), loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return { ...state, reload: () => setRound((n) => n + 1) };
}
