//! Scores: proto → domain (whose scores) and domain → proto (a period's
//! metrics from its sums).

use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1 as pb;
use aftercare_values::FieldViolation;
use tonic::Status;

use crate::{
    domain::{
        aggregate::{Aggregate, ScoreSubject},
        servqual::Dimension,
    },
    events::message::{dimension_to_pb, verdict_to_pb},
    grpc::id,
};

pub(super) fn subject(r: &pb::GetSurveyScoresRequest) -> Result<ScoreSubject, Status> {
    let ids = [
        ("advisor_id", &r.advisor_id),
        ("technician_id", &r.technician_id),
        ("station_id", &r.station_id),
        ("dealer_id", &r.dealer_id),
        ("region_id", &r.region_id),
    ];
    let mut set = ids.iter().filter(|(_, v)| !v.is_empty());
    let Some((field, value)) = set.next() else {
        return Ok(ScoreSubject::Visible);
    };
    if let Some((other, _)) = set.next() {
        return Err(invalid(FieldViolation::new(
            *other,
            "set at most one of advisor_id, technician_id, station_id, dealer_id and region_id",
        )));
    }
    let id = id(value, field)?;
    Ok(match *field {
        "advisor_id" => ScoreSubject::Advisor(id),
        "technician_id" => ScoreSubject::Technician(id),
        "station_id" => ScoreSubject::Station(id),
        "dealer_id" => ScoreSubject::Dealer(id),
        _ => ScoreSubject::Region(id),
    })
}

pub(super) fn scores(a: &Aggregate) -> pb::SurveyScores {
    let n = |v: u64| v as i64;
    pb::SurveyScores {
        responses: n(a.responses),
        satisfaction_rate_basis_points: a.satisfaction_rate().map(|v| v as i32),
        promoters: n(a.promoters),
        passives: n(a.passives),
        detractors: n(a.detractors),
        nps: a.nps(),
        service_index: a.service_index(),
        unweighted_gap: a.unweighted_gap(),
        weighted_gap: a.weighted_gap(),
        dimensions: Dimension::ALL
            .into_iter()
            .map(|d| (d, a.dimension(d)))
            .filter(|(_, s)| s.n > 0)
            .map(|(d, s)| pb::DimensionScore {
                dimension: dimension_to_pb(d).into(),
                perception_sum: s.perception,
                expectation_sum: s.expectation,
                items: n(s.n),
                gap: s.gap(),
                verdict: s
                    .verdict()
                    .map_or(pb::Verdict::Unspecified, verdict_to_pb)
                    .into(),
            })
            .collect(),
    }
}
