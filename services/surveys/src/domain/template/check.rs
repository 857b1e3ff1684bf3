//! The checks a draft passes before it is published, each refusal naming
//! the field at fault.

use super::super::servqual::{Dimension, Factor};
use super::{
    Draft, DraftError, ID_RULE, MAX_QUESTIONS, MAX_TRANSLATIONS, Question, QuestionKind, Scale,
    text,
};

impl Draft {
    /// Whether the draft may be published; the first fault found, in the
    /// order of the fields, otherwise.
    pub fn check(&self) -> Result<(), DraftError> {
        if self.questions.is_empty() || self.questions.len() > MAX_QUESTIONS {
            return Err(DraftError::new(
                "questions",
                format!("must have 1 to {MAX_QUESTIONS} questions"),
            ));
        }
        if let Some(tag) = &self.locale {
            aftercare_values::locale(tag).map_err(|e| DraftError::new("locale", e.to_string()))?;
        }
        for (i, q) in self.questions.iter().enumerate() {
            check_question(i, q, &self.questions[..i])?;
        }
        self.check_items()?;
        self.check_dimension_weights()?;
        self.check_factor_weights()?;
        self.check_special(
            "satisfaction_question",
            self.satisfaction_question.as_deref(),
            QuestionKind::Rating,
        )?;
        self.check_special(
            "nps_question",
            self.nps_question.as_deref(),
            QuestionKind::Nps,
        )?;
        if let Some((i, _)) = self.questions.iter().enumerate().find(|(_, q)| {
            q.kind == QuestionKind::Nps && self.nps_question.as_deref() != Some(q.id.as_str())
        }) {
            return Err(DraftError::new(
                format!("questions[{i}].kind"),
                "only the question named by nps_question may be of kind nps",
            ));
        }
        Ok(())
    }

    /// Each item has one expectation and one perception question, on the
    /// same dimension and scale, so that its gap means something. A fault
    /// is reported at the later of two questions.
    fn check_items(&self) -> Result<(), DraftError> {
        let servqual: Vec<(usize, &Question, &str)> = self
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind.is_servqual())
            .map(|(i, q)| (i, q, q.item.as_deref().unwrap_or_default()))
            .collect();
        for (n, &(i, q, item)) in servqual.iter().enumerate() {
            for &(j, p, _) in servqual[..n].iter().filter(|(_, _, it)| *it == item) {
                let fault = if p.kind == q.kind {
                    (
                        "item",
                        format!(
                            "item {item} already has its {} question (questions[{j}])",
                            q.kind.as_str()
                        ),
                    )
                } else if p.dimension != q.dimension {
                    (
                        "dimension",
                        format!("must be the dimension of questions[{j}], on the same item"),
                    )
                } else if p.scale != q.scale {
                    (
                        "scale",
                        format!("must be the scale of questions[{j}], on the same item"),
                    )
                } else {
                    continue;
                };
                return Err(DraftError::new(
                    format!("questions[{i}].{}", fault.0),
                    fault.1,
                ));
            }
        }
        for &(i, q, item) in &servqual {
            if !servqual
                .iter()
                .any(|(_, p, it)| *it == item && p.kind != q.kind)
            {
                let missing = match q.kind {
                    QuestionKind::Expectation => "perception",
                    _ => "expectation",
                };
                return Err(DraftError::new(
                    format!("questions[{i}].item"),
                    format!("item {item} has no {missing} question"),
                ));
            }
        }
        Ok(())
    }

    fn check_dimension_weights(&self) -> Result<(), DraftError> {
        let has_items = |d| self.questions.iter().any(|q| q.dimension == Some(d));
        let total = self.dimension_weights.total();
        let any_items = Dimension::ALL.into_iter().any(has_items);
        if any_items && total != 100 {
            return Err(DraftError::new(
                "dimension_weights",
                format!("must allocate 100 points over the five dimensions, not {total}"),
            ));
        }
        if !any_items && total != 0 {
            return Err(DraftError::new(
                "dimension_weights",
                "must be all zero: the version has no SERVQUAL items",
            ));
        }
        for d in Dimension::ALL {
            if self.dimension_weights.get(d) > 0 && !has_items(d) {
                return Err(DraftError::new(
                    format!("dimension_weights.{}", d.as_str()),
                    "has weight but no expectation and perception items",
                ));
            }
        }
        Ok(())
    }

    fn check_factor_weights(&self) -> Result<(), DraftError> {
        let Some(weights) = &self.factor_weights else {
            return Ok(());
        };
        let total = weights.total();
        if total != 100 {
            return Err(DraftError::new(
                "factor_weights",
                format!("must allocate 100 points over the five factors, not {total}"),
            ));
        }
        for f in Factor::ALL {
            if weights.get(f) > 0 && !self.questions.iter().any(|q| q.factor == Some(f)) {
                return Err(DraftError::new(
                    format!("factor_weights.{}", f.as_str()),
                    "has weight but no questions",
                ));
            }
        }
        Ok(())
    }

    fn check_special(
        &self,
        field: &str,
        id: Option<&str>,
        kind: QuestionKind,
    ) -> Result<(), DraftError> {
        let Some(id) = id else { return Ok(()) };
        match self.questions.iter().find(|q| q.id == id) {
            None => Err(DraftError::new(field, format!("no question has id {id}"))),
            Some(q) if q.kind != kind => Err(DraftError::new(
                field,
                format!(
                    "must name a question of kind {}, not {}",
                    kind.as_str(),
                    q.kind.as_str()
                ),
            )),
            Some(_) => Ok(()),
        }
    }
}

