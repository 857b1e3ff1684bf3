//! Service standards, proto → domain at the edge (naming the field of every
//! error) and domain → proto on the way out.

use aftercare_proto::dealers::v1::{self as pb, StandardMoment};
use aftercare_values::{AtField, FieldViolation, Period};
use prost_types::Duration as PbDuration;
use time::OffsetDateTime;

use crate::domain::{
    compliance::{Report, ScopeRequest, VersionResult},
    standard_terms::{self, Description, ServiceStandard, TermError},
    standards::{Compliance, Moment, Standard, Version},
};
use crate::grpc::fields::{
    code, id, name, order_type, pb_order_type, required_time as time, timestamp,
};

type Result<T> = std::result::Result<T, FieldViolation>;

fn moment(v: i32, field: &str) -> Result<Moment> {
    let m = match StandardMoment::try_from(v) {
        Ok(StandardMoment::Arrival) => Moment::Arrival,
        Ok(StandardMoment::Opened) => Moment::Opened,
        Ok(StandardMoment::Started) => Moment::Started,
        Ok(StandardMoment::Completed) => Moment::Completed,
        Ok(StandardMoment::Delivered) => Moment::Delivered,
        Ok(StandardMoment::Promised) => Moment::Promised,
        Ok(StandardMoment::CalledBack) => Moment::CalledBack,
        Ok(StandardMoment::Unspecified) | Err(_) => return Err(TermError::Moment).at(field),
    };
    Ok(m)
}

fn pb_moment(m: Moment) -> StandardMoment {
    match m {
        Moment::Arrival => StandardMoment::Arrival,
        Moment::Opened => StandardMoment::Opened,
        Moment::Started => StandardMoment::Started,
        Moment::Completed => StandardMoment::Completed,
        Moment::Delivered => StandardMoment::Delivered,
        Moment::Promised => StandardMoment::Promised,
        Moment::CalledBack => StandardMoment::CalledBack,
    }
}

/// A version's terms; `field` is where the request holds them.
pub(super) fn version(p: Option<&pb::StandardVersion>, field: &str) -> Result<Version> {
    let p = p.ok_or_else(|| FieldViolation::new(field, "must be set"))?;
    let at = |name: &str| format!("{field}.{name}");
    let threshold = p
        .threshold
        .as_ref()
        .ok_or_else(|| FieldViolation::new(at("threshold"), "must be set"))?;
    let pilots = p
        .pilot_station_ids
        .iter()
        .enumerate()
        .map(|(i, s)| id(s, &format!("{field}.pilot_station_ids[{i}]")))
        .collect::<Result<Vec<_>>>()?;
    let pilots = standard_terms::pilot_stations(pilots).map_err(|(i, e)| {
        let list = at("pilot_station_ids");
        let field = i.map_or_else(|| list.clone(), |i| format!("{list}[{i}]"));
        FieldViolation::new(field, e.to_string())
    })?;
    Ok(Version {
        version: 0,
        effective_from: time(p.effective_time.as_ref(), &at("effective_time"))?,
        threshold: standard_terms::threshold(threshold.seconds, threshold.nanos)
            .at(&at("threshold"))?,
        target_basis_points: standard_terms::target(p.target_basis_points)
            .at(&at("target_basis_points"))?,
        key: p.key,
        pilot_stations: pilots.into_iter().map(|i| i.into_string()).collect(),
    })
}

/// A new standard with its first version, created `now`.
pub(super) fn new_standard(
    p: &pb::ServiceStandard,
    now: OffsetDateTime,
) -> Result<ServiceStandard> {
    let from = moment(p.from_moment, "standard.from_moment")?;
    let to = moment(p.to_moment, "standard.to_moment")?;
    standard_terms::check_moments(from, to).at("standard.to_moment")?;
    let order_types = p
        .order_types
        .iter()
        .enumerate()
        .map(|(i, t)| order_type(*t, &format!("standard.order_types[{i}]")))
        .collect::<Result<Vec<_>>>()?;
    let order_types = standard_terms::order_types(order_types).map_err(|(i, e)| {
        FieldViolation::new(format!("standard.order_types[{i}]"), e.to_string())
    })?;
    let mut first = version(p.first_version.as_ref(), "standard.first_version")?;
    first.version = 1;
    Ok(ServiceStandard {
        rule: Standard {
            code: code(&p.code, "standard.code")?.into_string(),
            order_types,
            fast_lane_only: p.fast_lane_only,
            from,
            to,
            versions: vec![first],
        },
        display_name: name(&p.display_name, "standard.display_name")?,
        description: Description::parse(&p.description).at("standard.description")?,
        create_time: now,
        update_time: now,
    })
}

