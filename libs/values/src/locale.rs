//! A language tag as people's preferences and translations carry it (BCP 47,
//! e.g. `zh-CN`, `en`, `zh-Hant-TW`): checked for its shape only, never
//! against a registry, so that a new language needs no release.

/// The longest tag accepted (BCP 47 suggests implementations support 35).
pub const MAX_LOCALE: usize = 35;

/// Why a tag was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a BCP 47 language tag like zh-CN or en, at most {MAX_LOCALE} characters")]
pub struct LocaleError;

/// `tag` if it is shaped like a BCP 47 tag: a primary language of 2 to 8
/// letters, then subtags of 1 to 8 letters or digits, joined by hyphens.
pub fn locale(tag: &str) -> Result<String, LocaleError> {
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    let primary_ok =
        (2..=8).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        subtags.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
    if tag.len() <= MAX_LOCALE && primary_ok && rest_ok {
        Ok(tag.to_owned())
    } else {
        Err(LocaleError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_of_the_network_pass() {
        for tag in ["zh-CN", "en", "zh-Hant-TW", "de-DE-1996", "en-US-x-twain"] {
            assert_eq!(locale(tag).as_deref(), Ok(tag));
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for tag in [
            "",
            "e",
            "zh_CN",
            "zh-",
            "-CN",
            "中文",
            "zh-CN ",
            "en--US",
            &"a".repeat(36),
        ] {
            assert_eq!(locale(tag), Err(LocaleError), "{tag:?}");
        }
    }
}
