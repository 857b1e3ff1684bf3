//! The `aftercare.costs.v1.WarrantyClaimService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::{Mask, invalid_argument as invalid};
use aftercare_proto::costs::v1::{
    self as pb,
    warranty_claim_service_server::{WarrantyClaimService, WarrantyClaimServiceServer},
};
use aftercare_values::{Currency, FieldViolation, resource::parse_optional_etag, text};
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use self::convert::{level, pb_claim, state};
use super::{Reply, amount, id};
use crate::{
    domain::claims::{Claim, authority::Decision},
    usecases::{ClaimFilter, Context, WarrantyClaims},
};

pub(crate) use self::convert::pb_claim as claim_message;

/// The gRPC face of warranty claims.
#[derive(Debug, Clone)]
pub(crate) struct WarrantyClaimApi {
    claims: WarrantyClaims,
    currency: Currency,
}

impl WarrantyClaimApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            claims: WarrantyClaims::new(cx.clone()),
            currency: cx.currency,
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<WarrantyClaimServiceServer<Self>, ServiceAuth> {
        WarrantyClaimServiceServer::with_interceptor(self, auth)
    }

    fn reply(&self, claim: Claim) -> Reply<pb::WarrantyClaim> {
        Ok(Response::new(pb_claim(claim, self.currency)))
    }
}

/// A claim's id: `WC-` and an RO id.
fn claim_id(v: &str, field: &str) -> Result<String, Status> {
    match v.strip_prefix("WC-") {
        Some(ro) if aftercare_values::is_valid_id(ro) => Ok(v.to_owned()),
        _ => Err(invalid(FieldViolation::new(
            field,
            "must be WC- and a repair order id",
        ))),
    }
}

fn etag(v: &str, field: &str) -> Result<Option<i64>, Status> {
    parse_optional_etag(v).map_err(|e| invalid(FieldViolation::new(field, e.to_string())))
}

/// A text of 1 to `max` characters.
fn words(v: &str, field: &str, max: usize) -> Result<String, Status> {
    text::display_name(v, max).map_err(|e| invalid(FieldViolation::new(field, e.to_string())))
}

/// An id filter of a list: empty, or an id.
fn filter_id(v: &str, field: &str) -> Result<Vec<String>, Status> {
    if v.is_empty() {
        Ok(vec![])
    } else {
        id(v, field).map(|v| vec![v])
    }
}

/// The page key of a claim: its create time and id.
fn page_key(claim: &Claim) -> String {
    format!("{}/{}", claim.create_time, claim.id)
}

#[tonic::async_trait]
impl WarrantyClaimService for WarrantyClaimApi {
    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_warranty_claim(
        &self,
        request: Request<pb::GetWarrantyClaimRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let principal = aftercare_edge::principal(&request)?;
        let id = claim_id(&request.get_ref().id, "id")?;
        self.reply(self.claims.get(&principal, &id).await?)
    }

