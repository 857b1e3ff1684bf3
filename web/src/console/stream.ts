// A server stream kept open while the screen shows it: each message
// replaces the last (the streams send whole answers, the first one at once),
// and when the stream ends or fails for a reason that may pass, it is opened
// again after a short, growing pause; its first message is again a whole
// answer, so nothing stale stays on screen.
import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useState } from "preact/hooks";
import { useDescribe } from "./context";
import type { Failure } from "./errors";

export interface Watched<T> {
  /** The newest message, kept while reconnecting. */
  data?: T;
  /** Why the stream is down, while it is. */
  failure?: Failure;
  /** True while the stream is open and has answered. */
  live: boolean;
}

/** Failures that another try will not mend: shown, and the stream stays closed. */
const FINAL = [Code.NotFound, Code.PermissionDenied, Code.InvalidArgument, Code.Unauthenticated, Code.Unimplemented];

const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 15_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      done();
    });
  });
}

/**
 * Follows `open(signal)` while `deps` stay the same; `onMessage` sees each
 * message with the one before it (undefined for a connection's first). Both
 * are the ones given when `deps` last changed: read anything newer through
 * a ref or a state setter.
 */
export function useWatch<T>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  deps: unknown[],
  onMessage?: (message: T, previous: T | undefined) => void,
): Watched<T> {
  const explain = useDescribe();
  const [state, setState] = useState<Watched<T>>({ live: false });
  useEffect(() => {
    const stop = new AbortController();
    setState({ live: false });
    (async () => {
      let wait = FIRST_PAUSE_MS;
      while (!stop.signal.aborted) {
        let previous: T | undefined;
        try {
          for await (const message of open(stop.signal)) {
            onMessage?.(message, previous);
            previous = message;
            wait = FIRST_PAUSE_MS;
            setState({ data: message, live: true });
          }
          if (stop.signal.aborted) return;
          setState((s) => ({ ...s, live: false }));
        } catch (error) {
          if (stop.signal.aborted) return;
          const failure = explain(error);
          setState((s) => ({ ...s, failure, live: false }));
          if (FINAL.includes(ConnectError.from(error).code)) return;
        }
        await pause(wait, stop.signal);
        wait = Math.min(2 * wait, LONGEST_PAUSE_MS);
      }
    })();
    return () => stop.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
