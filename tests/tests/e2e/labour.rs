//! The parts service's second contract, LabourService, reached through the
//! gateway like PartsService: one package, two services on one server.

use aftercare_proto::{common::v1::Money, parts::v1 as pb};
use tonic::Code;

use crate::support::{
    clients::{Outcome, connect, labour},
    system::EmbeddedSystem,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_publishes_a_labour_price_that_a_dealer_reads() {
    let system = EmbeddedSystem::start().await;
    let channel = connect(system.addr).await;
    let mut oem = labour(&channel, Some(&system.token(&["--role", "oem"])));
    let dealer_token = system.token(&["--role", "dealer", "--dealer", "alpine-cars"]);
    let mut dealer = labour(&channel, Some(&dealer_token));

    let operation = pb::LabourOperation {
        operation_code: "OIL-CHANGE".into(),
        display_name: "Oil change".into(),
        standard_centihours: 50,
        price: Some(Money {
            currency_code: "EUR".into(),
            minor_units: 4500,
        }),
        ..Default::default()
    };
    let request = pb::CreateLabourOperationRequest {
        labour_operation: Some(operation),
        request_id: "e2e-labour-create-oil-change".into(),
    };
    let created = oem.create_labour_operation(request.clone()).await.answer();
    assert_eq!(created.etag, "1");

    let get = pb::GetLabourOperationRequest {
        operation_code: "OIL-CHANGE".into(),
    };
    assert_eq!(dealer.get_labour_operation(get).await.answer(), created);
    assert_eq!(
        dealer.create_labour_operation(request).await.code(),
        Code::PermissionDenied
    );
    drop((oem, dealer, channel));
    system.stop().await;
}
