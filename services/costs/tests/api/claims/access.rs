//! Every claim RPC refuses what the caller may not see (NOT_FOUND) or may
//! not do (PERMISSION_DENIED): another dealer, another region, a survey
//! link.

use aftercare_auth::Principal;

use super::*;

/// The code of every claim RPC on `id`, called as `p`.
async fn every_rpc(h: &Harness, p: Principal, id: &str) -> Vec<(&'static str, Code)> {
    let c = claims(h, p);
    let id = || id.to_string();
    let mut claim = pb::WarrantyClaim {
        id: id(),
        causal_part_number: "PAD-1".into(),
        ..Default::default()
    };
    claim.causal_part_number = "PAD-1".into();
    vec![
        (
            "Get",
            c.clone()
                .get_warranty_claim(pb::GetWarrantyClaimRequest { id: id() })
                .await
                .code(),
        ),
        (
            "Update",
            c.clone()
                .update_warranty_claim(pb::UpdateWarrantyClaimRequest {
                    claim: Some(claim),
                    update_mask: None,
                    request_id: rid(),
                })
                .await
                .code(),
        ),
        (
            "Rerun",
            c.clone()
                .rerun_warranty_claim_checks(pb::RerunWarrantyClaimChecksRequest {
                    id: id(),
                    etag: String::new(),
                    request_id: rid(),
                })
                .await
                .code(),
        ),
        (
            "Submit",
            c.clone()
                .submit_warranty_claim(pb::SubmitWarrantyClaimRequest {
                    id: id(),
                    etag: String::new(),
                    request_id: rid(),
                })
                .await
                .code(),
        ),
        (
            "Approve",
            c.clone()
                .approve_warranty_claim(approve(&id(), vec![]))
                .await
                .code(),
        ),
        (
            "Reject",
            c.clone()
                .reject_warranty_claim(pb::RejectWarrantyClaimRequest {
                    id: id(),
                    reason: "no".into(),
                    etag: String::new(),
                    request_id: rid(),
                })
                .await
                .code(),
        ),
        (
            "Resubmit",
            c.clone()
                .resubmit_warranty_claim(pb::ResubmitWarrantyClaimRequest {
                    id: id(),
                    reason: "again".into(),
                    etag: String::new(),
                    request_id: rid(),
                })
                .await
                .code(),
        ),
        (
            "Pay",
            c.clone()
                .pay_warranty_claim(pb::PayWarrantyClaimRequest {
                    id: id(),
                    payment_reference: "P-1".into(),
                    etag: String::new(),
                    request_id: rid(),
                })
                .await
                .code(),
        ),
    ]
}

both!(
    other_dealers_and_regions_do_not_learn_a_claim_exists,
    |h: Harness| async move {
        world(&h).await;
        let claim = drafted(&h, "ro-1", 1).await;
        for p in [
            who::dealer("d2"),
            who::dms("d9"),
            who::region("south"),
            who::station_staff("d1", "s9"),
        ] {
            for (rpc, code) in every_rpc(&h, p.clone(), &claim.id).await {
                assert_eq!(code, Code::NotFound, "{rpc} as {p:?}");
            }
            let listed = claims(&h, p.clone())
                .list_warranty_claims(pb::ListWarrantyClaimsRequest::default())
                .await
                .answer();
            assert!(listed.claims.is_empty(), "{p:?}");
        }
        for (rpc, code) in every_rpc(&h, who::survey(), &claim.id).await {
            assert_eq!(code, Code::NotFound, "{rpc} as a survey link");
        }
        // Asking for another dealer's claims by filter finds none either.
        let listed = claims(&h, who::dealer("d2"))
            .list_warranty_claims(pb::ListWarrantyClaimsRequest {
                dealer_id: "d1".into(),
                ..Default::default()
            })
            .await
            .answer();
        assert!(listed.claims.is_empty());
        let own = claims(&h, who::region("north"))
            .list_warranty_claims(pb::ListWarrantyClaimsRequest::default())
            .await
            .answer();
        assert_eq!(own.claims.len(), 1);
    }
);

both!(
    the_dealers_side_and_the_approvers_side_are_kept_apart,
    |h: Harness| async move {
        world(&h).await;
        let claim = drafted(&h, "ro-1", 1).await;
        // The region and head office do not submit for the dealer.
        for p in [who::region("north"), who::oem()] {
            claims(&h, p)
                .submit_warranty_claim(pb::SubmitWarrantyClaimRequest {
                    id: claim.id.clone(),
                    etag: String::new(),
                    request_id: rid(),
                })
                .await
                .refused(Code::PermissionDenied);
        }
        // Only the relay delivers events, and only for its own dealer's RO.
        for p in [who::dms("d1"), who::oem(), who::dealers_relay("d2")] {
            h.events(p)
                .receive_warranty_repair_order_delivered(
                    pb::ReceiveWarrantyRepairOrderDeliveredRequest {
                        event: Some(delivered("ro-9", 9)),
                        request_id: rid(),
                    },
                )
                .await
                .refused(Code::PermissionDenied);
        }
    }
);
