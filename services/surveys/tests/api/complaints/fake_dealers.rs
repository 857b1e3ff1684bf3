//! A dealers service that knows only what the test puts in it: ROs
//! (`GetRepairOrder`) and stations (`GetStation`), served over TCP so that
//! a test can stop it. Making a real RO takes a parts service, staff, a
//! customer and a vehicle; the complaints read nothing else of dealers.

use std::{
    collections::HashMap,
    convert::Infallible,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use aftercare_proto::dealers::v1 as pb;
use aftercare_test_support::TcpServer;
use tonic::{
    Request, Response, Status,
    body::Body,
    codegen::{BoxFuture, http},
    server::{Grpc, NamedService, UnaryService},
    service::Routes,
};

#[derive(Debug, Clone, Default)]
pub(crate) struct Known {
    ros: Arc<Mutex<HashMap<String, pb::RepairOrder>>>,
    stations: Arc<Mutex<HashMap<String, pb::Station>>>,
}

impl Known {
    pub(crate) fn add_ro(&self, ro: pb::RepairOrder) {
        self.ros.lock().unwrap().insert(ro.id.clone(), ro);
    }

    pub(crate) fn add_station(&self, id: &str, dealer: &str, region: &str) {
        let station = pb::Station {
            id: id.into(),
            dealer_id: dealer.into(),
            region_id: region.into(),
            ..Default::default()
        };
        self.stations.lock().unwrap().insert(id.into(), station);
    }

    /// Serves both contracts on `server`.
    pub(crate) async fn serve(&self, server: &mut TcpServer) {
        let routes = Routes::new(Ros(self.clone())).add_service(Network(self.clone()));
        server.up("dealers", routes).await;
    }
}

fn found<T: Clone>(map: &Mutex<HashMap<String, T>>, id: &str) -> Result<Response<T>, Status> {
    map.lock()
        .unwrap()
        .get(id)
        .cloned()
        .map(Response::new)
        .ok_or_else(|| Status::not_found(format!("{id} not found")))
}

macro_rules! fake {
    ($name:ident, $service:literal, $req:ty, $resp:ty, $map:ident) => {
        #[derive(Clone)]
        struct $name(Known);

        impl NamedService for $name {
            const NAME: &'static str = $service;
        }

        impl UnaryService<$req> for $name {
            type Response = $resp;
            type Future = BoxFuture<Response<$resp>, Status>;

            fn call(&mut self, request: Request<$req>) -> Self::Future {
                let known = self.0.clone();
                Box::pin(async move { found(&known.$map, &request.into_inner().id) })
            }
        }

        impl tower::Service<http::Request<Body>> for $name {
            type Response = http::Response<Body>;
            type Error = Infallible;
            type Future = BoxFuture<Self::Response, Infallible>;

            fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
                Poll::Ready(Ok(()))
            }

            fn call(&mut self, request: http::Request<Body>) -> Self::Future {
                let this = self.clone();
                Box::pin(async move {
                    let mut grpc = Grpc::new(tonic_prost::ProstCodec::<$resp, $req>::default());
                    Ok(grpc.unary(this, request).await)
                })
            }
        }
    };
}

fake!(
    Ros,
    "aftercare.dealers.v1.RepairOrderService",
    pb::GetRepairOrderRequest,
    pb::RepairOrder,
    ros
);
fake!(
    Network,
    "aftercare.dealers.v1.DealersService",
    pb::GetStationRequest,
    pb::Station,
    stations
);
