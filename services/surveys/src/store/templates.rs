//! Templates and their published versions. A version's checked draft is
//! kept as JSON: it never changes, and it is read back through
//! `PublishedVersion::version`, which checks it again (cheap, and a stored
//! version passed it).

use aftercare_db::{
    Db,
    list::{Arg, ListQuery},
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use crate::{
    domain::template::{Draft, PublishedVersion, SurveyTemplate},
    error::{Error, Result},
};

pub const TEMPLATE: &str = "survey template";

#[derive(aftercare_db::FromRow)]
struct TemplateRow {
    code: String,
    display_name: String,
    create_time: i64,
}

#[derive(aftercare_db::FromRow)]
struct VersionRow {
    template_code: String,
    number: i64,
    content: String,
    publish_time: i64,
}

impl VersionRow {
    fn parse(self) -> Result<PublishedVersion> {
        let content: Draft = serde_json::from_str(&self.content)
            .map_err(|e| Error::Internal(format!("stored version unreadable: {e}").into()))?;
        Ok(PublishedVersion {
            template_code: self.template_code,
            number: self.number as u32,
            content,
            publish_time: self.publish_time,
        })
    }
}

const VERSIONS: &str = "SELECT template_code, number, content, publish_time FROM survey_versions";

/// The latest version number of `code`, if it has one.
pub async fn latest_number(conn: &mut AnyConnection, code: &str) -> Result<Option<i64>> {
    let latest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM survey_versions WHERE template_code = $1")
            .bind(code)
            .fetch_one(&mut *conn)
            .await?;
    Ok(latest)
}

async fn with_versions(
    conn: &mut AnyConnection,
    rows: Vec<TemplateRow>,
) -> Result<Vec<SurveyTemplate>> {
    let codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
    let mut query = ListQuery::new(VERSIONS, vec![]);
    query.any_of("template_code", &codes);
    let versions: Vec<VersionRow> = query
        .fetch(&mut *conn, "template_code, number", None)
        .await?;
    let mut versions = versions
        .into_iter()
        .map(VersionRow::parse)
        .collect::<Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (mine, rest) = versions.drain(..).partition(|v| v.template_code == r.code);
            versions = rest;
            SurveyTemplate {
                code: r.code,
                display_name: r.display_name,
                versions: mine,
                create_time: r.create_time,
            }
        })
        .collect())
}

/// Inserts a new template (without versions).
pub async fn insert(conn: &mut AnyConnection, template: &SurveyTemplate) -> Result<()> {
    sqlx::query(
        "INSERT INTO survey_templates (code, display_name, create_time) VALUES ($1, $2, $3)",
    )
    .bind(&template.code)
    .bind(&template.display_name)
    .bind(template.create_time)
    .execute(conn)
    .await
    .map_err(|e| {
        if aftercare_db::errors::is_unique_violation(&e) {
            Error::AlreadyExists(format!("{TEMPLATE} {} already exists", template.code))
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Whether template `code` exists.
pub async fn exists(conn: &mut AnyConnection, code: &str) -> Result<bool> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT code FROM survey_templates WHERE code = $1")
            .bind(code)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// Inserts a published version; another one of the same number, published
/// at the same time, makes the caller retry.
pub async fn insert_version(conn: &mut AnyConnection, version: &PublishedVersion) -> Result<()> {
    let code = &version.template_code;
    let content =
        serde_json::to_string(&version.content).map_err(|e| Error::Internal(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO survey_versions (template_code, number, content, publish_time) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(code)
    .bind(i64::from(version.number))
    .bind(content)
    .bind(version.publish_time)
    .execute(conn)
    .await
    .map_err(|e| {
        if aftercare_db::errors::is_unique_violation(&e) {
            Error::Aborted(format!(
                "another version of {code} was published at the same time; retry"
            ))
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Template `code` with its versions, read in one snapshot.
pub async fn find(db: &Db, code: &str) -> Result<Option<SurveyTemplate>> {
    let mut tx = db.begin_snapshot().await?;
    let row: Option<TemplateRow> = sqlx::query_as(
        "SELECT code, display_name, create_time FROM survey_templates WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let template = with_versions(&mut tx, vec![row]).await?.pop();
    tx.commit().await?;
    Ok(template)
}

/// Templates by code, after the page's key, read in one snapshot.
pub async fn list(db: &Db, page: &PageRequest) -> Result<Vec<SurveyTemplate>> {
    let mut tx = db.begin_snapshot().await?;
    let rows: Vec<TemplateRow> = ListQuery::new(
        "SELECT code, display_name, create_time FROM survey_templates",
        vec![],
    )
    .page(
        &mut *tx,
        "code",
        page.after.clone().map(Arg::Text),
        page.fetch_limit(),
    )
    .await?;
    let templates = with_versions(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(templates)
}

/// Version `number` of `code`.
pub async fn find_version(
    conn: &mut AnyConnection,
    code: &str,
    number: i64,
) -> Result<Option<PublishedVersion>> {
    let row: Option<VersionRow> = sqlx::query_as(
        "SELECT template_code, number, content, publish_time FROM survey_versions \
         WHERE template_code = $1 AND number = $2",
    )
    .bind(code)
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(VersionRow::parse).transpose()
}
