//! Templates and versions as stored: a published version with its
//! publication time, a template with its versions.

use serde::{Deserialize, Serialize};

use super::{Draft, DraftError, Version};

/// A published version as stored, with its publication time (µs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedVersion {
    pub template_code: String,
    pub number: u32,
    pub content: Draft,
    pub publish_time: i64,
}

impl PublishedVersion {
    /// The domain's version, to check answers against and score (checked
    /// again: cheap, and a stored version passed the checks).
    pub fn version(&self) -> Result<Version, DraftError> {
        Version::publish(&self.template_code, self.number, self.content.clone())
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
