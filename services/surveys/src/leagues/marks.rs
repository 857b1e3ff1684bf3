//! Which periods' tables wait for a rebuild, and why.

use std::collections::BTreeMap;

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
}

impl Marks {
    pub(super) fn mark_lost(&mut self) {
        self.count += 1;
        self.lost = Some(self.count);
    }

    /// Clears the loss, unless another came since `seen`.
    pub(super) fn clear_lost(&mut self, seen: Option<u64>) {
        if self.lost == seen {
            self.lost = None;
        }
    }

    pub(super) fn mark(&mut self, outdated: bool, period: Period) {
        self.count += 1;
        let set = if outdated {
            &mut self.outdated
        } else {
            &mut self.stale
        };
        set.insert(period, self.count);
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
    }
}
