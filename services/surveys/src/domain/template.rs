//! Survey templates and their versions. A template (a code and a name) gets
//! numbered versions; each version is a checked [`Draft`]: questions, the
//! SERVQUAL dimension weights, the service-index factor weights, and which
//! questions give the satisfaction rate and the NPS. A published version
//! never changes — there is no way to reach into a [`Version`] — and a
//! response keeps the number of the version it answered.
//!
//! Every refusal names the field at fault (`questions[3].scale`,
//! `dimension_weights`), with indexes counted from 0, so that the gRPC layer
//! can answer INVALID_ARGUMENT naming it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::scale::Scale;
pub use super::servqual::{Dimension, DimensionWeights, Factor, FactorWeights};

/// The most questions a version may have.
pub const MAX_QUESTIONS: usize = 100;
/// The longest question text or template name, in characters.
pub const MAX_TEXT: usize = 500;
/// The most translations a question may have.
pub const MAX_TRANSLATIONS: usize = 20;

/// A draft or template refused, and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct DraftError {
    field: String,
    reason: String,
}

impl DraftError {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The path of the offending field in the request, e.g. `questions[3].scale`.
    pub fn field(&self) -> &str {
        &self.field
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl From<DraftError> for aftercare_values::FieldViolation {
    fn from(e: DraftError) -> Self {
        aftercare_values::FieldViolation::new(e.field, e.reason)
    }
}

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuestionKind {
    /// What the customer expects of an excellent station (SERVQUAL E).
    Expectation,
    /// What the customer found at this station (SERVQUAL P).
    Perception,
    /// A plain rating, e.g. the overall satisfaction or a service-index item.
    Rating,
    /// How likely the customer is to recommend, 0–10.
    Nps,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 4] = [
        QuestionKind::Expectation,
        QuestionKind::Perception,
        QuestionKind::Rating,
        QuestionKind::Nps,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Expectation => "expectation",
            QuestionKind::Perception => "perception",
            QuestionKind::Rating => "rating",
            QuestionKind::Nps => "nps",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    fn is_servqual(self) -> bool {
        matches!(self, QuestionKind::Expectation | QuestionKind::Perception)
    }
}

/// One question of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Unique in the version; answers name their question by it.
    pub id: String,
    pub text: String,
    pub scale: Scale,
    pub kind: QuestionKind,
    /// Expectation and perception questions: the dimension of their item.
    pub dimension: Option<Dimension>,
    /// Perception and rating questions: the service-index factor they feed.
    pub factor: Option<Factor>,
    /// Expectation and perception questions: the SERVQUAL item they measure.
    /// Each item has exactly one of each, on the same dimension and scale.
    pub item: Option<String>,
    pub required: bool,
    /// The text in other languages, by BCP 47 tag (versions published
    /// before translations existed have none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// A version before publication: anything may still change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub questions: Vec<Question>,
    /// 100 points over the five dimensions when the version has SERVQUAL
    /// items; all zero otherwise.
    pub dimension_weights: DimensionWeights,
    /// 100 points over the five factors; none for equal weights over the
    /// factors that have questions.
    pub factor_weights: Option<FactorWeights>,
    /// The overall-satisfaction question (a rating) for the top-two box.
    pub satisfaction_question: Option<String>,
    /// The question of kind NPS, if the version asks one.
    pub nps_question: Option<String>,
    /// The BCP 47 tag of the questions' texts, when said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// A template: what its versions belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    code: String,
    display_name: String,
    versions: Vec<Version>,
}

impl Template {
    /// A template with no versions yet. The code is an id (lower-case
    /// letters, digits and hyphens); the name is 1 to [`MAX_TEXT`] characters.
    pub fn new(code: &str, display_name: &str) -> Result<Template, DraftError> {
        if !aftercare_values::is_valid_id(code) {
            return Err(DraftError::new("code", ID_RULE));
        }
        Ok(Template {
            code: code.to_owned(),
            display_name: text(display_name).map_err(|r| DraftError::new("display_name", r))?,
            versions: Vec::new(),
        })
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// Version `number` (from 1).
    pub fn version(&self, number: u32) -> Option<&Version> {
        self.versions.iter().find(|v| v.number == number)
    }

    /// Publishes `draft` as the next version.
    pub fn publish(&mut self, draft: Draft) -> Result<&Version, DraftError> {
        let number = self.versions.last().map_or(1, |v| v.number + 1);
        let version = Version::publish(&self.code, number, draft)?;
        self.versions.push(version);
        Ok(self.versions.last().expect("just pushed"))
    }
}

/// A published version: a checked draft under a template code and number.
/// Read-only: a published version never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    template: String,
    number: u32,
    content: Draft,
}

impl Version {
    /// `draft` checked and published as version `number` of `template`. The
    /// store numbers versions (the latest + 1) and rebuilds stored ones
    /// through here too: the checks are cheap and a stored version passed
    /// them.
    pub fn publish(template: &str, number: u32, draft: Draft) -> Result<Version, DraftError> {
        draft.check()?;
        Ok(Version {
            template: template.to_owned(),
            number,
            content: draft,
        })
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    pub fn number(&self) -> u32 {
        self.number
    }

    /// What was published, e.g. to store it or to start the next draft.
    pub fn content(&self) -> &Draft {
        &self.content
    }

    pub fn questions(&self) -> &[Question] {
        &self.content.questions
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.content.questions.iter().find(|q| q.id == id)
    }

    pub fn dimension_weight(&self, d: Dimension) -> u32 {
        self.content.dimension_weights.get(d)
    }

    /// The weight of a factor in the service index: the published one, or
    /// without factor weights 1 for each factor that has questions (equal
    /// weights).
    pub fn factor_weight(&self, f: Factor) -> u32 {
        match &self.content.factor_weights {
            Some(w) => w.get(f),
            None => u32::from(self.questions().iter().any(|q| q.factor == Some(f))),
        }
    }

    pub fn satisfaction_question(&self) -> Option<&str> {
        self.content.satisfaction_question.as_deref()
    }

    pub fn nps_question(&self) -> Option<&str> {
        self.content.nps_question.as_deref()
    }
}

const ID_RULE: &str =
    "must be 1 to 63 lower-case letters, digits and hyphens, not starting with a hyphen";

/// A text shown to people: trimmed, 1 to [`MAX_TEXT`] characters, no
/// control characters.
fn text(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.chars().count() > MAX_TEXT {
        return Err(format!("must be at most {MAX_TEXT} characters"));
    }
    if s.chars().any(char::is_control) {
        return Err("must not hold control characters".into());
    }
    Ok(s.to_owned())
}

mod check;
mod published;

pub use published::{PublishedVersion, SurveyTemplate};

#[cfg(test)]
mod tests;
