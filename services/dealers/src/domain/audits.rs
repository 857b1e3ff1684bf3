//! Facility audits: a checklist of items with points, some mandatory; the
//! score of an audit gives the station's star level, and a failed mandatory
//! item caps it whatever the score. No transport and no SQL here.
//!
//! Checklists and audits are kept as recorded: a checklist cannot change (a
//! new version is a new checklist with the same code), and an audit is
//! scored once, when it is recorded. A station's star level follows its
//! latest audit by audit time ([`supersedes`]).

use aftercare_values::basis_points;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::text::{Code, DisplayName, Id};

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    #[error("item {0} is judged twice")]
    JudgedTwice(String),
    #[error("the checklist has no points")]
    Empty,
}

/// Scores an audit: `passed` says, item code by item code, whether the
/// station passed it; every item must be judged once, and nothing else.
pub fn score(checklist: &[Item], passed: &[(String, bool)]) -> Result<Outcome, AuditError> {
    if let Some((_, (code, _))) = passed
        .iter()
        .enumerate()
        .find(|(i, (code, _))| passed[..*i].iter().any(|(c, _)| c == code))
    {
        return Err(AuditError::JudgedTwice(code.clone()));
    }
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

// Checklists -----------------------------------------------------------------

/// The points an item may be worth.
pub const POINTS: std::ops::RangeInclusive<i64> = 1..=100;

/// The most items a checklist may have.
pub const MAX_ITEMS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be {} to {} points", POINTS.start(), POINTS.end())]
pub struct PointsError;

pub fn parse_points(n: i64) -> Result<u32, PointsError> {
    if POINTS.contains(&n) {
        Ok(n as u32)
    } else {
        Err(PointsError)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecklistError {
    #[error("must have 1 to {MAX_ITEMS} items")]
    ItemCount,
    /// The item at this index repeats the code of an earlier one.
    #[error("item {code} is listed twice")]
    Duplicate { index: usize, code: String },
}

/// The items of a checklist: at least one, at most [`MAX_ITEMS`], each code
/// once (a verdict names its item by code).
pub fn check_items(items: &[Item]) -> Result<(), ChecklistError> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(ChecklistError::ItemCount);
    }
    match items
        .iter()
        .enumerate()
        .find(|(i, item)| items[..*i].iter().any(|x| x.code == item.code))
    {
        Some((index, item)) => Err(ChecklistError::Duplicate {
            index,
            code: item.code.clone(),
        }),
        None => Ok(()),
    }
}

/// An item as a checklist shows it: what is scored, and what it asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub item: Item,
    pub description: DisplayName,
}

/// What a new checklist is made of, parsed and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistFields {
    pub code: Code,
    pub display_name: DisplayName,
    pub items: Vec<ChecklistItem>,
}

/// A version of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub id: Id,
    /// 1 for the first checklist with its code, then 2, 3…
    pub version: i64,
    pub fields: ChecklistFields,
    pub create_time: OffsetDateTime,
}

impl Checklist {
    /// The items as [`score`] takes them.
    pub fn scored_items(&self) -> Vec<Item> {
        self.fields.items.iter().map(|i| i.item.clone()).collect()
    }
}

// Audits --------------------------------------------------------------------

/// How far ahead of the service's clock an audit time may be: the clocks of
/// the auditor's device and of the service need not agree to the second.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must not be in the future")]
pub struct FutureAudit;

/// An audit is recorded after it took place.
pub fn check_audit_time(at: OffsetDateTime, now: OffsetDateTime) -> Result<(), FutureAudit> {
    if at > now + CLOCK_SKEW {
        Err(FutureAudit)
    } else {
        Ok(())
    }
}

/// Whether an audit at `audit_time` gives the station its star level, when
/// the station's latest other audit took place at `latest`: an audit older
/// than the latest is kept but changes nothing, and of two audits at the
/// same time the one recorded later counts.
pub fn supersedes(audit_time: OffsetDateTime, latest: Option<OffsetDateTime>) -> bool {
    latest.is_none_or(|latest| audit_time >= latest)
}

aftercare_values::text_type!(
    /// The auditor's note on an item: at most [`Note::MAX`] characters; line
    /// breaks and tabs are kept, other control characters refused.
    Note
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("must be at most {} characters", Note::MAX)]
    TooLong,
    #[error("must not hold control characters other than line breaks and tabs")]
    Control,
}

impl Note {
    pub const MAX: usize = 1000;

    /// A note, or none when `s` is blank.
    pub fn parse(s: &str) -> Result<Option<Self>, NoteError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > Self::MAX {
            return Err(NoteError::TooLong);
        }
        if s.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(NoteError::Control);
        }
        Ok(Some(Self(s.to_owned())))
    }
}

/// The auditor's verdict on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub item_code: Code,
    pub passed: bool,
    pub note: Option<Note>,
}

