use std::fmt::Display;

/// A request field that failed validation: the field's path in the request
/// (`station.display_name`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldViolation {
    pub field: String,
    pub reason: String,
}

impl FieldViolation {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Names the field a parse error belongs to.
pub trait AtField<T> {
    fn at(self, field: &str) -> Result<T, FieldViolation>;
}

impl<T, E: Display> AtField<T> for Result<T, E> {
    fn at(self, field: &str) -> Result<T, FieldViolation> {
        self.map_err(|e| FieldViolation::new(field, e.to_string()))
    }
}
