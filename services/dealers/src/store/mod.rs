//! The rows of the service network, on PostgreSQL or SQLite through one
//! implementation (see `aftercare-db`): functions that read and write
//! domain values in the transaction or connection they are given. The use
//! cases (`crate::usecases`) open the transactions, check access and
//! commit; nothing here does.

mod appointments;
pub(crate) mod audits;
pub(crate) mod columns;
pub(crate) mod compliance;
pub(crate) mod customers;
pub(crate) mod dealers;
pub(crate) mod list;
pub(crate) mod regions;
pub(crate) mod reminders;
pub(crate) mod repair_orders;
pub(crate) mod staff;
pub(crate) mod standards;
pub(crate) mod stations;
pub(crate) mod vehicles;

use aftercare_db::Db;
pub use aftercare_edge::Caller;
use aftercare_values::OemZone;
use aftercare_values::resource::Meta;
use sqlx::AnyConnection;

use crate::{
    domain::access::{Change, Place},
    error::Result,
};

/// The migrations of this service's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = aftercare_db::migrate!("./migrations");

/// The store's upkeep as a whole: its migrations and the rebuild of the
/// compliance tallies (at start-up, and for tests and the load tool).
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    /// The OEM's time zone: compliance is tallied per station and local
    /// day, and reported per local period.
    zone: OemZone,
}

impl Store {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            zone: OemZone::utc(),
        }
    }

    /// The database the store is on.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.zone = zone;
        self
    }

    /// Brings the schema up to date: the service's tables and its outbox,
    /// and the compliance tallies of ROs recorded before they were kept or
    /// tallied in another time zone than `zone`.
    pub async fn migrate(db: &Db, zone: &OemZone) -> anyhow::Result<()> {
        db.migrate(&MIGRATOR).await?;
        aftercare_outbox::migrate(db).await?;
        Store::new(db.clone())
            .with_zone(zone.clone())
            .rebuild_compliance_once()
            .await?;
        Ok(())
    }
}

/// What the shared steps of reading, changing and deleting need to know of
/// a stored kind of object.
pub(crate) trait Stored: Sized + Send {
    /// Its name in messages: "station".
    const WHAT: &'static str;
    /// Who may change it.
    const CHANGE: Change;

    /// The object with `id`, whoever asks.
    fn find(
        conn: &mut AnyConnection,
        id: &str,
    ) -> impl Future<Output = Result<Option<Self>>> + Send;
    fn place(&self) -> Place<'_>;
    fn meta(&self) -> &Meta;
}

/// A stored kind of object that may be deleted.
pub(crate) trait Deletable: columns::Columns {
    /// Why a delete is refused while other objects refer to it.
    const REFERENCED: &'static str;
}
