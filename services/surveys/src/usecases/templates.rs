//! Survey templates: create one, publish its versions, read them.

use aftercare_auth::Principal;
use aftercare_db::{Db, begin_write, timestamp};
use aftercare_edge::Caller;
use aftercare_values::PageRequest;

use super::commit;
use crate::{
    domain::{
        access,
        template::{Draft, PublishedVersion, SurveyTemplate, Template, Version},
    },
    error::{Error, Result},
    store::{self, templates::TEMPLATE},
};

#[derive(Debug, Clone)]
pub struct Templates {
    db: Db,
}

impl Templates {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn create(&self, caller: &Caller, template: Template) -> Result<SurveyTemplate> {
        access::check_change_templates(&caller.principal)
            .map_err(|d| Error::denied(d, TEMPLATE, template.code()))?;
        let mut tx = begin_write!(&self.db, caller.key.as_ref());
        let created = SurveyTemplate {
            code: template.code().to_owned(),
            display_name: template.display_name().to_owned(),
            versions: vec![],
            create_time: timestamp::now_micros(),
        };
        store::templates::insert(&mut tx, &created).await?;
        commit(tx, caller, created).await
    }

    /// Publishes `draft` as the next version of `code`.
    pub async fn publish_version(
        &self,
        caller: &Caller,
        code: &str,
        draft: Draft,
    ) -> Result<PublishedVersion> {
        access::check_change_templates(&caller.principal)
            .map_err(|d| Error::denied(d, TEMPLATE, code))?;
        let mut tx = begin_write!(&self.db, caller.key.as_ref());
        if !store::templates::exists(&mut tx, code).await? {
            return Err(Error::not_found(TEMPLATE, code));
        }
        let number = store::templates::latest_number(&mut tx, code)
            .await?
            .unwrap_or(0)
            + 1;
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
        store::templates::insert_version(&mut tx, &published).await?;
        commit(tx, caller, published).await
    }

    pub async fn get(&self, caller: &Principal, code: &str) -> Result<SurveyTemplate> {
        access::check_read_templates(caller).map_err(|d| Error::denied(d, TEMPLATE, code))?;
        store::templates::find(&self.db, code)
            .await?
            .ok_or_else(|| Error::not_found(TEMPLATE, code))
    }

    /// Templates by code, after the page's key.
    pub async fn list(
        &self,
        caller: &Principal,
        page: &PageRequest,
    ) -> Result<Vec<SurveyTemplate>> {
        access::check_read_templates(caller).map_err(|d| Error::denied(d, TEMPLATE, ""))?;
        store::templates::list(&self.db, page).await
    }
}
