// Each service's client, calling the gateway that served the console over
// gRPC-web, with the session's bearer token added to every call.
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import type { DescService } from "@bufbuild/protobuf";
import { WarrantyClaimService } from "../gen/aftercare/costs/v1/claims_pb";
import { CostControlService } from "../gen/aftercare/costs/v1/control_pb";
import { DealersService } from "../gen/aftercare/dealers/v1/dealers_pb";
import { RepairOrderService } from "../gen/aftercare/dealers/v1/repair_orders_pb";
import { ServiceStandardService } from "../gen/aftercare/dealers/v1/standards_pb";
import { PriceBoardService } from "../gen/aftercare/parts/v1/price_board_pb";
import { StockService } from "../gen/aftercare/parts/v1/stock_pb";
import { ComplaintService } from "../gen/aftercare/surveys/v1/complaints_pb";
import { LeagueService } from "../gen/aftercare/surveys/v1/leagues_pb";
import { DealerScorecardService } from "../gen/aftercare/surveys/v1/scorecards_pb";

export function clientsFor(token: string) {
  const bearer: Interceptor = (next) => (request) => {
    request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };
  const transport = createGrpcWebTransport({ baseUrl: location.origin, interceptors: [bearer] });
  const client = <S extends DescService>(service: S): Client<S> => createClient(service, transport);
  return {
    dealers: client(DealersService),
    repairOrders: client(RepairOrderService),
    stock: client(StockService),
    priceBoard: client(PriceBoardService),
    standards: client(ServiceStandardService),
    leagues: client(LeagueService),
    scorecards: client(DealerScorecardService),
    complaints: client(ComplaintService),
    claims: client(WarrantyClaimService),
    costControl: client(CostControlService),
  };
}

export type Clients = ReturnType<typeof clientsFor>;
