//! Bad input is INVALID_ARGUMENT naming the field, on every claim RPC and
//! on the event, and changes nothing.

use super::*;

both!(
    every_claim_rpc_names_the_bad_field,
    |h: Harness| async move {
        world(&h).await;
        let claim = submitted(&h, "ro-1", 1).await;
        let c = claims(&h, who::dealer("d1"));
        let field = c
            .clone()
            .get_warranty_claim(pb::GetWarrantyClaimRequest { id: "ro-1".into() })
            .await
            .bad_field();
        assert_eq!(field, "id");
        let list = |r: pb::ListWarrantyClaimsRequest| {
            let c = c.clone();
            async move { c.clone().list_warranty_claims(r).await.bad_field() }
        };
        assert_eq!(
            list(pb::ListWarrantyClaimsRequest {
                page_size: -1,
                ..Default::default()
            })
            .await,
            "page_size"
        );
        assert_eq!(
            list(pb::ListWarrantyClaimsRequest {
                page_token: "junk".into(),
                ..Default::default()
            })
            .await,
            "page_token"
        );
        assert_eq!(
            list(pb::ListWarrantyClaimsRequest {
                dealer_id: "D 1".into(),
                ..Default::default()
            })
            .await,
            "dealer_id"
        );
        assert_eq!(
            list(pb::ListWarrantyClaimsRequest {
                region_id: "North!".into(),
                ..Default::default()
            })
            .await,
            "region_id"
        );
        assert_eq!(
            list(pb::ListWarrantyClaimsRequest {
                state: 99,
                ..Default::default()
            })
            .await,
            "state"
        );
        assert_eq!(
            list(pb::ListWarrantyClaimsRequest {
                approval_level: 99,
                ..Default::default()
            })
            .await,
            "approval_level"
        );

        let update = |claim: Option<pb::WarrantyClaim>, paths: Vec<&str>| {
            let c = c.clone();
            let paths = paths.into_iter().map(String::from).collect();
            async move {
                c.clone()
                    .update_warranty_claim(pb::UpdateWarrantyClaimRequest {
                        claim,
                        update_mask: Some(prost_types::FieldMask { paths }),
                        request_id: rid(),
                    })
                    .await
                    .bad_field()
            }
        };
        let with = |f: fn(&mut pb::WarrantyClaim)| {
            let mut c = claim.clone();
            f(&mut c);
            Some(c)
        };
        assert_eq!(update(None, vec![]).await, "claim");
        assert_eq!(update(with(|_| ()), vec!["vin"]).await, "update_mask");
        assert_eq!(
            update(with(|c| c.id = "x".into()), vec![]).await,
            "claim.id"
        );
        assert_eq!(
            update(with(|c| c.etag = "abc".into()), vec![]).await,
            "claim.etag"
        );
        assert_eq!(
            update(with(|c| c.causal_part_number = "pad 1".into()), vec![]).await,
            "claim.causal_part_number"
        );

        let approve_bad = |d: pb::LineDecision| {
            let c = c.clone();
            let id = claim.id.clone();
            async move {
                c.clone()
                    .approve_warranty_claim(approve(&id, vec![d]))
                    .await
                    .bad_field()
            }
        };
        let decision = |line_number, approved| pb::LineDecision {
            line_number,
            approved,
            reason: "cut".into(),
        };
        assert_eq!(
            approve_bad(decision(0, eur(1))).await,
            "line_decisions[0].line_number"
        );
        assert_eq!(
            approve_bad(decision(1, None)).await,
            "line_decisions[0].approved"
        );
        let usd = Some(Money {
            currency_code: "USD".into(),
            minor_units: 1,
        });
        assert_eq!(
            approve_bad(decision(1, usd)).await,
            "line_decisions[0].approved.currency_code"
        );
        assert_eq!(approve_bad(decision(1, eur(9_101))).await, "line_decisions");
        assert_eq!(approve_bad(decision(7, eur(0))).await, "line_decisions");
        let no_reason = pb::LineDecision {
            reason: String::new(),
            ..decision(1, eur(5))
        };
        assert_eq!(approve_bad(no_reason).await, "line_decisions");

        let reject = |reason: String| {
            let c = c.clone();
            let id = claim.id.clone();
            async move {
                c.clone()
                    .reject_warranty_claim(pb::RejectWarrantyClaimRequest {
                        id,
                        reason,
                        etag: String::new(),
                        request_id: rid(),
                    })
                    .await
                    .bad_field()
            }
        };
        assert_eq!(reject(String::new()).await, "reason");
        assert_eq!(reject("x".repeat(501)).await, "reason");
        let resubmit = claims(&h, who::dms("d1"))
            .resubmit_warranty_claim(pb::ResubmitWarrantyClaimRequest {
                id: claim.id.clone(),
                reason: "  ".into(),
                etag: String::new(),
                request_id: rid(),
            })
            .await
            .bad_field();
        assert_eq!(resubmit, "reason");
        let pay = claims(&h, who::oem())
            .pay_warranty_claim(pb::PayWarrantyClaimRequest {
                id: claim.id.clone(),
                payment_reference: "x".repeat(65),
                etag: String::new(),
                request_id: rid(),
            })
            .await
            .bad_field();
        assert_eq!(pay, "payment_reference");
        let submit = c
            .clone()
            .submit_warranty_claim(pb::SubmitWarrantyClaimRequest {
                id: claim.id.clone(),
                etag: "-1".into(),
                request_id: rid(),
            })
            .await
            .bad_field();
        assert_eq!(submit, "etag");
        let rerun = c
            .clone()
            .rerun_warranty_claim_checks(pb::RerunWarrantyClaimChecksRequest {
                id: String::new(),
                etag: String::new(),
                request_id: rid(),
            })
            .await
            .bad_field();
        assert_eq!(rerun, "id");
        // Nothing changed.
        let read = c
            .clone()
            .get_warranty_claim(pb::GetWarrantyClaimRequest {
                id: claim.id.clone(),
            })
            .await
            .answer();
        assert_eq!(read, claim);
    }
);

both!(
    a_bad_warranty_event_names_its_field,
    |h: Harness| async move {
        world(&h).await;
        let mut repair = delivered("ro-1", 1);
        repair.repair_order.as_mut().unwrap().r#type = dealers_pb::RepairOrderType::Repair as i32;
        assert_eq!(
            receive(&h, repair, &rid()).await.bad_field(),
            "event.repair_order.type"
        );
        let mut no_id = delivered("ro-1", 1);
        no_id.repair_order.as_mut().unwrap().id = String::new();
        assert_eq!(
            receive(&h, no_id, &rid()).await.bad_field(),
            "event.repair_order.id"
        );
        assert_eq!(
            receive(&h, delivered("ro-1", 1), "").await.bad_field(),
            "request_id"
        );
    }
);
