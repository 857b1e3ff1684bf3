//! Which periods' tables wait for a rebuild, and why.

use std::{collections::BTreeMap, time::Instant};

use aftercare_values::Period;

/// Periods to rebuild, each with the number of its latest mark, so that a
/// rebuild clears only the marks made before it started.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// Tables that missed an update (or were never built): read from the
    /// database until rebuilt.
    pub(super) stale: BTreeMap<Period, u64>,
    /// Tables whose prior and previous ranks a late answer moved: still read
    /// from the store, and rebuilt by the background task.
    pub(super) outdated: BTreeMap<Period, u64>,
    /// The store lost every table: all are read from the database until
    /// the background task marked every period with responses stale.
    pub(super) lost: Option<u64>,
    count: u64,
    /// Since when some mark has been waiting without a pause: how long the
    /// tables have been behind the database.
    pub(super) since: Option<Instant>,
    /// How many times the store was found to have lost its tables.
    pub(super) losses: u64,
}

impl Marks {
    pub(super) fn mark_lost(&mut self) {
        self.count += 1;
        self.lost = Some(self.count);
        self.losses += 1;
        self.since.get_or_insert_with(Instant::now);
    }

    /// Clears the loss, unless another came since `seen`.
    pub(super) fn clear_lost(&mut self, seen: Option<u64>) {
        if self.lost == seen {
            self.lost = None;
        }
        self.settle();
    }

    pub(super) fn mark(&mut self, outdated: bool, period: Period) {
        self.count += 1;
        let set = if outdated {
            &mut self.outdated
        } else {
            &mut self.stale
        };
        set.insert(period, self.count);
        self.since.get_or_insert_with(Instant::now);
    }

    /// Both marks of `period` as they are now.
    pub(super) fn of(&self, period: Period) -> (Option<u64>, Option<u64>) {
        (
            self.stale.get(&period).copied(),
            self.outdated.get(&period).copied(),
        )
    }

    /// Clears the marks of `period` still as they were in `seen`.
    pub(super) fn clear(&mut self, period: Period, seen: (Option<u64>, Option<u64>)) {
        let (stale, outdated) = self.of(period);
        if stale == seen.0 {
            self.stale.remove(&period);
        }
        if outdated == seen.1 {
            self.outdated.remove(&period);
        }
        self.settle();
    }

    /// Whether nothing waits for a rebuild.
    pub(super) fn is_settled(&self) -> bool {
        self.lost.is_none() && self.stale.is_empty() && self.outdated.is_empty()
    }

    fn settle(&mut self) {
        if self.is_settled() {
            self.since = None;
        }
    }
}
