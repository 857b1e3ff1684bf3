//! Templates and their published versions. A version's checked draft is
//! kept as JSON: it never changes, and it is read back through
//! `Version::publish`, which checks it again (cheap, and a stored version
//! passed it).

use aftercare_auth::Principal;
use aftercare_db::{
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::PageRequest;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::{Caller, Store, begin};
use crate::{
    domain::{
        access,
        template::{Draft, Template, Version},
    },
    error::{Error, Result, denied},
};

const TEMPLATE: &str = "survey template";

/// A published version as stored, with its publication time (µs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedVersion {
    pub template_code: String,
    pub number: u32,
    pub content: Draft,
    pub publish_time: i64,
}

impl PublishedVersion {
    /// The domain's version, to check answers against and score.
    pub fn version(&self) -> Result<Version> {
        Version::publish(&self.template_code, self.number, self.content.clone()).map_err(|e| {
            Error::Internal(format!("stored version {} fails its checks: {e}", self.number).into())
        })
    }
}

/// A template with its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyTemplate {
    pub code: String,
    pub display_name: String,
    pub versions: Vec<PublishedVersion>,
    pub create_time: i64,
}

#[derive(sqlx::FromRow)]
struct TemplateRow {
    code: String,
    display_name: String,
    create_time: i64,
}

#[derive(sqlx::FromRow)]
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
pub(super) async fn latest_number(conn: &mut AnyConnection, code: &str) -> Result<Option<i64>> {
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

impl Store {
    pub async fn create_template(
        &self,
        caller: &Caller,
        template: Template,
    ) -> Result<SurveyTemplate> {
        access::check_change_templates(&caller.principal)
            .map_err(|d| denied(d, TEMPLATE, template.code()))?;
        let mut tx = begin!(self, caller);
        let created = SurveyTemplate {
            code: template.code().to_owned(),
            display_name: template.display_name().to_owned(),
            versions: vec![],
            create_time: timestamp::now_micros(),
        };
        sqlx::query(
            "INSERT INTO survey_templates (code, display_name, create_time) VALUES ($1, $2, $3)",
        )
        .bind(&created.code)
        .bind(&created.display_name)
        .bind(created.create_time)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if aftercare_db::errors::is_unique_violation(&e) {
                Error::AlreadyExists(format!("{TEMPLATE} {} already exists", created.code))
            } else {
                e.into()
            }
        })?;
        Self::commit(tx, caller, created).await
    }

    /// Publishes `draft` as the next version of `code`.
    pub async fn publish_version(
        &self,
        caller: &Caller,
        code: &str,
        draft: Draft,
    ) -> Result<PublishedVersion> {
        access::check_change_templates(&caller.principal).map_err(|d| denied(d, TEMPLATE, code))?;
        let mut tx = begin!(self, caller);
        let exists: Option<String> =
            sqlx::query_scalar("SELECT code FROM survey_templates WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(Error::not_found(TEMPLATE, code));
        }
        let number = latest_number(&mut tx, code).await?.unwrap_or(0) + 1;
        // The draft was checked at the edge; publishing numbers it.
        let version = Version::publish(code, number as u32, draft).map_err(|e| {
            Error::invalid(&format!("version.{}", e.field()), e.reason().to_owned())
        })?;
        let published = PublishedVersion {
            template_code: code.to_owned(),
            number: version.number(),
            content: version.content().clone(),
            publish_time: timestamp::now_micros(),
        };
        let content =
            serde_json::to_string(&published.content).map_err(|e| Error::Internal(Box::new(e)))?;
        sqlx::query(
            "INSERT INTO survey_versions (template_code, number, content, publish_time) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(code)
        .bind(number)
        .bind(content)
        .bind(published.publish_time)
        .execute(&mut *tx)
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
        Self::commit(tx, caller, published).await
    }

    pub async fn get_template(&self, caller: &Principal, code: &str) -> Result<SurveyTemplate> {
        access::check_read_templates(caller).map_err(|d| denied(d, TEMPLATE, code))?;
        let mut tx = self.db.begin_snapshot().await?;
        let row: Option<TemplateRow> = sqlx::query_as(
            "SELECT code, display_name, create_time FROM survey_templates WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?;
        let row = row.ok_or_else(|| Error::not_found(TEMPLATE, code))?;
        let template = with_versions(&mut tx, vec![row]).await?.pop();
        tx.commit().await?;
        template.ok_or_else(|| Error::not_found(TEMPLATE, code))
    }

    /// Templates by code, after the page's key.
    pub async fn list_templates(
        &self,
        caller: &Principal,
        page: &PageRequest,
    ) -> Result<Vec<SurveyTemplate>> {
        access::check_read_templates(caller).map_err(|d| denied(d, TEMPLATE, ""))?;
        let mut tx = self.db.begin_snapshot().await?;
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
}
/// Version `number` of `code`.
pub(super) async fn find_version(
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
