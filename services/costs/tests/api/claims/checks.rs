//! A warranty RO's claim drafted with its checks, read from the parts
//! ledger and catalogue and the dealers' technicians; UNAVAILABLE while
//! parts does not answer, and passed once it is back and the checks run
//! again.

use super::*;

fn all_passed(c: &pb::WarrantyClaim) -> bool {
    c.checks
        .iter()
        .all(|k| k.result == pb::CheckResult::Passed as i32)
}

both!(
    a_warranty_ro_drafts_its_claim_priced_with_every_check_passed,
    |h: Harness| async move {
        world(&h).await;
        let claim = drafted(&h, "ro-1", 1).await;
        assert_eq!(claim.id, "WC-ro-1");
        assert_eq!(claim.state, pb::ClaimState::Draft as i32);
        assert_eq!(claim.causal_part_number, "PAD-1");
        let claimed: Vec<_> = claim
            .lines
            .iter()
            .map(|l| l.claimed.clone().unwrap().minor_units)
            .collect();
        assert_eq!(claimed, [9_100, 12_000, 12_000]);
        assert_eq!(claim.claimed, eur(33_100));
        assert_eq!(claim.approval_level, pb::ApprovalLevel::Station as i32);
        let names: Vec<_> = results(&claim)
            .into_iter()
            .map(|(n, l, _)| (n, l))
            .collect();
        let expected = [
            ("vehicle_in_warranty", 0),
            ("no_duplicate_claim", 0),
            ("part_warranty_eligible", 1),
            ("part_issued_on_repair_order", 1),
            ("parts_priced", 1),
            ("part_warranty_eligible", 2),
            ("part_issued_on_repair_order", 2),
            ("parts_priced", 2),
            ("hours_within_standard", 3),
            ("technician_certified", 3),
            ("parts_priced", 3),
        ]
        .map(|(n, l)| (n.to_string(), l));
        assert_eq!(names, expected);
        assert!(all_passed(&claim), "{:#?}", claim.checks);
        let ledger = &claim.checks[3];
        assert_eq!(ledger.inputs["issued_quantity"], "2");
        assert_eq!(claim.history.len(), 1);
        assert_eq!(claim.history[0].actor, aftercare_auth::DEALERS_RELAY);
        assert_eq!(
            tally(&h, "dealer", "d1", "2026-11", "claims.count").await,
            1
        );
    }
);

both!(
    a_claimed_part_never_issued_on_the_ro_fails_the_ledger_check,
    |h: Harness| async move {
        world(&h).await;
        // Only the pads were issued; the RO claims a disc on line 2 too.
        issue(&h, "ro-1", 1, "PAD-1", 2).await;
        let claim = receive(&h, delivered("ro-1", 1), &rid()).await.answer();
        let failed: Vec<_> = results(&claim)
            .into_iter()
            .filter(|(_, _, r)| *r != pb::CheckResult::Passed)
            .collect();
        assert_eq!(
            failed,
            [(
                "part_issued_on_repair_order".to_string(),
                2,
                pb::CheckResult::Failed
            )]
        );
        let check = &claim.checks[6];
        assert_eq!(
            check.detail,
            "the ledger shows 0 of DISC-1 issued on repair order ro-1 line 2"
        );
    }
);

both!(
    parts_down_leaves_checks_unavailable_until_they_are_run_again,
    |mut h: Harness| async move {
        world(&h).await;
        issue(&h, "ro-1", 1, "PAD-1", 2).await;
        issue(&h, "ro-1", 2, "DISC-1", 1).await;
        h.stop_parts().await;
        let claim = receive(&h, delivered("ro-1", 1), &rid()).await.answer();
        let unavailable: Vec<_> = results(&claim)
            .into_iter()
            .filter(|(_, _, r)| *r == pb::CheckResult::Unavailable)
            .map(|(n, l, _)| (n, l))
            .collect();
        let expected = [
            ("part_warranty_eligible", 1),
            ("part_issued_on_repair_order", 1),
            ("parts_priced", 1),
            ("part_warranty_eligible", 2),
            ("part_issued_on_repair_order", 2),
            ("parts_priced", 2),
            ("technician_certified", 3),
        ]
        .map(|(n, l)| (n.to_string(), l));
        assert_eq!(unavailable, expected);
        // The labour line is priced from costs' own rate; the parts are not.
        assert_eq!(claim.claimed, eur(12_000));
        assert_eq!(claim.lines[0].claimed, None);

        let dms = claims(&h, who::dms("d1"));
        let refused = dms
            .clone()
            .submit_warranty_claim(pb::SubmitWarrantyClaimRequest {
                id: claim.id.clone(),
                etag: claim.etag.clone(),
                request_id: rid(),
            })
            .await
            .refused(Code::FailedPrecondition);
        assert!(
            refused.message().contains("part_warranty_eligible"),
            "{refused:?}"
        );

        h.start_parts().await;
        let rerun = dms
            .clone()
            .rerun_warranty_claim_checks(pb::RerunWarrantyClaimChecksRequest {
                id: claim.id.clone(),
                etag: claim.etag.clone(),
                request_id: rid(),
            })
            .await
            .answer();
        assert!(all_passed(&rerun), "{:#?}", rerun.checks);
        assert_eq!(rerun.claimed, eur(33_100));
        let submitted = dms
            .clone()
            .submit_warranty_claim(pb::SubmitWarrantyClaimRequest {
                id: claim.id.clone(),
                etag: rerun.etag,
                request_id: rid(),
            })
            .await
            .answer();
        assert_eq!(submitted.state, pb::ClaimState::Submitted as i32);
    }
);

