//! Small text values: the newtype every service declares with
//! [`text_type!`], and the parsers the services share.

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("must not hold control characters")]
    Control,
    #[error("must be 1 to 63 lower-case letters, digits and hyphens, not starting with a hyphen")]
    Id,
    #[error("must be upper-case letters, digits and hyphens")]
    Code,
    #[error("must be an international number like +4930123456")]
    Phone,
    #[error("must be an e-mail address like name@example.com")]
    Email,
}

/// Declares a text newtype: a private `String` that only the type's own
/// `parse` (written beside it) makes, and the store reads back as it was
/// written (`from_store`, visible in the declaring crate only).
///
/// ```
/// aftercare_values::text_type!(
///     /// A model code.
///     ModelCode
/// );
/// assert_eq!(ModelCode::from_store("X1".into()).as_str(), "X1");
/// ```
#[macro_export]
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }

            /// A value this service stored after parsing it.
            #[allow(dead_code)]
            pub(crate) fn from_store(s: String) -> Self {
                Self(s)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// A name shown to people: trimmed, 1 to `max` characters, no control
/// characters.
pub fn display_name(s: &str, max: usize) -> Result<String, TextError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(TextError::Empty);
    }
    plain(s, max)
}

/// At most `max` characters and no control characters; may be empty.
pub fn plain(s: &str, max: usize) -> Result<String, TextError> {
    if s.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    if s.chars().any(char::is_control) {
        return Err(TextError::Control);
    }
    Ok(s.to_owned())
}

/// A code: upper-case letters, digits and hyphens, 1 to 32 characters.
pub fn code(s: &str) -> Result<String, TextError> {
    if s.is_empty() {
        return Err(TextError::Empty);
    }
    if s.len() > 32 {
        return Err(TextError::TooLong(32));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(TextError::Code);
    }
    Ok(s.to_owned())
}

/// An object's id (AIP-122): see [`crate::is_valid_id`].
pub fn id(s: &str) -> Result<String, TextError> {
    if crate::is_valid_id(s) {
        Ok(s.to_owned())
    } else {
        Err(TextError::Id)
    }
}

/// An optional text: empty means none.
pub fn optional<T>(
    s: &str,
    parse: impl Fn(&str) -> Result<T, TextError>,
) -> Result<Option<T>, TextError> {
    if s.is_empty() {
        Ok(None)
    } else {
        parse(s).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_parsers() {
        assert_eq!(display_name("  Anna  ", 200).as_deref(), Ok("Anna"));
        assert_eq!(display_name("   ", 200), Err(TextError::Empty));
        assert_eq!(
            display_name(&"x".repeat(201), 200),
            Err(TextError::TooLong(200))
        );
        assert_eq!(plain("", 10).as_deref(), Ok(""));
        assert_eq!(plain("a\u{7}", 10), Err(TextError::Control));
        assert_eq!(code("AB-1").as_deref(), Ok("AB-1"));
        assert_eq!(code("ab"), Err(TextError::Code));
        assert_eq!(code(&"A".repeat(33)), Err(TextError::TooLong(32)));
        assert_eq!(id("north-1").as_deref(), Ok("north-1"));
        assert_eq!(id("-x"), Err(TextError::Id));
        assert_eq!(optional("", code), Ok(None));
    }
}
