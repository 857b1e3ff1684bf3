//! Complaints' approved compensation and goodwill: each counted once in its
//! dealer's cost of poor quality.

use aftercare_auth::Principal;
use aftercare_db::timestamp::from_micros;

use super::area;
use crate::{
    domain::{access, compensation::Compensation, tally::periods_of},
    error::{Error, Result},
    store::{self, tallies},
};

area!(
    /// The compensation events.
    Compensations
);

impl Compensations {
    /// Records a compensation once per event and once per complaint and
    /// kind, and adds it to its dealer's, region's and the network's
    /// tallies of the approval's month, quarter and year.
    pub(crate) async fn receive(
        &self,
        caller: &Principal,
        event_id: &str,
        c: Compensation,
    ) -> Result<Compensation> {
        if !access::is_compensation_sender(caller, &c.dealer_id) {
            return Err(Error::PermissionDenied(
                "only head office or the complaints process tells of compensation".into(),
            ));
        }
        let mut tx = self.cx.db.begin().await?;
        let first = aftercare_outbox::apply_once(&mut tx, event_id).await?;
        if let Some(done) = store::compensations::find(&mut tx, &c.complaint_id, c.kind).await? {
            tx.commit().await?;
            return Ok(done);
        }
        if !first {
            return Err(Error::Internal(
                format!("event {event_id} was applied but left no compensation").into(),
            ));
        }
        let now = self.cx.clock.now_micros();
        if !store::compensations::insert(&mut tx, &c, event_id, now).await? {
            drop(tx);
            let mut conn = self.cx.db.pool().acquire().await?;
            return store::compensations::find(&mut conn, &c.complaint_id, c.kind)
                .await?
                .ok_or_else(|| {
                    Error::Internal(format!("no compensation of {}", c.complaint_id).into())
                });
        }
        let periods = periods_of(&self.cx.zone, from_micros(c.approve_time));
        tallies::add(&mut tx, &c.tallies(&periods)).await?;
        tx.commit().await?;
        Ok(c)
    }
}
