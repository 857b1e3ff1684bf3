//! A response's answers checked against the version it answers: every
//! answer to a question of the version, on its scale, and every required
//! question answered. A refusal names the question.

use std::collections::BTreeMap;

use serde::Serialize;

use super::template::{Scale, Version};

/// Why answers are refused; [`AnswerError::field`] names the answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the survey has no question {question}")]
    Unknown { question: String },
    #[error("question {question} is required")]
    Missing { question: String },
    #[error("{value} is not on the {scale} scale of question {question}")]
    OutOfScale {
        question: String,
        value: i64,
        scale: Scale,
    },
    #[error("question {question} is answered twice")]
    Twice { question: String },
}

impl AnswerError {
    /// The question at fault.
    pub fn question(&self) -> &str {
        match self {
            AnswerError::Unknown { question }
            | AnswerError::Missing { question }
            | AnswerError::OutOfScale { question, .. }
            | AnswerError::Twice { question } => question,
        }
    }

    /// The request field at fault: `answers[<question id>]`.
    pub fn field(&self) -> String {
        format!("answers[{}]", self.question())
    }
}

/// Checked answers: question id → value on the question's scale.
/// Serialised to be stored; read back through [`Version::check_answers`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answers(BTreeMap<String, u8>);

impl Answers {
    pub fn get(&self, question: &str) -> Option<u8> {
        self.0.get(question).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.0.iter().map(|(q, v)| (q.as_str(), *v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Version {
    /// `answers` (question id → value) checked against this version. Faults
    /// are found in a fixed order — a repeated or unknown question or a
    /// value off its scale, by question id; then a missing required
    /// question, in the version's order — so that the same answers always
    /// get the same refusal.
    pub fn check_answers<K: Into<String>>(
        &self,
        answers: impl IntoIterator<Item = (K, i64)>,
    ) -> Result<Answers, AnswerError> {
        let mut given: Vec<(String, i64)> =
            answers.into_iter().map(|(q, v)| (q.into(), v)).collect();
        given.sort_by(|a, b| a.0.cmp(&b.0));
        let mut checked = BTreeMap::new();
        for (question, value) in given {
            if checked.contains_key(&question) {
                return Err(AnswerError::Twice { question });
            }
            let Some(q) = self.question(&question) else {
                return Err(AnswerError::Unknown { question });
            };
            if !q.scale.contains(value) {
                return Err(AnswerError::OutOfScale {
                    question,
                    value,
                    scale: q.scale,
                });
            }
            checked.insert(question, value as u8);
        }
        if let Some(q) = self
            .questions()
            .iter()
            .find(|q| q.required && !checked.contains_key(&q.id))
        {
            return Err(AnswerError::Missing {
                question: q.id.clone(),
            });
        }
        Ok(Answers(checked))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{RESPONSE_A, RESPONSE_B, example_version};
    use super::*;

    fn full_answers() -> Vec<(&'static str, i64)> {
        RESPONSE_A.to_vec()
    }

    #[test]
    fn complete_answers_on_their_scales_pass() {
        let answers = example_version().check_answers(full_answers()).unwrap();
        assert_eq!(answers.get("rel-1-p"), Some(6));
        assert_eq!(answers.len(), 12);
    }

    #[test]
    fn an_optional_question_may_be_left_out() {
        // Response B leaves out booking and advisor.
        let checked = example_version().check_answers(RESPONSE_B).unwrap();
        assert_eq!(checked.get("advisor"), None);
        assert_eq!(checked.len(), 10);
    }

    #[test]
    fn each_refusal_names_the_answer() {
        let v = example_version();
        let with = |extra: (&'static str, i64)| {
            let mut a = full_answers();
            a.retain(|(q, _)| *q != extra.0);
            a.push(extra);
            v.check_answers(a).unwrap_err()
        };
        let e = with(("rel-1-p", 8));
        assert_eq!(e.field(), "answers[rel-1-p]");
        assert_eq!(
            e.to_string(),
            "8 is not on the 1–7 scale of question rel-1-p"
        );
        assert_eq!(with(("recommend", -1)).field(), "answers[recommend]");
        assert_eq!(with(("recommend", 11)).field(), "answers[recommend]");
        let e = with(("parking", 3));
        assert_eq!(
            e,
            AnswerError::Unknown {
                question: "parking".into()
            }
        );
        assert_eq!(e.field(), "answers[parking]");

        let mut missing = full_answers();
        missing.retain(|(q, _)| *q != "overall");
        let e = v.check_answers(missing).unwrap_err();
        assert_eq!(e.field(), "answers[overall]");
        assert_eq!(e.to_string(), "question overall is required");

        let mut twice = full_answers();
        twice.push(("overall", 4));
        let e = v.check_answers(twice).unwrap_err();
        assert_eq!(e.to_string(), "question overall is answered twice");
    }

    #[test]
    fn the_same_answers_always_get_the_same_refusal() {
        let v = example_version();
        // Faults in what was given come first, by question id.
        let e = v
            .check_answers([("zzz", 1), ("advisor", 9), ("aaa", 1)])
            .unwrap_err();
        assert_eq!(e.question(), "aaa");
        let e = v.check_answers([("zzz", 1), ("advisor", 9)]).unwrap_err();
        assert_eq!(e.question(), "advisor");
        // Nothing wrong with what was given: the first required question of
        // the version left out.
        let e = v.check_answers([("advisor", 3)]).unwrap_err();
        assert_eq!(e.field(), "answers[tan-1-e]");
    }
}
