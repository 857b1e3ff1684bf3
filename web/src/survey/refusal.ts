// Why the service refused a link: NOT_FOUND for an unknown one;
// FAILED_PRECONDITION with a google.rpc.PreconditionFailure whose violation's
// type is LINK_USED or LINK_EXPIRED for a known one (the contract's words).
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";

export type Refusal = "used" | "expired" | "unknown" | "other";

export function refusalOf(error: unknown): Refusal {
  const e = ConnectError.from(error);
  if (e.code === Code.NotFound) return "unknown";
  if (e.code !== Code.FailedPrecondition) return "other";
  for (const detail of e.details) {
    if ("type" in detail && detail.type === "google.rpc.PreconditionFailure") {
      const types = violationTypes(detail.value);
      if (types.includes("LINK_USED")) return "used";
      if (types.includes("LINK_EXPIRED")) return "expired";
    }
  }
  return "other";
}

/** The `type` of each violation of a PreconditionFailure (field 1, each a Violation whose field 1 is its type). */
function violationTypes(bytes: Uint8Array): string[] {
  const types: string[] = [];
  const failure = new BinaryReader(bytes);
  while (failure.pos < failure.len) {
    const [field, wire] = failure.tag();
    if (field !== 1) {
      failure.skip(wire);
      continue;
    }
    const violation = new BinaryReader(failure.bytes());
    while (violation.pos < violation.len) {
      const [f, w] = violation.tag();
      if (f === 1) types.push(violation.string());
      else violation.skip(w);
    }
  }
  return types;
}
