// The regions, dealers and stations the caller sees, with their names: read
// once per session and shared by the screens.
import type { Dealer, Region, Station } from "../gen/aftercare/dealers/v1/network_pb";
import type { Clients } from "./clients";
import { useConsole, useLoad } from "./context";
import type { Session } from "./session";

export interface Network {
  regions: Region[];
  dealers: Dealer[];
  stations: Station[];
  name: (id: string) => string;
}

const read = new WeakMap<Clients, Promise<Network>>();

async function load(clients: Clients): Promise<Network> {
  const { dealers } = clients;
  const [r, d, s] = await Promise.all([
    dealers.listRegions({ pageSize: 1000 }),
    dealers.listDealers({ pageSize: 1000 }),
    dealers.listStations({ pageSize: 1000 }),
  ]);
  const names = new Map<string, string>();
  for (const x of [...r.regions, ...d.dealers, ...s.stations]) names.set(x.id, x.displayName);
  return {
    regions: r.regions,
    dealers: d.dealers,
    stations: s.stations,
    name: (id) => names.get(id) || id,
  };
}

/** The network as the session's caller sees it, read once (again after a failure). */
export function networkOf(clients: Clients): Promise<Network> {
  let network = read.get(clients);
  if (!network) {
    network = load(clients);
    network.catch(() => read.delete(clients));
    read.set(clients, network);
  }
  return network;
}

export function useNetwork() {
  const { clients } = useConsole();
  return useLoad(() => networkOf(clients), [clients]);
}

/**
 * The stations a caller works at: those its token names, else its dealer's
 * (a dealer's staff without stations works at all of them), else all it sees.
 */
export function ownStations(network: Network, session: Session): Station[] {
  if (session.stationIds.length) return network.stations.filter((s) => session.stationIds.includes(s.id));
  if (session.dealerId) return network.stations.filter((s) => s.dealerId === session.dealerId);
  return network.stations;
}
