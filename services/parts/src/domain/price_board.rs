//! The price board of a station: every part, labour operation and
//! maintenance package with the published price in force at a time, section
//! by section, each in code order. The prices are the network's; the
//! station only decides who may read its board.

use aftercare_values::Money;
use time::OffsetDateTime;

use super::catalogue::{PartNumber, Unit};

/// A part of the board, in the order the board shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Parts,
    LabourOperations,
    MaintenancePackages,
}

impl Section {
    pub const ALL: [Section; 3] = [
        Section::Parts,
        Section::LabourOperations,
        Section::MaintenancePackages,
    ];

    fn position(self) -> usize {
        self as usize
    }
}

/// What a line shows besides its price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    Part {
        unit: Unit,
        superseded_by: Option<PartNumber>,
    },
    LabourOperation {
        standard_centihours: i64,
    },
    MaintenancePackage {
        model_code: String,
        interval_months: i64,
        interval_km: i64,
    },
}

/// One line of the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The part number, operation code or package id.
    pub code: String,
    pub display_name: String,
    pub price: Money,
    /// Since when the price is in force.
    pub effective_time: OffsetDateTime,
    pub details: Details,
}

impl Entry {
    pub fn section(&self) -> Section {
        match self.details {
            Details::Part { .. } => Section::Parts,
            Details::LabourOperation { .. } => Section::LabourOperations,
            Details::MaintenancePackage { .. } => Section::MaintenancePackages,
        }
    }
}

/// A place on the board read at a time: where a page ends, so that the
/// next page goes on from there at the same time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The time the prices are in force at (micros).
    pub at: i64,
    pub section: Section,
    /// The last code shown in the section.
    pub code: String,
}

impl Place {
    /// The place of `entry` on the board at `at`.
    pub fn of(entry: &Entry, at: i64) -> Place {
        Place {
            at,
            section: entry.section(),
            code: entry.code.clone(),
        }
    }

    pub fn key(&self) -> String {
        format!("{}:{}:{}", self.at, self.section.position(), self.code)
    }

    pub fn parse(key: &str) -> Option<Place> {
        let mut parts = key.splitn(3, ':');
        let at = parts.next()?.parse().ok()?;
        let section = *Section::ALL.get(parts.next()?.parse::<usize>().ok()?)?;
        let code = parts.next()?.to_owned();
        Some(Place { at, section, code })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_key_names_the_time_section_and_code() {
        let entry = Entry {
            code: "OIL-CHANGE".into(),
            display_name: "Oil change".into(),
            price: Money::parse("EUR", 4_500).unwrap(),
            effective_time: OffsetDateTime::UNIX_EPOCH,
            details: Details::LabourOperation {
                standard_centihours: 50,
            },
        };
        let place = Place::of(&entry, 1_700_000_000_000_000);
        assert_eq!(place.section, Section::LabourOperations);
        assert_eq!(Place::parse(&place.key()), Some(place));
        assert_eq!(Place::parse("1:9:X"), None);
        assert_eq!(Place::parse("no key"), None);
    }

    #[test]
    fn sections_come_in_board_order() {
        assert!(Section::Parts < Section::LabourOperations);
        assert!(Section::LabourOperations < Section::MaintenancePackages);
    }
}
