//! Required stock lists: one row per station class and part; and how a
//! warehouse's stock holds a class's list.

use aftercare_db::{
    Db, Tx,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use crate::{
    domain::{
        catalogue::{MAX_CHAIN, PartNumber},
        quantity::Quantity,
        required_stock::{Compliance, ItemCompliance, RequiredItem},
        warehouse::StationClass,
    },
    error::{Error, Result},
};

#[derive(aftercare_db::FromRow)]
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
pub(crate) async fn assess(
    conn: &mut AnyConnection,
    class: StationClass,
    warehouse_id: &str,
) -> Result<Compliance> {
    #[derive(aftercare_db::FromRow)]
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

/// Sets the item of its class and part, whether it was listed or not.
pub(crate) async fn upsert(tx: &mut Tx, item: &RequiredItem) -> Result<()> {
    sqlx::query(
        "INSERT INTO required_stock (station_class, part_number, quantity, update_time) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (station_class, part_number) \
         DO UPDATE SET quantity = excluded.quantity, update_time = excluded.update_time",
    )
    .bind(item.station_class.as_str())
    .bind(item.part_number.as_str())
    .bind(item.quantity.get())
    .bind(timestamp::to_micros(item.update_time))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes `part` off the list of `class`: whether it was on it.
pub(crate) async fn delete(tx: &mut Tx, class: StationClass, part: &PartNumber) -> Result<bool> {
    let rows =
        sqlx::query("DELETE FROM required_stock WHERE station_class = $1 AND part_number = $2")
            .bind(class.as_str())
            .bind(part.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(rows > 0)
}

/// A page of the list of `class`, by part number.
pub(crate) async fn list(
    db: &Db,
    class: StationClass,
    page: &PageRequest,
) -> Result<Vec<RequiredItem>> {
    let mut query = ListQuery::new(
        "SELECT station_class, part_number, quantity, update_time FROM required_stock",
        vec![],
    );
    query.eq("station_class", class.as_str());
    let rows: Vec<Row> = query
        .page(
            db.pool(),
            "part_number",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    rows.into_iter().map(RequiredItem::try_from).collect()
}