/// What a new audit states, parsed at the edge; the store scores it against
/// its checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields {
    pub station_id: Id,
    pub checklist_id: Id,
    pub audit_time: OffsetDateTime,
    pub verdicts: Vec<Verdict>,
}

/// A recorded audit of a station, with its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilityAudit {
    pub id: Id,
    pub station_id: Id,
    /// The station's dealer and region.
    pub dealer_id: Id,
    pub region_id: Id,
    pub checklist_id: Id,
    pub audit_time: OffsetDateTime,
    /// The subject of the caller who recorded it.
    pub auditor: String,
    /// In the checklist's order.
    pub verdicts: Vec<Verdict>,
    pub outcome: Outcome,
    pub create_time: OffsetDateTime,
}

/// Scores `verdicts` against `checklist`; the verdicts in the checklist's
/// order.
pub fn judge(
    checklist: &Checklist,
    verdicts: &[Verdict],
) -> Result<(Outcome, Vec<Verdict>), AuditError> {
    let passed: Vec<(String, bool)> = verdicts
        .iter()
        .map(|v| (v.item_code.as_str().to_owned(), v.passed))
        .collect();
    let outcome = score(&checklist.scored_items(), &passed)?;
    let position = |v: &Verdict| {
        checklist
            .fields
            .items
            .iter()
            .position(|i| i.item.code == v.item_code.as_str())
    };
    let mut ordered = verdicts.to_vec();
    ordered.sort_by_key(position);
    Ok((outcome, ordered))
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

    #[test]
    fn an_item_is_judged_once() {
        let mut twice = judged(&[]);
        twice.push(("TIDY".into(), false));
        assert_eq!(
            score(&checklist(), &twice),
            Err(AuditError::JudgedTwice("TIDY".into()))
        );
    }

    #[test]
    fn a_checklist_has_items_worth_1_to_100_points_each_code_once() {
        assert_eq!(parse_points(1), Ok(1));
        assert_eq!(parse_points(100), Ok(100));
        assert_eq!(parse_points(0), Err(PointsError));
        assert_eq!(parse_points(101), Err(PointsError));
        assert_eq!(check_items(&checklist()), Ok(()));
        assert_eq!(check_items(&[]), Err(ChecklistError::ItemCount));
        let mut twice = checklist();
        twice.push(twice[1].clone());
        assert_eq!(
            check_items(&twice),
            Err(ChecklistError::Duplicate {
                index: 5,
                code: "TIDY".into()
            })
        );
    }

    #[test]
    fn the_latest_audit_by_time_sets_the_level() {
        let t = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        assert!(supersedes(t, None));
        assert!(supersedes(t, Some(t - Duration::days(1))));
        // The same time: the audit recorded later counts.
        assert!(supersedes(t, Some(t)));
        assert!(!supersedes(t - Duration::seconds(1), Some(t)));
        assert_eq!(check_audit_time(t + CLOCK_SKEW, t), Ok(()));
        assert_eq!(
            check_audit_time(t + CLOCK_SKEW + Duration::seconds(1), t),
            Err(FutureAudit)
        );
    }

    #[test]
    fn verdicts_come_back_in_the_checklists_order() {
        let list = Checklist {
            id: Id::parse("facility").unwrap(),
            version: 1,
            fields: ChecklistFields {
                code: Code::parse("FACILITY").unwrap(),
                display_name: DisplayName::parse("Facility").unwrap(),
                items: checklist()
                    .into_iter()
                    .map(|item| ChecklistItem {
                        item,
                        description: DisplayName::parse("An item").unwrap(),
                    })
                    .collect(),
            },
            create_time: OffsetDateTime::UNIX_EPOCH,
        };
        let verdicts: Vec<Verdict> = judged(&["LOUNGE"])
            .into_iter()
            .rev()
            .map(|(code, passed)| Verdict {
                item_code: Code::parse(&code).unwrap(),
                passed,
                note: None,
            })
            .collect();
        let (outcome, ordered) = judge(&list, &verdicts).unwrap();
        assert_eq!((outcome.score_basis_points, outcome.star_level), (8_000, 4));
        let codes: Vec<&str> = ordered.iter().map(|v| v.item_code.as_str()).collect();
        assert_eq!(codes, ["SIGNAGE", "TIDY", "LOUNGE", "TOOLS", "HV-ZONE"]);
    }

    #[test]
    fn notes_are_optional_bounded_text() {
        assert_eq!(Note::parse("  "), Ok(None));
        let note = Note::parse(" Lounge closed\nfor works ").unwrap().unwrap();
        assert_eq!(note.as_str(), "Lounge closed\nfor works");
        assert_eq!(Note::parse("a\u{7}b"), Err(NoteError::Control));
        assert_eq!(
            Note::parse(&"x".repeat(Note::MAX + 1)),
            Err(NoteError::TooLong)
        );
    }
}
