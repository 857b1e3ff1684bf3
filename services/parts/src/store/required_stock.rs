//! Required stock lists, kept by head office and read by the network, and
//! how each station's warehouse holds its class's list.

use aftercare_auth::Principal;
use aftercare_db::{
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{Caller, Store, begin, check_change, check_read, stock, warehouses};
use crate::{
    domain::{
        access,
        catalogue::{MAX_CHAIN, PartNumber},
        quantity::Quantity,
        required_stock::{Compliance, ItemCompliance, RequiredItem},
        warehouse::{NetworkId, StationClass, Warehouse},
    },
    error::{Error, Result},
};

const ITEM: &str = "required stock item";

#[derive(sqlx::FromRow)]
struct Row {
    station_class: String,
    part_number: String,
    quantity: i64,
    update_time: i64,
}

impl TryFrom<Row> for RequiredItem {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let corrupt = |what: &str| Error::Internal(format!("stored required stock {what}").into());
        Ok(RequiredItem {
            station_class: StationClass::parse(&r.station_class)
                .ok_or_else(|| corrupt("station class"))?,
            part_number: PartNumber::from_store(r.part_number),
            quantity: Quantity::parse(r.quantity).map_err(|_| corrupt("quantity"))?,
            update_time: timestamp::from_micros(r.update_time),
        })
    }
}

/// How warehouse `warehouse_id` holds the list of `class`, item by item in
/// part-number order. A required part is held by the stock on hand of the
/// part and of every part down its supersession chain.
async fn assess(
    conn: &mut AnyConnection,
    class: StationClass,
    warehouse_id: &str,
) -> Result<Compliance> {
    #[derive(sqlx::FromRow)]
    struct Held {
        part_number: String,
        quantity: i64,
        held: i64,
    }
    let rows: Vec<Held> = sqlx::query_as(
        "WITH RECURSIVE chain (required, part_number, depth) AS ( \
             SELECT part_number, part_number, 0 FROM required_stock WHERE station_class = $1 \
             UNION ALL \
             SELECT c.required, p.superseded_by, c.depth + 1 FROM chain c \
             JOIN parts p ON p.part_number = c.part_number \
             WHERE p.superseded_by IS NOT NULL AND c.depth < $3 \
         ) \
         SELECT r.part_number, r.quantity, CAST(COALESCE(SUM(s.on_hand), 0) AS BIGINT) AS held \
         FROM required_stock r \
         JOIN chain c ON c.required = r.part_number \
         LEFT JOIN stock s ON s.warehouse_id = $2 AND s.part_number = c.part_number \
         WHERE r.station_class = $1 \
         GROUP BY r.part_number, r.quantity \
         ORDER BY r.part_number",
    )
    .bind(class.as_str())
    .bind(warehouse_id)
    .bind(MAX_CHAIN as i64)
    .fetch_all(conn)
    .await?;
    Ok(Compliance {
        items: rows
            .into_iter()
            .map(|r| ItemCompliance {
                part_number: PartNumber::from_store(r.part_number),
                required: r.quantity,
                held: r.held,
            })
            .collect(),
    })
}

/// The class of the station `w` serves; INVALID_ARGUMENT when it serves
/// none.
fn station_class(w: &Warehouse) -> Result<StationClass> {
    w.station_class.ok_or_else(|| {
        Error::invalid(
            "warehouse_id",
            format!("warehouse {} serves no station", w.id),
        )
    })
}

impl Store {
    /// Sets how many of `part` every station of `class` must hold.
    pub async fn set_required_item(
        &self,
        caller: &Caller,
        class: StationClass,
        part: PartNumber,
        quantity: Quantity,
    ) -> Result<RequiredItem> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        stock::unit_of(&mut tx, &part, "item.part_number").await?;
        let now = self.clock.now_micros();
        sqlx::query(
            "INSERT INTO required_stock (station_class, part_number, quantity, update_time) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (station_class, part_number) \
             DO UPDATE SET quantity = excluded.quantity, update_time = excluded.update_time",
        )
        .bind(class.as_str())
        .bind(part.as_str())
        .bind(quantity.get())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let item = RequiredItem {
            station_class: class,
            part_number: part,
            quantity,
            update_time: timestamp::from_micros(now),
        };
        Self::commit(tx, caller, item).await
    }

    /// Takes `part` off the list of `class`; NOT_FOUND when it is not on it.
    pub async fn delete_required_item(
        &self,
        caller: &Caller,
        class: StationClass,
        part: &PartNumber,
    ) -> Result<()> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let rows =
            sqlx::query("DELETE FROM required_stock WHERE station_class = $1 AND part_number = $2")
                .bind(class.as_str())
                .bind(part.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if rows == 0 {
            return Err(Error::not_found(
                ITEM,
                &format!("{part} of class {}", class.as_str()),
            ));
        }
        Self::commit(tx, caller, ()).await
    }

    /// The list of `class`, ordered by part number.
    pub async fn list_required_items(
        &self,
        caller: &Principal,
        class: StationClass,
        page: &PageRequest,
    ) -> Result<Vec<RequiredItem>> {
        check_read(caller)?;
        let mut query = ListQuery::new(
            "SELECT station_class, part_number, quantity, update_time FROM required_stock",
            vec![],
        );
        query.eq("station_class", class.as_str());
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "part_number",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        rows.into_iter().map(RequiredItem::try_from).collect()
    }

    /// How the station warehouse `id` holds its class's list.
    pub async fn get_station_compliance(
        &self,
        caller: &Principal,
        id: &NetworkId,
    ) -> Result<(Warehouse, Compliance)> {
        let mut conn = self.db.pool().acquire().await?;
        let w = warehouses::visible(&mut conn, caller, id, access::check_see).await?;
        let compliance = assess(&mut conn, station_class(&w)?, w.id.as_str()).await?;
        Ok((w, compliance))
    }

    /// The compliance of the station warehouses `caller` sees, of
    /// `region_id` and `dealer_id` when not empty, ordered by warehouse id.
    pub async fn list_station_compliance(
        &self,
        caller: &Principal,
        region_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<(Warehouse, Compliance)>> {
        let mut conn = self.db.pool().acquire().await?;
        let stations =
            warehouses::list(&mut conn, caller, region_id, dealer_id, true, page).await?;
        let mut out = Vec::with_capacity(stations.len());
        for w in stations {
            let compliance = assess(&mut conn, station_class(&w)?, w.id.as_str()).await?;
            out.push((w, compliance));
        }
        Ok(out)
    }
}
