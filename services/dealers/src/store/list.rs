//! Lists: a query with the caller's scope and the request's filters, paged
//! by id.

use aftercare_values::PageRequest;
use sqlx::{Any, AssertSqlSafe, Executor, FromRow, any::AnyRow};

use crate::domain::access::ListScope;

/// Columns a list's scope is checked against.
pub(super) struct ScopeColumns {
    pub region: &'static str,
    pub dealer: &'static str,
    /// For station-bound objects: staff restricted to some stations see
    /// only theirs.
    pub station: Option<&'static str>,
}

/// A SELECT under construction. Only column names written in this crate go
/// into the text; every value is a bound parameter.
pub(super) struct ListQuery {
    sql: String,
    args: Vec<String>,
}

impl ListQuery {
    /// `select` is `SELECT … FROM … ` without a WHERE clause.
    pub(super) fn new(select: &str) -> Self {
        Self {
            sql: format!("{select} WHERE 1 = 1"),
            args: vec![],
        }
    }

    fn bind(&mut self, value: &str) -> String {
        self.args.push(value.to_owned());
        format!("${}", self.args.len())
    }

    pub(super) fn eq(&mut self, column: &str, value: &str) -> &mut Self {
        let p = self.bind(value);
        self.sql.push_str(&format!(" AND {column} = {p}"));
        self
    }

    /// Adds the filter when the request set it (non-empty).
    pub(super) fn filter(&mut self, column: &str, value: &str) -> &mut Self {
        if !value.is_empty() {
            self.eq(column, value);
        }
        self
    }

    pub(super) fn any_of(&mut self, column: &str, values: &[String]) -> &mut Self {
        let params: Vec<String> = values.iter().map(|v| self.bind(v)).collect();
        if params.is_empty() {
            self.sql.push_str(" AND 1 = 0");
        } else {
            self.sql
                .push_str(&format!(" AND {column} IN ({})", params.join(", ")));
        }
        self
    }

    pub(super) fn scope(&mut self, scope: &ListScope, columns: ScopeColumns) -> &mut Self {
        match scope {
            ListScope::All => self,
            ListScope::Region { region_id } => self.eq(columns.region, region_id),
            ListScope::Dealer {
                dealer_id,
                station_ids,
            } => {
                self.eq(columns.dealer, dealer_id);
                match columns.station {
                    Some(station) if !station_ids.is_empty() => self.any_of(station, station_ids),
                    _ => self,
                }
            }
        }
    }

    /// Runs the query for one page, ordered by `id_column`.
    pub(super) async fn page<'e, R, E>(
        mut self,
        executor: E,
        id_column: &str,
        page: &PageRequest,
    ) -> sqlx::Result<Vec<R>>
    where
        R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
        E: Executor<'e, Database = Any>,
    {
        if let Some(after) = &page.after {
            let p = self.bind(after);
            self.sql.push_str(&format!(" AND {id_column} > {p}"));
        }
        self.sql.push_str(&format!(
            " ORDER BY {id_column} LIMIT {}",
            page.fetch_limit()
        ));
        let mut query = sqlx::query_as::<Any, R>(AssertSqlSafe(self.sql));
        for arg in self.args {
            query = query.bind(arg);
        }
        query.fetch_all(executor).await
    }
}
