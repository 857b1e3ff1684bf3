//! The small text values of the network, each parsed once at the edge.

pub use aftercare_values::text::{TextError, optional};
use aftercare_values::{text, text_type};

text_type!(
    /// An object's id: lower-case letters, digits and hyphens, at most 63
    /// characters (AIP-122). Generated ids are UUIDv7, which sort by time.
    Id
);
text_type!(
    /// A name shown to people: 1 to 200 characters, no control characters.
    DisplayName
);
text_type!(
    /// A network code (dealer, station, model, certification): upper-case
    /// letters, digits and hyphens, at most 32 characters.
    Code
);
text_type!(
    /// A place name; may be empty.
    City
);
text_type!(
    /// A phone number in E.164 form.
    Phone
);
text_type!(
    /// An e-mail address.
    Email
);

/// One of `ways` buckets for `id`, the same everywhere and always (FNV-1a):
/// to spread the writes of many ids over queues or rows while one id's stay
/// together.
pub fn bucket(id: &str, ways: u32) -> u32 {
    let hash = id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    hash % ways
}

impl Id {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::id(s).map(Self)
    }

    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().to_string())
    }

    /// The given id, or a generated one when none is given.
    pub fn given_or_generated(s: &str) -> Result<Self, TextError> {
        if s.is_empty() {
            Ok(Self::generate())
        } else {
            Self::parse(s)
        }
    }
}

impl DisplayName {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::display_name(s, 200).map(Self)
    }
}

impl City {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::plain(s.trim(), 100).map(Self)
    }
}

impl Code {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::code(s).map(Self)
    }
}

impl Phone {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        let digits = s.strip_prefix('+').ok_or(TextError::Phone)?;
        let ok = (7..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(TextError::Phone)
        }
    }
}

impl Email {
    /// Deliberately loose: one `@`, something before it, a dot after it.
    /// Whether the address exists is for a confirmation mail to find out.
    pub fn parse(s: &str) -> Result<Self, TextError> {
        if s.len() > 254 {
            return Err(TextError::TooLong(254));
        }
        let (local, domain) = s.split_once('@').ok_or(TextError::Email)?;
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(TextError::Email)
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn examples() {
        assert!(Id::parse("north-1").is_ok());
        assert_eq!(Id::parse("North"), Err(TextError::Id));
        assert_eq!(Id::parse("-x"), Err(TextError::Id));
        assert!(Id::parse(Id::generate().as_str()).is_ok());
        assert_eq!(DisplayName::parse("   "), Err(TextError::Empty));
        assert_eq!(
            DisplayName::parse(" Müller & Söhne ").unwrap().as_str(),
            "Müller & Söhne"
        );
        assert_eq!(Code::parse("d-01"), Err(TextError::Code));
        assert!(Phone::parse("+4930123456").is_ok());
        assert_eq!(Phone::parse("030123456"), Err(TextError::Phone));
        assert!(Email::parse("anna@example.com").is_ok());
        assert_eq!(Email::parse("anna@localhost"), Err(TextError::Email));
    }

    proptest! {
        #[test]
        fn ids_are_accepted_exactly_when_well_formed(s in "[a-z0-9-]{0,70}") {
            let ok = (1..=63).contains(&s.len()) && !s.starts_with('-');
            prop_assert_eq!(Id::parse(&s).is_ok(), ok);
        }

        #[test]
        fn display_names_are_trimmed_and_bounded(s in "\\PC{0,250}") {
            match DisplayName::parse(&s) {
                Ok(n) => {
                    prop_assert_eq!(n.as_str(), s.trim());
                    prop_assert!(!n.as_str().is_empty() && n.as_str().chars().count() <= 200);
                }
                Err(_) => prop_assert!(s.trim().is_empty() || s.trim().chars().count() > 200),
            }
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,80}") {
            let _ = (Id::parse(&s), Code::parse(&s), Phone::parse(&s), Email::parse(&s), City::parse(&s));
        }
    }
}

text_type!(
    /// A customer's preferred language: a BCP 47 tag such as `zh-CN`.
    Locale
);

impl Locale {
    pub fn parse(s: &str) -> Result<Self, aftercare_values::LocaleError> {
        aftercare_values::locale(s).map(Self)
    }
}
