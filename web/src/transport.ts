// Every page calls the gateway it was served by, over gRPC-web.
import { createGrpcWebTransport } from "@connectrpc/connect-web";

export const transport = createGrpcWebTransport({ baseUrl: location.origin });
