// The station a dealer's screen shows: picked among the caller's own, the
// first by default; the screen is drawn once the network is read.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Station } from "../gen/aftercare/dealers/v1/network_pb";
import { common } from "../i18n/common";
import { useConsole, useTexts } from "./context";
import { ownStations, useNetwork, type Network } from "./network";
import { Choice, Loading } from "./ui";

export function WithStation({
  label,
  children,
}: {
  /** What the filters form is named for a screen reader. */
  label: string;
  children: (station: Station, network: Network) => ComponentChildren;
}) {
  const c = useTexts(common);
  const { session } = useConsole();
  const network = useNetwork();
  const [picked, setPicked] = useState("");
  return (
    <Loading loaded={network}>
      {(n) => {
        const stations = ownStations(n, session);
        const station = stations.find((s) => s.id === picked) ?? stations[0];
        if (!station) return <p>{c.noData}</p>;
        return (
          <>
            <form class="filters" aria-label={label} onSubmit={(e) => e.preventDefault()}>
              <Choice
                label={c.station}
                value={station.id}
                options={stations.map((s) => [s.id, s.displayName] as const)}
                onChange={setPicked}
              />
            </form>
            {children(station, n)}
          </>
        );
      }}
    </Loading>
  );
}
