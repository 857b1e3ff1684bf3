use aftercare_edge::resource::{expect_one, meta_from_row, new_meta, next_meta, on_write_error};
use aftercare_values::resource::Meta;
use std::collections::HashMap;

use aftercare_auth::Principal;
use aftercare_db::list::{Arg, ListQuery};
use aftercare_db::{Tx, timestamp};
use aftercare_values::PageRequest;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Executor};

use super::{
    Caller, Deletable, Store, Stored, begin, check_change, check_role, editable,
    list::{ScopeColumns, Scoped},
    list_scope, referenced,
};
use crate::{
    domain::{
        access::{Change, Place},
        network::{Certification, StaffFields, StaffMember, StaffPatch, StaffPosition, Station},
        text::{Code, DisplayName, Id},
    },
    error::{Error, Result},
};

const WHAT: &str = "staff member";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT m.id, m.station_id, s.dealer_id, d.region_id, m.display_name, m.position, m.version, \
             m.create_time, m.update_time FROM staff_members m JOIN stations s ON s.id = m.station_id \
             JOIN dealers d ON d.id = s.dealer_id"
            $(, $rest)?
        )
    };
}

#[derive(sqlx::FromRow)]
struct Row {
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

#[derive(sqlx::FromRow)]
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

impl Deletable for StaffMember {
    const DELETE: &'static str = "DELETE FROM staff_members WHERE id = $1 AND version = $2";
    const REFERENCED: &'static str = "the staff member is still the service advisor of customers";
}

impl Stored for StaffMember {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Dealership;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let certs = certifications(&mut *conn, &[id])
            .await?
            .remove(id)
            .unwrap_or_default();
        to_member(row, certs).map(Some)
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

async fn write_certifications(tx: &mut Tx, member: &StaffMember) -> Result<()> {
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

impl Store {
    pub async fn get_staff_member(&self, caller: &Principal, id: &str) -> Result<StaffMember> {
        self.get(caller, id).await
    }

    pub async fn list_staff_members(
        &self,
        caller: &Principal,
        station_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<StaffMember>> {
        let scope = list_scope(caller)?;
        let mut query = ListQuery::new(select!(), vec![]);
        query
            .scope(
                &scope,
                ScopeColumns {
                    region: "d.region_id",
                    dealer: "s.dealer_id",
                    station: Some("m.station_id"),
                },
            )
            .filter("m.station_id", station_id)
            .filter("s.dealer_id", dealer_id);
        let mut tx = self.db.pool().begin().await?;
        let rows: Vec<Row> = query
            .page(
                &mut *tx,
                "m.id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let mut certs = certifications(&mut *tx, &ids).await?;
        rows.into_iter()
            .map(|r| {
                let c = certs.remove(&r.id).unwrap_or_default();
                to_member(r, c)
            })
            .collect()
    }

    pub async fn create_staff_member(
        &self,
        caller: &Caller,
        id: Id,
        station_id: Id,
        fields: StaffFields,
    ) -> Result<StaffMember> {
        check_role(&caller.principal, StaffMember::CHANGE, WHAT)?;
        let mut tx = begin!(self, caller);
        let station: Station = referenced(&mut tx, &caller.principal, station_id.as_str()).await?;
        let member = StaffMember {
            id,
            station_id,
            dealer_id: station.dealer_id,
            region_id: station.region_id,
            fields,
            meta: new_meta(timestamp::now_micros()),
        };
        check_change(
            &caller.principal,
            Change::Dealership,
            member.place(),
            WHAT,
            member.id.as_str(),
        )?;
        sqlx::query(
            "INSERT INTO staff_members (id, station_id, display_name, position, version, create_time, update_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(member.id.as_str())
        .bind(member.station_id.as_str())
        .bind(member.fields.display_name.as_str())
        .bind(member.fields.position as i64)
        .bind(member.meta.version)
        .bind(timestamp::to_micros(member.meta.create_time))
        .bind(timestamp::to_micros(member.meta.update_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &[("staff_members", format!("staff member {} already exists", member.id))]))?;
        write_certifications(&mut tx, &member).await?;
        Self::commit(tx, caller, member).await
    }

    pub async fn update_staff_member(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: StaffPatch,
    ) -> Result<StaffMember> {
        let mut tx = begin!(self, caller);
        let old: StaffMember = editable(&mut tx, &caller.principal, id, etag).await?;
        if patch
            .position
            .is_some_and(|p| p != StaffPosition::ServiceAdvisor)
            && old.fields.position == StaffPosition::ServiceAdvisor
        {
            let advised: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE advisor_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if advised > 0 {
                return Err(Error::FailedPrecondition(format!(
                    "staff member {id} is the service advisor of {advised} customers; give them another advisor first"
                )));
            }
        }
        let certifications_changed = patch.certifications.is_some();
        let mut new = StaffMember {
            meta: next_meta(&old.meta, timestamp::now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        let rows = sqlx::query(
            "UPDATE staff_members SET display_name = $1, position = $2, version = $3, update_time = $4 \
             WHERE id = $5 AND version = $6",
        )
        .bind(new.fields.display_name.as_str())
        .bind(new.fields.position as i64)
        .bind(new.meta.version)
        .bind(timestamp::to_micros(new.meta.update_time))
        .bind(id)
        .bind(old.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, WHAT, id)?;
        if certifications_changed {
            write_certifications(&mut tx, &new).await?;
        }
        Self::commit(tx, caller, new).await
    }

    pub async fn delete_staff_member(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
    ) -> Result<()> {
        self.delete::<StaffMember>(caller, id, etag).await
    }
}
