//! Compiles the contracts with protox (pure Rust, no system `protoc`) and
//! writes the descriptor set that the servers publish through reflection.

use std::{env, path::PathBuf};

use prost::Message;

const FILES: &[&str] = &[
    "aftercare/common/v1/common.proto",
    "aftercare/dealers/v1/network.proto",
    "aftercare/dealers/v1/dealers.proto",
    "aftercare/dealers/v1/repair_orders.proto",
    "aftercare/dealers/v1/standards.proto",
    "aftercare/dealers/v1/events.proto",
    "aftercare/dealers/v1/audits.proto",
    "aftercare/parts/v1/parts.proto",
    "aftercare/parts/v1/labour.proto",
    "aftercare/parts/v1/stock.proto",
    "aftercare/parts/v1/required_stock.proto",
    "aftercare/parts/v1/price_board.proto",
    "aftercare/surveys/v1/surveys.proto",
    "aftercare/surveys/v1/templates.proto",
    "aftercare/surveys/v1/responses.proto",
    "aftercare/surveys/v1/invitations.proto",
    "aftercare/surveys/v1/scores.proto",
    "aftercare/surveys/v1/leagues.proto",
    "aftercare/surveys/v1/improvement_plans.proto",
    "aftercare/surveys/v1/scorecards.proto",
    "aftercare/surveys/v1/complaints.proto",
    "aftercare/costs/v1/costs.proto",
    "aftercare/costs/v1/scope.proto",
    "aftercare/costs/v1/rates.proto",
    "aftercare/costs/v1/repair_order_costs.proto",
    "aftercare/costs/v1/control.proto",
    "aftercare/costs/v1/pricing.proto",
    "aftercare/costs/v1/claims.proto",
    "aftercare/costs/v1/events.proto",
    "aftercare/echo/v1/echo.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for file in FILES {
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rerun-if-changed=google");

    let fds = protox::compile(FILES, ["."])?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    std::fs::write(out.join("aftercare_descriptor.bin"), fds.encode_to_vec())?;

    // Servers decode with the codec that answers an undecodable request
    // INVALID_ARGUMENT (src/codec.rs). Clients keep prost's, for which an
    // undecodable answer is the server's fault (INTERNAL): they are
    // generated apart, into `client/`, on the messages made above.
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(true)
        .codec_path("crate::codec::RequestCodec")
        .compile_fds(fds.clone())?;
    let clients = out.join("client");
    std::fs::create_dir_all(&clients)?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(false)
        .extern_path(".aftercare", "crate::aftercare")
        .extern_path(".google.type", "crate::google::r#type")
        .out_dir(clients)
        .compile_fds(fds)?;
    Ok(())
}
