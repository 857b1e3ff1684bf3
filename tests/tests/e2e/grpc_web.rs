//! The embedded system as the browser console calls it: gRPC-web over
//! HTTP/1.1, after a CORS preflight.

use aftercare_proto::dealers::v1 as pb;
use prost::Message;

use crate::support::{
    http1::{self, grpc_web_frames},
    system::EmbeddedSystem,
};

const GET_STATION: &str = "/aftercare.dealers.v1.DealersService/GetStation";
const ORIGIN: &str = "http://localhost:5173";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_gets_a_station_by_grpc_web() {
    let system = EmbeddedSystem::start().await;
    let token = system.token(&["--role", "oem"]);

    // The browser asks first whether it may send the call.
    let preflight = format!(
        "OPTIONS {GET_STATION} HTTP/1.1\r\nhost: {}\r\norigin: {ORIGIN}\r\n\
         access-control-request-method: POST\r\n\
         access-control-request-headers: content-type,x-grpc-web,authorization\r\n\
         connection: close\r\n\r\n",
        system.addr
    );
    let answer = http1::send(system.addr, preflight.as_bytes()).await;
    let head = &answer.head;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("access-control-allow-origin: *"), "{head}");
    let allowed = head
        .lines()
        .find_map(|l| l.strip_prefix("access-control-allow-headers: "))
        .unwrap_or_else(|| panic!("no allowed headers: {head}"));
    for header in ["content-type", "x-grpc-web", "authorization"] {
        assert!(allowed.contains(header), "{header} not allowed: {head}");
    }
    assert!(
        head.contains("access-control-allow-methods: post"),
        "{head}"
    );

    // Then the call itself.
    let request = pb::GetStationRequest {
        id: "hm-city".into(),
    }
    .encode_to_vec();
    let answer = http1::grpc_web(system.addr, GET_STATION, &request, ORIGIN, Some(&token)).await;
    let head = &answer.head;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(
        head.contains("content-type: application/grpc-web+proto"),
        "{head}"
    );
    assert!(head.contains("access-control-allow-origin: *"), "{head}");
    assert!(head.contains("access-control-expose-headers"), "{head}");
    let (messages, trailers) = grpc_web_frames(&answer.body);
    let [message] = messages.as_slice() else {
        panic!("one data frame, not {}", messages.len());
    };
    let station = pb::Station::decode(message.as_slice()).expect("a Station");
    assert_eq!(station.id, "hm-city");
    assert_eq!(station.dealer_id, "harbour-motors");
    assert_eq!(station.region_id, "north");
    assert_eq!(station.display_name, "Harbour Motors City");
    assert_eq!(station.build_standard(), pb::BuildStandard::Full);
    assert_eq!(station.star_level, 5);
    let trailers = trailers.expect("a trailer frame");
    assert!(trailers.contains("grpc-status:0"), "{trailers}");

    // Without the token the browser gets UNAUTHENTICATED (16), in the
    // headers of a trailers-only answer or in the trailer frame.
    let answer = http1::grpc_web(system.addr, GET_STATION, &request, ORIGIN, None).await;
    let (messages, trailers) = grpc_web_frames(&answer.body);
    assert!(messages.is_empty(), "no station without a token");
    let status = trailers.unwrap_or_else(|| answer.head.clone());
    assert!(
        status.contains("grpc-status:16") || status.contains("grpc-status: 16"),
        "{status}"
    );

    system.stop().await;
}