both!(
    the_same_event_or_another_of_the_ro_drafts_once,
    |h: Harness| async move {
        world(&h).await;
        issue(&h, "ro-1", 1, "PAD-1", 2).await;
        issue(&h, "ro-1", 2, "DISC-1", 1).await;
        let first = receive(&h, delivered("ro-1", 1), "event-1").await.answer();
        let again = receive(&h, delivered("ro-1", 1), "event-1").await.answer();
        let other = receive(&h, delivered("ro-1", 1), "event-2").await.answer();
        assert_eq!(first, again);
        assert_eq!(first, other);
        assert_eq!(tally(&h, "network", "", "2026", "claims.count").await, 1);
    }
);

both!(
    a_second_claim_for_the_vin_and_part_within_the_window_fails_the_duplicate_check,
    |h: Harness| async move {
        world(&h).await;
        drafted(&h, "ro-1", 1).await;
        // The same vehicle (number 1) back with the same part.
        let second = drafted(&h, "ro-2", 1).await;
        let dup = &second.checks[1];
        assert_eq!(dup.name, "no_duplicate_claim");
        assert_eq!(dup.result, pb::CheckResult::Failed as i32);
        assert_eq!(dup.inputs["other_claims"], "WC-ro-1");
    }
);

both!(
    an_event_without_its_vehicle_reads_it_from_dealers,
    |h: Harness| async move {
        world(&h).await;
        let mut net = h.network();
        net.create_customer(dealers_pb::CreateCustomerRequest {
            customer: Some(dealers_pb::Customer {
                dealer_id: "d1".into(),
                display_name: "Carla Customer".into(),
                ..Default::default()
            }),
            customer_id: "c1".into(),
            request_id: rid(),
        })
        .await
        .answer();
        net.create_vehicle(dealers_pb::CreateVehicleRequest {
            vehicle: Some(dealers_pb::Vehicle {
                vin: "WVWZZZ1JZXW000007".into(),
                customer_id: "c1".into(),
                model: "VAN-E1".into(),
                warranty_start_date: Some(Date {
                    year: 2025,
                    month: 3,
                    day: 1,
                }),
                ..Default::default()
            }),
            vehicle_id: "v7".into(),
            request_id: rid(),
        })
        .await
        .answer();
        issue(&h, "ro-7", 1, "PAD-1", 2).await;
        issue(&h, "ro-7", 2, "DISC-1", 1).await;
        let mut event = delivered("ro-7", 7);
        event.vehicle = None;
        let claim = receive(&h, event, &rid()).await.answer();
        assert_eq!(
            (claim.vin.as_str(), claim.model.as_str()),
            ("WVWZZZ1JZXW000007", "VAN-E1")
        );
        assert!(all_passed(&claim), "{:#?}", claim.checks);
    }
);

both!(
    a_line_whose_check_failed_is_approved_at_zero_only,
    |h: Harness| async move {
        world(&h).await;
        issue(&h, "ro-1", 1, "PAD-1", 2).await;
        let claim = receive(&h, delivered("ro-1", 1), &rid()).await.answer();
        claims(&h, who::dms("d1"))
            .submit_warranty_claim(pb::SubmitWarrantyClaimRequest {
                id: claim.id.clone(),
                etag: String::new(),
                request_id: rid(),
            })
            .await
            .answer();
        let staff = claims(&h, who::dealer("d1"));
        let refused = staff
            .clone()
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .refused(Code::FailedPrecondition);
        assert!(refused.message().contains("line 2"), "{refused:?}");
        let zero = pb::LineDecision {
            line_number: 2,
            approved: eur(0),
            reason: "the disc was never issued on the RO".into(),
        };
        let partly = staff
            .clone()
            .approve_warranty_claim(approve(&claim.id, vec![zero]))
            .await
            .answer();
        assert_eq!(partly.state, pb::ClaimState::PartlyApproved as i32);
        assert_eq!(partly.approved, eur(21_100));
    }
);
