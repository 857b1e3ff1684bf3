//! The rows of staff members and of their certifications.

use std::collections::HashMap;

use aftercare_db::{Tx, timestamp};
use aftercare_edge::resource::meta_from_row;
use aftercare_values::{PageRequest, resource::Meta};
use sqlx::{Any, AnyConnection, AssertSqlSafe, Executor};

use super::{
    Deletable, Stored,
    columns::{self, Columns, Value},
    list::ScopeColumns,
};
use crate::{
    domain::{
        access::{Change, ListScope, Place},
        network::{Certification, StaffFields, StaffMember, StaffPosition},
        text::{Code, DisplayName, Id},
    },
    error::{Error, Result},
};

#[derive(aftercare_db::FromRow)]
pub(crate) struct Row {
    id: String,
    station_id: String,
    dealer_id: String,
    region_id: String,
    display_name: String,
    position: i64,
    version: i64,
    create_time: i64,
    update_time: i64,
}

#[derive(aftercare_db::FromRow)]
struct CertificationRow {
    staff_member_id: String,
    kind: String,
    expire_date: String,
}

fn to_member(r: Row, certifications: Vec<Certification>) -> Result<StaffMember> {
    let position = StaffPosition::from_number(r.position).ok_or_else(|| {
        Error::Internal(format!("staff member {} has an unknown position", r.id).into())
    })?;
    Ok(StaffMember {
        id: Id::from_store(r.id),
        station_id: Id::from_store(r.station_id),
        dealer_id: Id::from_store(r.dealer_id),
        region_id: Id::from_store(r.region_id),
        fields: StaffFields {
            display_name: DisplayName::from_store(r.display_name),
            position,
            certifications,
        },
        meta: meta_from_row(r.version, r.create_time, r.update_time),
    })
}

/// The certifications of the given staff members, by member.
async fn certifications<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    ids: &[&str],
) -> Result<HashMap<String, Vec<Certification>>> {
    let mut by_member: HashMap<String, Vec<Certification>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_member);
    }
    let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT staff_member_id, kind, expire_date FROM certifications WHERE staff_member_id IN ({}) \
         ORDER BY staff_member_id, kind",
        params.join(", ")
    );
    let mut query = sqlx::query_as::<Any, CertificationRow>(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    for row in query.fetch_all(executor).await? {
        let expire_date = timestamp::date_from_text(&row.expire_date).ok_or_else(|| {
            Error::Internal(
                format!("certification of {} has a bad date", row.staff_member_id).into(),
            )
        })?;
        by_member
            .entry(row.staff_member_id)
            .or_default()
            .push(Certification {
                kind: Code::from_store(row.kind),
                expire_date,
            });
    }
    // By kind in byte order, whatever the database's collation.
    for certs in by_member.values_mut() {
        certs.sort_by(|a, b| a.kind.cmp(&b.kind));
    }
    Ok(by_member)
}

impl Columns for StaffMember {
    const TABLE: &'static str = "staff_members";
    const FIXED: &'static [&'static str] = &["station_id"];
    const CHANGED: &'static [&'static str] = &["display_name", "position"];
    const SELECT: &'static str = "SELECT m.id, m.station_id, s.dealer_id, d.region_id, \
                                  m.display_name, m.position, m.version, m.create_time, \
                                  m.update_time FROM staff_members m \
                                  JOIN stations s ON s.id = m.station_id \
                                  JOIN dealers d ON d.id = s.dealer_id";
    const ID: &'static str = "m.id";
    const SCOPE: Option<ScopeColumns> = Some(ScopeColumns {
        region: "d.region_id",
        dealer: "s.dealer_id",
        station: Some("m.station_id"),
    });
    const FILTERS: &'static [&'static str] = &["m.station_id", "s.dealer_id"];

    type Row = Row;

    /// The member without its certifications, which are rows of their own.
    fn from_row(r: Row) -> Result<Self> {
        to_member(r, vec![])
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn values(&self) -> Vec<Value> {
        vec![
            self.station_id.as_str().into(),
            self.fields.display_name.as_str().into(),
            (self.fields.position as i64).into(),
        ]
    }
}

/// A page of the staff members in `scope` whose station and dealer are
/// `values` (empty for any), with their certifications.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    scope: &ListScope,
    values: &[&str],
    page: &PageRequest,
) -> Result<Vec<StaffMember>> {
    let mut members: Vec<StaffMember> = columns::list(&mut *conn, scope, values, page).await?;
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    let mut certs = certifications(&mut *conn, &ids).await?;
    for m in &mut members {
        m.fields.certifications = certs.remove(m.id.as_str()).unwrap_or_default();
    }
    Ok(members)
}

/// How many customers `id` is the service advisor of.
pub(crate) async fn advised_customers(tx: &mut Tx, id: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE advisor_id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?,
    )
}

impl Deletable for StaffMember {
    const REFERENCED: &'static str = "the staff member is still the service advisor of customers";
}

impl Stored for StaffMember {
    const WHAT: &'static str = "staff member";
    const CHANGE: Change = Change::Dealership;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let Some(mut member) = columns::find::<StaffMember>(&mut *conn, id).await? else {
            return Ok(None);
        };
        member.fields.certifications = certifications(&mut *conn, &[id])
            .await?
            .remove(id)
            .unwrap_or_default();
        Ok(Some(member))
    }

    fn place(&self) -> Place<'_> {
        Place::Station {
            region_id: self.region_id.as_str(),
            dealer_id: self.dealer_id.as_str(),
            station_id: self.station_id.as_str(),
        }
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }
}

pub(crate) async fn write_certifications(tx: &mut Tx, member: &StaffMember) -> Result<()> {
    sqlx::query("DELETE FROM certifications WHERE staff_member_id = $1")
        .bind(member.id.as_str())
        .execute(&mut **tx)
        .await?;
    for c in &member.fields.certifications {
        sqlx::query(
            "INSERT INTO certifications (staff_member_id, kind, expire_date) VALUES ($1, $2, $3)",
        )
        .bind(member.id.as_str())
        .bind(c.kind.as_str())
        .bind(timestamp::date_to_text(c.expire_date))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
