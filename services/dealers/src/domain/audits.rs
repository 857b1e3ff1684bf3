//! Facility audits: a checklist of items with points, some mandatory; the
//! score of an audit gives the station's star level, and a failed mandatory
//! item caps it whatever the score. No transport and no SQL here.

use aftercare_values::basis_points;

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub code: String,
    /// What the item is worth: 1 to 100.
    pub points: u32,
    /// A station failing it cannot rise above [`MANDATORY_CAP`] stars.
    pub mandatory: bool,
}

/// The highest star level a station failing a mandatory item may have.
pub const MANDATORY_CAP: u8 = 2;

/// The least score (basis points of the points) for 1 to 5 stars.
const STAR_THRESHOLDS: [u32; 5] = [5_000, 6_000, 7_000, 8_000, 9_000];

/// An audit's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Points passed of points possible, in basis points.
    pub score_basis_points: u32,
    pub mandatory_failed: u32,
    pub star_level: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error("item {0} is not on the checklist")]
    UnknownItem(String),
    #[error("item {0} is not judged")]
    Unjudged(String),
    #[error("the checklist has no points")]
    Empty,
}

/// Scores an audit: `passed` says, item code by item code, whether the
/// station passed it; every item must be judged, and nothing else.
pub fn score(checklist: &[Item], passed: &[(String, bool)]) -> Result<Outcome, AuditError> {
    if let Some((code, _)) = passed
        .iter()
        .find(|(code, _)| !checklist.iter().any(|i| &i.code == code))
    {
        return Err(AuditError::UnknownItem(code.clone()));
    }
    let mut total = 0u64;
    let mut earned = 0u64;
    let mut mandatory_failed = 0;
    for item in checklist {
        let ok = passed
            .iter()
            .find(|(code, _)| code == &item.code)
            .map(|(_, ok)| *ok)
            .ok_or_else(|| AuditError::Unjudged(item.code.clone()))?;
        total += u64::from(item.points);
        if ok {
            earned += u64::from(item.points);
        } else if item.mandatory {
            mandatory_failed += 1;
        }
    }
    let score = basis_points(earned, total).ok_or(AuditError::Empty)?;
    let stars = STAR_THRESHOLDS.iter().filter(|t| score >= **t).count() as u8;
    let star_level = if mandatory_failed > 0 {
        stars.min(MANDATORY_CAP)
    } else {
        stars
    };
    Ok(Outcome {
        score_basis_points: score,
        mandatory_failed,
        star_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 points: signage 10, workshop tidiness 20, customer lounge 20,
    /// special tools 30 (mandatory), high-voltage safety zone 20 (mandatory).
    fn checklist() -> Vec<Item> {
        [
            ("SIGNAGE", 10, false),
            ("TIDY", 20, false),
            ("LOUNGE", 20, false),
            ("TOOLS", 30, true),
            ("HV-ZONE", 20, true),
        ]
        .into_iter()
        .map(|(code, points, mandatory)| Item {
            code: code.into(),
            points,
            mandatory,
        })
        .collect()
    }

    fn judged(failed: &[&str]) -> Vec<(String, bool)> {
        checklist()
            .iter()
            .map(|i| (i.code.clone(), !failed.contains(&i.code.as_str())))
            .collect()
    }

    #[test]
    fn the_score_gives_the_stars() {
        let all = score(&checklist(), &judged(&[])).unwrap();
        assert_eq!((all.score_basis_points, all.star_level), (10_000, 5));
        // 90 of 100: still 5 stars.
        let no_sign = score(&checklist(), &judged(&["SIGNAGE"])).unwrap();
        assert_eq!((no_sign.score_basis_points, no_sign.star_level), (9_000, 5));
        // 70 of 100: 3 stars.
        let two = score(&checklist(), &judged(&["SIGNAGE", "LOUNGE"])).unwrap();
        assert_eq!((two.score_basis_points, two.star_level), (7_000, 3));
        // 50 of 100: 1 star; below that none.
        let half = score(&checklist(), &judged(&["SIGNAGE", "TIDY", "LOUNGE"])).unwrap();
        assert_eq!(half.star_level, 1);
    }

    #[test]
    fn a_failed_mandatory_item_caps_the_level() {
        // 80 of 100 would be 4 stars, but the high-voltage zone failed.
        let o = score(&checklist(), &judged(&["HV-ZONE"])).unwrap();
        assert_eq!(o.score_basis_points, 8_000);
        assert_eq!((o.mandatory_failed, o.star_level), (1, MANDATORY_CAP));
        // A cap never raises: 40 of 100 with both mandatory failed is 0.
        let o = score(&checklist(), &judged(&["TOOLS", "HV-ZONE", "TIDY"])).unwrap();
        assert_eq!((o.mandatory_failed, o.star_level), (2, 0));
    }

    #[test]
    fn every_item_is_judged_and_nothing_else() {
        let mut partial = judged(&[]);
        partial.pop();
        assert_eq!(
            score(&checklist(), &partial),
            Err(AuditError::Unjudged("HV-ZONE".into()))
        );
        let mut extra = judged(&[]);
        extra.push(("POOL".into(), true));
        assert_eq!(
            score(&checklist(), &extra),
            Err(AuditError::UnknownItem("POOL".into()))
        );
        assert_eq!(score(&[], &[]), Err(AuditError::Empty));
    }
}
