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
    /// Records a compensation once per event, and adds it to its dealer's, region's and the network's
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
        if !aftercare_outbox::apply_once(&mut tx, event_id).await? {
            // Delivered again after a lost answer: the first answer stands.
            let done = store::compensations::find(&mut tx, event_id).await?;
            tx.commit().await?;
            return done.ok_or_else(|| {
                Error::Internal(format!("event {event_id} was applied but left nothing").into())
            });
        }
        let now = self.cx.clock.now_micros();
        store::compensations::insert(&mut tx, &c, event_id, now).await?;
        let periods = periods_of(&self.cx.zone, from_micros(c.approve_time));
        tallies::add(&mut tx, &c.tallies(&periods)).await?;
        tx.commit().await?;
        Ok(c)
    }
}
