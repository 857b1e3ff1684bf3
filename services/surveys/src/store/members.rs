//! The display names of dealers and stations (`survey_members`), as the
//! delivered-RO events tell them; the league tables show them.

use sqlx::AnyConnection;

use crate::error::Result;

/// Dealers or stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Dealer,
    Station,
}

impl MemberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Dealer => "dealer",
            MemberKind::Station => "station",
        }
    }
}

/// Keeps `name` as the member's display name unless a later delivery named
/// it already; an empty name (an event that tells none) changes nothing.
pub async fn name(
    conn: &mut AnyConnection,
    kind: MemberKind,
    id: &str,
    name: &str,
    delivery_time: i64,
) -> Result<()> {
    if name.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO survey_members (kind, id, display_name, named_time) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind, id) DO UPDATE SET display_name = excluded.display_name, \
         named_time = excluded.named_time WHERE survey_members.named_time <= excluded.named_time",
    )
    .bind(kind.as_str())
    .bind(id)
    .bind(name)
    .bind(delivery_time)
    .execute(conn)
    .await?;
    Ok(())
}
