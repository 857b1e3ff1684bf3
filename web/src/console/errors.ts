// A failed call in plain words, with its gRPC code: what a person can do
// about it comes first, the service's own message after.
import { Code, ConnectError } from "@connectrpc/connect";
import type { common } from "../i18n/common";

type Words = (typeof common)["en"]["errors"];

/** The code's name as gRPC spells it (PERMISSION_DENIED). */
export function codeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

export interface Failure {
  code: string;
  summary: string;
  /** The service's own message, when it says more than the code. */
  detail: string;
}

export function describe(error: unknown, words: Words): Failure {
  const e = ConnectError.from(error);
  const summary: Partial<Record<Code, string>> = {
    [Code.NotFound]: words.notFound,
    [Code.PermissionDenied]: words.permissionDenied,
    [Code.FailedPrecondition]: words.failedPrecondition,
    [Code.InvalidArgument]: words.invalidArgument,
    [Code.Unauthenticated]: words.unauthenticated,
    [Code.Unavailable]: words.unavailable,
    [Code.Aborted]: words.aborted,
    [Code.DeadlineExceeded]: words.deadline,
  };
  // NOT_FOUND says the same whatever the service adds: an object that is not
  // the caller's must look like one that does not exist.
  const detail = e.code === Code.NotFound ? "" : e.rawMessage;
  return { code: codeName(e.code), summary: summary[e.code] ?? words.other, detail };
}
