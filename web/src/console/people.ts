// The dealer's staff, customers and vehicles by id, so that the dealer's
// screens name the advisor, the customer and the car rather than their ids:
// read once per session (again after a failure) and shared by the screens.
import type { Clients } from "./clients";
import { useConsole, useLoad } from "./context";

export interface People {
  staff: (id: string) => string;
  customer: (id: string) => string;
  /** The model and VIN of a vehicle. */
  vehicle: (id: string) => string;
}

const read = new WeakMap<Clients, Promise<People>>();

async function load(clients: Clients, dealerId: string): Promise<People> {
  const { dealers } = clients;
  const [staff, customers, vehicles] = await Promise.all([
    dealers.listStaffMembers({ dealerId, pageSize: 1000 }),
    dealers.listCustomers({ dealerId, pageSize: 1000 }),
    dealers.listVehicles({ dealerId, pageSize: 1000 }),
  ]);
  const names = (pairs: [string, string][]) => {
    const map = new Map(pairs);
    return (id: string) => map.get(id) || id;
  };
  return {
    staff: names(staff.staffMembers.map((s) => [s.id, s.displayName])),
    customer: names(customers.customers.map((c) => [c.id, c.displayName])),
    vehicle: names(vehicles.vehicles.map((v) => [v.id, [v.model, v.vin].filter(Boolean).join(" · ")])),
  };
}

/** The names the session's dealer has; ids stand in while they load or for what is not listed. */
export function usePeople(): People {
  const { clients, session } = useConsole();
  const loaded = useLoad(() => {
    let people = read.get(clients);
    if (!people) {
      people = load(clients, session.dealerId);
      people.catch(() => read.delete(clients));
      read.set(clients, people);
    }
    return people;
  }, [clients]);
  const same = (id: string) => id;
  return loaded.data ?? { staff: same, customer: same, vehicle: same };
}
