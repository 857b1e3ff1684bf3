//! Lists: a SELECT with the caller's scope and the request's filters,
//! paged by a key column (keyset paging: `key > last` rather than OFFSET,
//! so a page costs the same however deep it is).

use sqlx::{Any, AssertSqlSafe, Executor, FromRow, any::AnyRow};

/// A bound value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    Text(String),
    Int(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(i: i64) -> Self {
        Arg::Int(i)
    }
}

/// A SELECT under construction. Only column names written by the service go
/// into the text; every value is a bound parameter.
#[derive(Debug)]
pub struct ListQuery {
    sql: String,
    args: Vec<Arg>,
}

impl ListQuery {
    /// `select` is `SELECT … FROM …` without a WHERE clause; `args` are the
    /// values of the parameters it uses itself ($1, $2, …).
    pub fn new(select: &str, args: Vec<Arg>) -> Self {
        Self {
            sql: format!("{select} WHERE 1 = 1"),
            args,
        }
    }

    fn bind(&mut self, value: Arg) -> String {
        self.args.push(value);
        format!("${}", self.args.len())
    }

    pub fn eq(&mut self, column: &str, value: impl Into<Arg>) -> &mut Self {
        let p = self.bind(value.into());
        self.sql.push_str(&format!(" AND {column} = {p}"));
        self
    }

    /// Adds the filter when the request set it (non-empty).
    pub fn filter(&mut self, column: &str, value: &str) -> &mut Self {
        if !value.is_empty() {
            self.eq(column, value);
        }
        self
    }

    /// `column` is one of `values`; none matches an empty list.
    pub fn any_of(&mut self, column: &str, values: &[String]) -> &mut Self {
        let params: Vec<String> = values
            .iter()
            .map(|v| self.bind(v.as_str().into()))
            .collect();
        if params.is_empty() {
            self.sql.push_str(" AND 1 = 0");
        } else {
            self.sql
                .push_str(&format!(" AND {column} IN ({})", params.join(", ")));
        }
        self
    }

    /// Appends `AND (condition)`, each `?` in `condition` standing for the
    /// next of `values`: for conditions the other methods do not cover.
    pub fn and(&mut self, condition: &str, values: Vec<Arg>) -> &mut Self {
        let mut values = values.into_iter();
        let mut sql = String::new();
        for (i, piece) in condition.split('?').enumerate() {
            if i > 0 {
                let value = values.next().expect("one value per ?");
                sql.push_str(&self.bind(value));
            }
            sql.push_str(piece);
        }
        self.sql.push_str(&format!(" AND ({sql})"));
        self
    }

    /// Runs the query for at most `limit` rows after `after`, ordered by
    /// `key_column`.
    pub async fn page<'e, R, E>(
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
        self.fetch(executor, key_column, Some(limit)).await
    }

    /// Runs the query in the order `order_by` gives (columns written by the
    /// service, e.g. `a.audit_time DESC, a.id DESC`), at most `limit` rows:
    /// for a page in another order than [`ListQuery::page`]'s, whose keyset
    /// condition the caller adds with [`ListQuery::and`], and for the child
    /// rows of a page.
    pub async fn fetch<'e, R, E>(
        mut self,
        executor: E,
        order_by: &str,
        limit: Option<i64>,
    ) -> sqlx::Result<Vec<R>>
    where
        R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
        E: Executor<'e, Database = Any>,
    {
        self.sql.push_str(&format!(" ORDER BY {order_by}"));
        if let Some(limit) = limit {
            self.sql.push_str(&format!(" LIMIT {limit}"));
        }
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
