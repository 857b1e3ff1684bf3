//! Lists: a query with the request's filters, paged by a key column.

use sqlx::{Any, AssertSqlSafe, Executor, FromRow, any::AnyRow};

/// A bound value.
pub(super) enum Arg {
    Text(String),
    Int(i64),
}

/// A SELECT under construction. Only column names written in this crate go
/// into the text; every value is a bound parameter.
pub(super) struct ListQuery {
    sql: String,
    args: Vec<Arg>,
}

impl ListQuery {
    /// `select` is `SELECT … FROM … ` without a WHERE clause, using the
    /// parameters in `args` ($1, $2, …).
    pub(super) fn new(select: &str, args: Vec<Arg>) -> Self {
        Self {
            sql: format!("{select} WHERE 1 = 1"),
            args,
        }
    }

    fn bind(&mut self, value: Arg) -> String {
        self.args.push(value);
        format!("${}", self.args.len())
    }

    pub(super) fn eq(mut self, column: &str, value: Arg) -> Self {
        let p = self.bind(value);
        self.sql.push_str(&format!(" AND {column} = {p}"));
        self
    }

    /// Adds the filter when the request set it (non-empty).
    pub(super) fn filter(self, column: &str, value: &str) -> Self {
        if value.is_empty() {
            self
        } else {
            self.eq(column, Arg::Text(value.to_owned()))
        }
    }

    /// Runs the query for one page of at most `limit` rows after `after`,
    /// ordered by `key_column`.
    pub(super) async fn page<'e, R, E>(
        mut self,
        executor: E,
        key_column: &str,
        after: Option<Arg>,
        limit: i64,
    ) -> sqlx::Result<Vec<R>>
    where
        R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
        E: Executor<'e, Database = Any>,
    {
        if let Some(after) = after {
            let p = self.bind(after);
            self.sql.push_str(&format!(" AND {key_column} > {p}"));
        }
        self.sql
            .push_str(&format!(" ORDER BY {key_column} LIMIT {limit}"));
        let mut query = sqlx::query_as::<Any, R>(AssertSqlSafe(self.sql));
        for arg in self.args {
            query = match arg {
                Arg::Text(s) => query.bind(s),
                Arg::Int(i) => query.bind(i),
            };
        }
        query.fetch_all(executor).await
    }
}
