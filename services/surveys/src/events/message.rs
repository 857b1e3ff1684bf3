//! A response as the contract has it (`aftercare.surveys.v1.SurveyResponse`):
//! the low-score alert's payload, and what the response RPCs answer; with
//! the SERVQUAL enums as the contract spells them, which the template and
//! score conversions use too.

use aftercare_proto::surveys::v1 as pb;
use prost_types::Timestamp;

use crate::domain::{
    response::{Channel, Response},
    scoring::NpsClass,
    servqual::{Dimension, Verdict},
};

/// A stored time (µs since the epoch) as a protobuf timestamp.
pub fn time(micros: i64) -> Option<Timestamp> {
    let t = aftercare_db::timestamp::from_micros(micros);
    Some(Timestamp {
        seconds: t.unix_timestamp(),
        nanos: t.nanosecond() as i32,
    })
}

pub fn dimension_to_pb(d: Dimension) -> pb::Dimension {
    match d {
        Dimension::Tangibles => pb::Dimension::Tangibles,
        Dimension::Reliability => pb::Dimension::Reliability,
        Dimension::Responsiveness => pb::Dimension::Responsiveness,
        Dimension::Assurance => pb::Dimension::Assurance,
        Dimension::Empathy => pb::Dimension::Empathy,
    }
}

pub fn verdict_to_pb(v: Verdict) -> pb::Verdict {
    match v {
        Verdict::Exceeds => pb::Verdict::Exceeds,
        Verdict::Meets => pb::Verdict::Meets,
        Verdict::FallsShort => pb::Verdict::FallsShort,
    }
}

impl From<Response> for pb::SurveyResponse {
    fn from(r: Response) -> Self {
        let s = r.score;
        let dimensions = s
            .dimensions()
            .into_iter()
            .map(|d| pb::DimensionGap {
                dimension: dimension_to_pb(d.dimension).into(),
                items: d.items as i64,
                gap: d.gap(),
                verdict: verdict_to_pb(d.verdict()).into(),
            })
            .collect();
        let nps = match s.nps {
            Some(NpsClass::Promoter) => pb::NpsClass::Promoter,
            Some(NpsClass::Passive) => pb::NpsClass::Passive,
            Some(NpsClass::Detractor) => pb::NpsClass::Detractor,
            None => pb::NpsClass::Unspecified,
        };
        pb::SurveyResponse {
            id: r.id,
            invitation_id: r.invitation_id,
            repair_order_id: r.repair_order_id,
            station_id: r.station_id,
            dealer_id: r.dealer_id,
            region_id: r.region_id,
            advisor_id: r.advisor_id,
            template_code: r.template_code,
            version_number: r.version_number as i32,
            channel: match r.channel {
                Channel::Link => pb::ResponseChannel::Link,
                Channel::Phone => pb::ResponseChannel::Phone,
            }
            .into(),
            agent: r.agent.unwrap_or_default(),
            answers: r
                .answers
                .into_iter()
                .map(|(question_id, value)| pb::Answer {
                    question_id,
                    value: value as i32,
                })
                .collect(),
            score: Some(pb::ResponseScore {
                items: s
                    .items
                    .into_iter()
                    .map(|i| pb::ItemScore {
                        gap: i.gap(),
                        verdict: verdict_to_pb(i.verdict()).into(),
                        item: i.item,
                        dimension: dimension_to_pb(i.dimension).into(),
                        expectation: i.expectation,
                        perception: i.perception,
                    })
                    .collect(),
                unweighted_gap: s.unweighted_gap,
                weighted_gap: s.weighted_gap,
                service_index: s.service_index.map(|v| v as i32),
                top_two_box: s.top_two_box,
                nps: nps.into(),
                low_score: r.low_score,
                dimensions,
            }),
            submit_time: time(r.submit_time),
        }
    }
}
