//! Scores: a period's sums of what the caller sees.

use aftercare_auth::Principal;
use aftercare_db::Db;
use aftercare_values::Period;

use super::invitations::{check_named, list_scope};
use crate::{
    domain::aggregate::{Aggregate, ScoreSubject},
    error::Result,
    store,
};

#[derive(Debug, Clone)]
pub struct Scores {
    db: Db,
}

impl Scores {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The sums of `subject`'s days in `period`, within what the caller sees.
    pub async fn scores(
        &self,
        caller: &Principal,
        subject: ScoreSubject,
        period: Period,
    ) -> Result<Aggregate> {
        let scope = list_scope(caller)?;
        let (dealer, region) = match &subject {
            ScoreSubject::Dealer(d) => (Some(d.as_str()), None),
            ScoreSubject::Region(r) => (None, Some(r.as_str())),
            _ => (None, None),
        };
        check_named(&scope, dealer, region)?;
        store::aggregates::scores(&self.db, &scope, &subject, period).await
    }
}
