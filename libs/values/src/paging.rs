//! Keyset paging after AIP-158: `page_size` and an opaque `page_token`.
//!
//! A token carries the last key of the previous page and a fingerprint of
//! the filters it was made under, so that a token reused with other filters
//! is refused instead of silently skipping rows.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagingError {
    #[error("must not be negative")]
    NegativeSize,
    #[error("is not a token this service issued")]
    BadToken,
    #[error("was issued for other filters")]
    FilterChanged,
}

/// One page's worth of a list request: how many, and after which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub size: u32,
    pub after: Option<String>,
}

impl PageRequest {
    /// Parses `page_size` (0 means the default; above the maximum is the
    /// maximum) and `page_token` against the request's filters.
    pub fn parse(page_size: i32, page_token: &str, filters: &[&str]) -> Result<Self, PagingError> {
        let size = match page_size {
            n if n < 0 => return Err(PagingError::NegativeSize),
            0 => DEFAULT_PAGE_SIZE,
            n => (n as u32).min(MAX_PAGE_SIZE),
        };
        let after = if page_token.is_empty() {
            None
        } else {
            let token = PageToken::decode(page_token)?;
            if token.fingerprint != fingerprint(filters) {
                return Err(PagingError::FilterChanged);
            }
            Some(token.last_key)
        };
        Ok(Self { size, after })
    }

    /// The number of rows to fetch: one more than the page, to learn whether
    /// another page follows.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.size) + 1
    }

    /// Cuts the fetched rows to the page and makes the token of the next
    /// page, if there is one.
    pub fn finish<T>(
        &self,
        mut rows: Vec<T>,
        key: impl Fn(&T) -> &str,
        filters: &[&str],
    ) -> (Vec<T>, String) {
        if rows.len() <= self.size as usize {
            return (rows, String::new());
        }
        rows.truncate(self.size as usize);
        let next = rows
            .last()
            .map(|last| {
                PageToken {
                    fingerprint: fingerprint(filters),
                    last_key: key(last).to_owned(),
                }
                .encode()
            })
            .unwrap_or_default();
        (rows, next)
    }
}

/// What a page token holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageToken {
    pub fingerprint: u64,
    pub last_key: String,
}

const VERSION: u8 = 1;

impl PageToken {
    pub fn encode(&self) -> String {
        let mut raw = Vec::with_capacity(9 + self.last_key.len());
        raw.push(VERSION);
        raw.extend_from_slice(&self.fingerprint.to_be_bytes());
        raw.extend_from_slice(self.last_key.as_bytes());
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(token: &str) -> Result<Self, PagingError> {
        let raw = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| PagingError::BadToken)?;
        if raw.len() < 10 || raw[0] != VERSION {
            return Err(PagingError::BadToken);
        }
        let fingerprint =
            u64::from_be_bytes(raw[1..9].try_into().map_err(|_| PagingError::BadToken)?);
        let last_key = String::from_utf8(raw[9..].to_vec()).map_err(|_| PagingError::BadToken)?;
        Ok(Self {
            fingerprint,
            last_key,
        })
    }
}

/// FNV-1a over the filter values: stable across processes and releases.
fn fingerprint(filters: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for f in filters {
        for b in f.bytes().chain([0xff]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn sizes_default_and_cap() {
        assert_eq!(
            PageRequest::parse(0, "", &[]).unwrap().size,
            DEFAULT_PAGE_SIZE
        );
        assert_eq!(
            PageRequest::parse(5000, "", &[]).unwrap().size,
            MAX_PAGE_SIZE
        );
        assert_eq!(
            PageRequest::parse(-1, "", &[]),
            Err(PagingError::NegativeSize)
        );
    }

    #[test]
    fn pages_walk_the_rows_once() {
        let all: Vec<String> = (0..7).map(|i| format!("k{i}")).collect();
        let mut seen = vec![];
        let mut token = String::new();
        loop {
            let page = PageRequest::parse(3, &token, &["r1"]).unwrap();
            let rows: Vec<String> = all
                .iter()
                .filter(|k| page.after.as_deref().is_none_or(|a| k.as_str() > a))
                .take(page.fetch_limit() as usize)
                .cloned()
                .collect();
            let (rows, next) = page.finish(rows, |k| k, &["r1"]);
            seen.extend(rows);
            if next.is_empty() {
                break;
            }
            token = next;
        }
        assert_eq!(seen, all);
    }

    #[test]
    fn a_token_is_bound_to_its_filters() {
        let (_, next) =
            PageRequest::parse(1, "", &["a"])
                .unwrap()
                .finish(vec!["x", "y"], |k| k, &["a"]);
        assert_eq!(
            PageRequest::parse(1, &next, &["b"]),
            Err(PagingError::FilterChanged)
        );
        // Filters ["ab", ""] and ["a", "b"] must not collide.
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
    }

    proptest! {
        #[test]
        fn tokens_round_trip(fingerprint in any::<u64>(), last_key in "\\PC{1,40}") {
            let token = PageToken { fingerprint, last_key };
            prop_assert_eq!(PageToken::decode(&token.encode()), Ok(token));
        }

        #[test]
        fn garbage_is_refused_not_panicked_on(s in "\\PC{0,40}") {
            if let Ok(t) = PageToken::decode(&s) {
                prop_assert_eq!(t.encode(), s);
            }
        }
    }
}
