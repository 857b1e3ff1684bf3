//! Survey responses: a link token as sent. A response as the contract has
//! it is built where the low-score alert is (`crate::events::message`),
//! which carries the same message.

use aftercare_edge::invalid_argument as invalid;
use aftercare_values::FieldViolation;
use tonic::Status;

/// A link token as sent: anything longer than a token could be is refused
/// before it is hashed.
pub(super) fn link_token(v: &str) -> Result<&str, Status> {
    if v.is_empty() || v.len() > 128 {
        return Err(invalid(FieldViolation::new(
            "link_token",
            "must be the token of a survey link",
        )));
    }
    Ok(v)
}