pub(super) fn standard_code(v: &str, field: &str) -> Result<String> {
    code(v, field).map(|c| c.into_string())
}

pub(super) fn period(p: Option<&aftercare_proto::common::v1::Period>) -> Result<Period> {
    let p = p.ok_or_else(|| FieldViolation::new("period", "must be set"))?;
    Period::from_parts(p.kind, p.year, p.number).at("period")
}

pub(super) fn scope(
    s: Option<&pb::get_standard_compliance_request::Scope>,
) -> Result<ScopeRequest> {
    use pb::get_standard_compliance_request::Scope;
    Ok(match s {
        None => ScopeRequest::Network,
        Some(Scope::StationId(v)) => ScopeRequest::Station(id(v, "station_id")?.into_string()),
        Some(Scope::DealerId(v)) => ScopeRequest::Dealer(id(v, "dealer_id")?.into_string()),
        Some(Scope::RegionId(v)) => ScopeRequest::Region(id(v, "region_id")?.into_string()),
    })
}

// Domain → proto -------------------------------------------------------------

/// A standard as a caller is shown it: of each version's pilot stations,
/// those `shows` lets through.
pub(super) fn pb_standard(s: ServiceStandard, shows: impl Fn(&str) -> bool) -> pb::ServiceStandard {
    let rule = s.rule;
    pb::ServiceStandard {
        code: rule.code,
        display_name: s.display_name.into_string(),
        description: s.description.into_string(),
        from_moment: pb_moment(rule.from) as i32,
        to_moment: pb_moment(rule.to) as i32,
        order_types: rule
            .order_types
            .into_iter()
            .map(|t| pb_order_type(t) as i32)
            .collect(),
        fast_lane_only: rule.fast_lane_only,
        first_version: None,
        versions: rule
            .versions
            .into_iter()
            .map(|v| pb::StandardVersion {
                version: v.version as i32,
                effective_time: timestamp(v.effective_from),
                threshold: Some(PbDuration {
                    seconds: v.threshold.whole_seconds(),
                    nanos: v.threshold.subsec_nanoseconds(),
                }),
                target_basis_points: v.target_basis_points as i32,
                key: v.key,
                pilot: !v.pilot_stations.is_empty(),
                pilot_station_ids: v.pilot_stations.into_iter().filter(|s| shows(s)).collect(),
            })
            .collect(),
        create_time: timestamp(s.create_time),
        update_time: timestamp(s.update_time),
    }
}

fn counts(c: &Compliance) -> pb::ComplianceCounts {
    pb::ComplianceCounts {
        met: c.met as i64,
        missed: c.missed as i64,
        pending: c.pending as i64,
        rate_basis_points: c.basis_points().map(|bp| bp as i32),
    }
}

pub(super) fn pb_compliance(s: &ServiceStandard, report: &Report) -> pb::StandardCompliance {
    let terms = report.terms;
    pb::StandardCompliance {
        standard_code: s.rule.code.clone(),
        display_name: s.display_name.as_str().to_owned(),
        counts: Some(counts(&report.compliance)),
        version: terms.map_or(0, |t| t.version as i32),
        target_basis_points: terms.map_or(0, |t| t.target_basis_points as i32),
        key: terms.is_some_and(|t| t.key),
        target_met: report.target_met(),
        versions: report
            .versions
            .iter()
            .map(|v: &VersionResult| pb::VersionCompliance {
                version: v.version as i32,
                counts: Some(counts(&v.compliance)),
                target_basis_points: v.target_basis_points as i32,
                target_met: v.target_met(),
            })
            .collect(),
    }
}
