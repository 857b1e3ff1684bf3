//! The warranty claims costs drafts for the delivered warranty ROs,
//! carried to one of each state: those an approval reaches go to claims
//! whose checks all passed, the others to the rest first (a demo vehicle
//! whose warranty has run out by the day the demo is played).

use aftercare_auth::Scope;
use aftercare_proto::costs::v1::{
    self as costs_pb, warranty_claim_service_client::WarrantyClaimServiceClient,
};
use anyhow::Context;

use super::{Channels, eur, quality::waited, staff};

const APPROVED_STATES: [costs_pb::ClaimState; 3] = [
    costs_pb::ClaimState::Approved,
    costs_pb::ClaimState::PartlyApproved,
    costs_pb::ClaimState::Paid,
];
const OTHER_STATES: [costs_pb::ClaimState; 3] = [
    costs_pb::ClaimState::Rejected,
    costs_pb::ClaimState::Submitted,
    costs_pb::ClaimState::Draft,
];

/// Waits for costs to draft each warranty RO's claim, then carries the
/// claims to one state each.
pub(super) async fn claims(c: &Channels, warranty: &[String]) -> anyhow::Result<()> {
    let oem = WarrantyClaimServiceClient::new(c.signed(&c.costs, Scope::Oem));
    let mut drafted = vec![];
    for ro in warranty {
        let id = format!("WC-{ro}");
        let claim = waited(&format!("the claim {id}"), || {
            let mut oem = oem.clone();
            let request = costs_pb::GetWarrantyClaimRequest { id: id.clone() };
            async move { Ok(oem.get_warranty_claim(request).await.ok()) }
        })
        .await?;
        drafted.push(claim.into_inner());
    }
    let passed = |claim: &costs_pb::WarrantyClaim| {
        claim
            .checks
            .iter()
            .all(|check| check.result == costs_pb::CheckResult::Passed as i32)
    };
    let (clean, failing): (Vec<_>, Vec<_>) = drafted.iter().partition(|claim| passed(claim));
    let mut clean = clean.into_iter();
    let mut failing = failing.into_iter();
    for target in APPROVED_STATES {
        if let Some(claim) = clean.next() {
            advance(c, claim, target)
                .await
                .with_context(|| format!("claim {}", claim.id))?;
        }
    }
    for target in OTHER_STATES {
        if let Some(claim) = failing.next().or_else(|| clean.next()) {
            advance(c, claim, target)
                .await
                .with_context(|| format!("claim {}", claim.id))?;
        }
    }
    Ok(())
}

async fn advance(
    c: &Channels,
    claim: &costs_pb::WarrantyClaim,
    target: costs_pb::ClaimState,
) -> anyhow::Result<()> {
    use costs_pb::ClaimState::*;
    if target == Draft {
        return Ok(());
    }
    let id = claim.id.clone();
    let rid = |step: &str| format!("demo-claim-{id}-{step}");
    let mut dealer = WarrantyClaimServiceClient::new(c.signed(&c.costs, staff(&claim.dealer_id)));
    let mut oem = WarrantyClaimServiceClient::new(c.signed(&c.costs, Scope::Oem));
    dealer
        .submit_warranty_claim(costs_pb::SubmitWarrantyClaimRequest {
            id: id.clone(),
            request_id: rid("submit"),
            ..Default::default()
        })
        .await?;
    match target {
        Submitted | Unspecified | Draft => {}
        Rejected => {
            oem.reject_warranty_claim(costs_pb::RejectWarrantyClaimRequest {
                id: id.clone(),
                reason: "pads worn by use, not a defect".into(),
                request_id: rid("reject"),
                ..Default::default()
            })
            .await?;
        }
        Approved | PartlyApproved | Paid => {
            let cut = (target == PartlyApproved)
                .then(|| {
                    claim
                        .lines
                        .iter()
                        .find(|l| l.kind == costs_pb::ClaimLineKind::Labour as i32)
                })
                .flatten()
                .map(|l| costs_pb::LineDecision {
                    line_number: l.line_number,
                    approved: eur(l.claimed.as_ref().map_or(0, |m| m.minor_units) / 2),
                    reason: "half the labour: the hours exceed the standard".into(),
                });
            oem.approve_warranty_claim(costs_pb::ApproveWarrantyClaimRequest {
                id: id.clone(),
                line_decisions: cut.into_iter().collect(),
                request_id: rid("approve"),
                ..Default::default()
            })
            .await?;
            if target == Paid {
                oem.pay_warranty_claim(costs_pb::PayWarrantyClaimRequest {
                    id: id.clone(),
                    payment_reference: "PAY-DEMO-0001".into(),
                    request_id: rid("pay"),
                    ..Default::default()
                })
                .await?;
            }
        }
    }
    Ok(())
}