/// One question on its own, and its id against the questions before it.
fn check_question(i: usize, q: &Question, before: &[Question]) -> Result<(), DraftError> {
    let at = |field: &str| format!("questions[{i}].{field}");
    if !aftercare_values::is_valid_id(&q.id) {
        return Err(DraftError::new(at("id"), ID_RULE));
    }
    if let Some(j) = before.iter().position(|b| b.id == q.id) {
        return Err(DraftError::new(
            at("id"),
            format!("repeats questions[{j}].id"),
        ));
    }
    text(&q.text).map_err(|r| DraftError::new(at("text"), r))?;
    check_translations(i, q)?;
    if q.kind == QuestionKind::Nps && q.scale != Scale::ZeroToTen {
        return Err(DraftError::new(
            at("scale"),
            "an nps question is on the 0–10 scale",
        ));
    }
    if q.kind.is_servqual() {
        if q.dimension.is_none() {
            return Err(DraftError::new(
                at("dimension"),
                format!(
                    "an {} question names its SERVQUAL dimension",
                    q.kind.as_str()
                ),
            ));
        }
        match q.item.as_deref() {
            None => {
                return Err(DraftError::new(
                    at("item"),
                    format!(
                        "an {} question names the SERVQUAL item it measures",
                        q.kind.as_str()
                    ),
                ));
            }
            Some(item) if !aftercare_values::is_valid_id(item) => {
                return Err(DraftError::new(at("item"), ID_RULE));
            }
            Some(_) => {}
        }
    } else {
        if q.dimension.is_some() {
            return Err(DraftError::new(
                at("dimension"),
                "only expectation and perception questions measure a SERVQUAL dimension",
            ));
        }
        if q.item.is_some() {
            return Err(DraftError::new(
                at("item"),
                "only expectation and perception questions measure a SERVQUAL item",
            ));
        }
    }
    if q.factor.is_some() && !matches!(q.kind, QuestionKind::Perception | QuestionKind::Rating) {
        return Err(DraftError::new(
            at("factor"),
            "only perception and rating questions feed a service-index factor",
        ));
    }
    Ok(())
}

/// Each translation under a BCP 47 tag, with a text like the question's own.
fn check_translations(i: usize, q: &Question) -> Result<(), DraftError> {
    if q.translations.len() > MAX_TRANSLATIONS {
        return Err(DraftError::new(
            format!("questions[{i}].translations"),
            format!("must have at most {MAX_TRANSLATIONS} translations"),
        ));
    }
    for (tag, translated) in &q.translations {
        let at = format!("questions[{i}].translations[{tag:?}]");
        aftercare_values::locale(tag).map_err(|e| DraftError::new(&at, format!("the key {e}")))?;
        text(translated).map_err(|r| DraftError::new(&at, r))?;
    }
    Ok(())
}
