//! Vehicle identification numbers (ISO 3779).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VinError {
    #[error("must be 17 characters, not {0}")]
    Length(usize),
    #[error(
        "character {0:?} at position {1} is not allowed (letters other than I, O and Q, and digits)"
    )]
    Character(char, usize),
    #[error("check digit is {found:?}, the other characters make it {expected:?}")]
    CheckDigit { found: char, expected: char },
}

/// A VIN: 17 characters, digits and letters other than I, O and Q; upper
/// case. The check digit (position 9) is verified when the OEM's settings
/// ask for it: North American VINs carry one, many others do not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Vin(String);

impl Vin {
    pub fn parse(input: &str, require_check_digit: bool) -> Result<Self, VinError> {
        let vin = input.trim().to_ascii_uppercase();
        let count = vin.chars().count();
        if count != 17 {
            return Err(VinError::Length(count));
        }
        for (i, c) in vin.chars().enumerate() {
            if transliterate(c).is_none() {
                return Err(VinError::Character(c, i + 1));
            }
        }
        if require_check_digit {
            let expected = check_digit(&vin);
            let found = vin.as_bytes()[8] as char;
            if found != expected {
                return Err(VinError::CheckDigit { found, expected });
            }
        }
        Ok(Self(vin))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A VIN this service stored after parsing it.
    pub(crate) fn from_store(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Display for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The value of a VIN character for the check digit; None for characters a
/// VIN may not hold.
fn transliterate(c: char) -> Option<u32> {
    Some(match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => return None,
    })
}

/// The check digit the other 16 characters of an upper-case, valid-character
/// VIN call for: the weighted sum modulo 11, with 10 written `X`.
pub fn check_digit(vin: &str) -> char {
    let sum: u32 = vin
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| transliterate(c).unwrap_or(0) * w)
        .sum();
    match sum % 11 {
        10 => 'X',
        n => char::from_digit(n, 10).unwrap_or('0'),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn known_vins() {
        // The textbook example: check digit X.
        assert!(Vin::parse("1M8GDM9AXKP042788", true).is_ok());
        assert!(
            Vin::parse("1m8gdm9axkp042788", true).is_ok(),
            "lower case is accepted and upper-cased"
        );
        assert_eq!(
            Vin::parse("1M8GDM9A1KP042788", true),
            Err(VinError::CheckDigit {
                found: '1',
                expected: 'X'
            })
        );
        // Without the check, only length and characters count.
        assert!(Vin::parse("1M8GDM9A1KP042788", false).is_ok());
        assert_eq!(
            Vin::parse("1M8GDM9AXKP04278", false),
            Err(VinError::Length(16))
        );
        assert_eq!(
            Vin::parse("1M8GDM9AXKP04278O", false),
            Err(VinError::Character('O', 17))
        );
        assert_eq!(
            Vin::parse("IM8GDM9AXKP042788", false),
            Err(VinError::Character('I', 1))
        );
    }

    fn vin_body() -> impl Strategy<Value = String> {
        "[A-HJ-NPR-Z0-9]{17}"
    }

    proptest! {
        #[test]
        fn a_vin_with_its_check_digit_always_passes(body in vin_body()) {
            let mut chars: Vec<char> = body.chars().collect();
            chars[8] = check_digit(&body);
            let vin: String = chars.into_iter().collect();
            prop_assert!(Vin::parse(&vin, true).is_ok());
        }

        #[test]
        fn changing_one_character_breaks_the_check(body in vin_body(), pos in 0usize..17, replacement in "[A-HJ-NPR-Z0-9]") {
            prop_assume!(pos != 8);
            let mut chars: Vec<char> = body.chars().collect();
            chars[8] = check_digit(&body);
            let good: String = chars.iter().collect();
            let r = replacement.chars().next().unwrap();
            prop_assume!(transliterate(r) != transliterate(chars[pos]));
            chars[pos] = r;
            let bad: String = chars.into_iter().collect();
            // Every weight but the check digit's own is 2 to 10 and a value
            // moves by 1 to 9: the product is never a multiple of 11 (a
            // prime), so the sum leaves its residue.
            prop_assert!(Vin::parse(&bad, true).is_err(), "{good} -> {bad}");
        }

        #[test]
        fn forbidden_letters_are_always_refused(body in vin_body(), pos in 0usize..17, bad in "[IOQ]") {
            let mut chars: Vec<char> = body.chars().collect();
            chars[pos] = bad.chars().next().unwrap();
            let vin: String = chars.into_iter().collect();
            prop_assert!(matches!(Vin::parse(&vin, false), Err(VinError::Character(..))));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,30}") {
            let _ = Vin::parse(&s, true);
        }
    }
}