    #[tracing::instrument(skip_all)]
    async fn list_warranty_claims(
        &self,
        request: Request<pb::ListWarrantyClaimsRequest>,
    ) -> Reply<pb::ListWarrantyClaimsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let filter = ClaimFilter {
            dealer_ids: filter_id(&r.dealer_id, "dealer_id")?,
            region_ids: filter_id(&r.region_id, "region_id")?,
            station_ids: None,
            state: state(r.state)
                .ok_or_else(|| invalid(FieldViolation::new("state", "must be a claim state")))?,
            approval_level: level(r.approval_level).ok_or_else(|| {
                invalid(FieldViolation::new(
                    "approval_level",
                    "must be an approval level",
                ))
            })?,
        };
        let (state_filter, level_filter) = (r.state.to_string(), r.approval_level.to_string());
        let filters = [
            r.dealer_id.as_str(),
            r.region_id.as_str(),
            state_filter.as_str(),
            level_filter.as_str(),
        ];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, |k| {
            let (time, id) = k.split_once('/')?;
            Some((time.parse::<i64>().ok()?, id.to_owned()))
        })?;
        let claims = self
            .claims
            .list(&principal, filter, after, page.fetch_limit())
            .await?
            .into_iter()
            .map(|c| (page_key(&c), c))
            .collect();
        let (claims, next_page_token) = page.finish(claims, |(k, _)| k.as_str(), &filters);
        Ok(Response::new(pb::ListWarrantyClaimsResponse {
            claims: claims
                .into_iter()
                .map(|(_, c)| pb_claim(c, self.currency))
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn update_warranty_claim(
        &self,
        request: Request<pb::UpdateWarrantyClaimRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let caller = aftercare_edge::mutation(
            &request,
            "UpdateWarrantyClaim",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        Mask::new(r.update_mask, &["causal_part_number"]).map_err(invalid)?;
        let claim = aftercare_edge::required(r.claim, "claim")?;
        let id = claim_id(&claim.id, "claim.id")?;
        let etag = etag(&claim.etag, "claim.etag")?;
        let part = text::code(&claim.causal_part_number).map_err(|e| {
            invalid(FieldViolation::new(
                "claim.causal_part_number",
                e.to_string(),
            ))
        })?;
        self.reply(
            self.claims
                .set_causal_part(&caller, &id, etag, part)
                .await?,
        )
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn rerun_warranty_claim_checks(
        &self,
        request: Request<pb::RerunWarrantyClaimChecksRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let caller = aftercare_edge::mutation(
            &request,
            "RerunWarrantyClaimChecks",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = claim_id(&r.id, "id")?;
        let etag = etag(&r.etag, "etag")?;
        self.reply(self.claims.rerun(&caller, &id, etag).await?)
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn submit_warranty_claim(
        &self,
        request: Request<pb::SubmitWarrantyClaimRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let caller = aftercare_edge::mutation(
            &request,
            "SubmitWarrantyClaim",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = claim_id(&r.id, "id")?;
        let etag = etag(&r.etag, "etag")?;
        self.reply(self.claims.submit(&caller, &id, etag).await?)
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn approve_warranty_claim(
        &self,
        request: Request<pb::ApproveWarrantyClaimRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let caller = aftercare_edge::mutation(
            &request,
            "ApproveWarrantyClaim",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = claim_id(&r.id, "id")?;
        let etag = etag(&r.etag, "etag")?;
        let decisions = r
            .line_decisions
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let field = format!("line_decisions[{i}]");
                if d.line_number < 1 {
                    return Err(invalid(FieldViolation::new(
                        format!("{field}.line_number"),
                        "must be a line of the claim",
                    )));
                }
                let reason = text::plain(d.reason.trim(), 500).map_err(|e| {
                    invalid(FieldViolation::new(
                        format!("{field}.reason"),
                        e.to_string(),
                    ))
                })?;
                Ok(Decision {
                    line_number: d.line_number,
                    approved: amount(d.approved, self.currency, &format!("{field}.approved"))?,
                    reason,
                })
            })
            .collect::<Result<Vec<_>, Status>>()?;
        self.reply(self.claims.approve(&caller, &id, etag, &decisions).await?)
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn reject_warranty_claim(
        &self,
        request: Request<pb::RejectWarrantyClaimRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let caller = aftercare_edge::mutation(
            &request,
            "RejectWarrantyClaim",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = claim_id(&r.id, "id")?;
        let etag = etag(&r.etag, "etag")?;
        let reason = words(&r.reason, "reason", 500)?;
        self.reply(self.claims.reject(&caller, &id, etag, &reason).await?)
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn resubmit_warranty_claim(
        &self,
        request: Request<pb::ResubmitWarrantyClaimRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let caller = aftercare_edge::mutation(
            &request,
            "ResubmitWarrantyClaim",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = claim_id(&r.id, "id")?;
        let etag = etag(&r.etag, "etag")?;
        let reason = words(&r.reason, "reason", 500)?;
        self.reply(self.claims.resubmit(&caller, &id, etag, &reason).await?)
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn pay_warranty_claim(
        &self,
        request: Request<pb::PayWarrantyClaimRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let caller =
            aftercare_edge::mutation(&request, "PayWarrantyClaim", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let id = claim_id(&r.id, "id")?;
        let etag = etag(&r.etag, "etag")?;
        let reference = words(&r.payment_reference, "payment_reference", 64)?;
        self.reply(self.claims.pay(&caller, &id, etag, &reference).await?)
    }
}
