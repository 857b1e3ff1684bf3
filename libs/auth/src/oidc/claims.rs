//! A provider's claims to Aftercare's principal, by the settings' names.

use serde_json::{Map, Value};

use super::OidcSettings;
use crate::{Principal, Scope, token::TokenError};

pub(super) fn principal(
    settings: &OidcSettings,
    claims: &Map<String, Value>,
) -> Result<Principal, TokenError> {
    let invalid = |why: &str| TokenError::Invalid(why.to_owned());
    let subject = claims
        .get("sub")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("no subject"))?;
    let role = strings(claims.get(&settings.role_claim))
        .iter()
        .find_map(|value| settings.role_of(value))
        .ok_or_else(|| invalid("no role Aftercare knows"))?;
    let text = |claim: &String| strings(claims.get(claim)).into_iter().next();
    let scope = Scope::new(
        role,
        text(&settings.region_claim),
        text(&settings.dealer_claim),
        strings(claims.get(&settings.stations_claim)),
        None,
    )
    .map_err(|e| TokenError::Invalid(e.to_string()))?;
    Ok(Principal {
        subject: subject.to_owned(),
        scope,
    })
}

/// A claim's strings: itself if it is one, its string items if a list.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().expect("an object").clone()
    }

    #[test]
    fn claims_map_to_a_scope_by_the_settings_names() {
        let settings = OidcSettings {
            issuer: "https://login.oem.example".into(),
            role_claim: "groups".into(),
            dealer_claim: "org".into(),
            stations_claim: "sites".into(),
            roles: [("aftersales-dealer".into(), "dealer".into())].into(),
            ..OidcSettings::default()
        };
        let p = principal(
            &settings,
            &claims(json!({
                "sub": "wang",
                "groups": ["employees", "aftersales-dealer"],
                "org": "D-1",
                "sites": ["S-1", "S-2"],
            })),
        );
        assert_eq!(
            p,
            Ok(Principal {
                subject: "wang".into(),
                scope: Scope::Dealer {
                    dealer_id: "D-1".into(),
                    station_ids: vec!["S-1".into(), "S-2".into()],
                },
            })
        );
        // A role value without a mapping, even an Aftercare role name.
        let p = principal(
            &settings,
            &claims(json!({"sub": "x", "groups": "oem", "org": "D-1"})),
        );
        assert!(matches!(p, Err(TokenError::Invalid(_))));
    }

    #[test]
    fn without_a_role_table_the_provider_names_aftercare_roles_but_never_survey() {
        let settings = OidcSettings::default();
        let region = principal(
            &settings,
            &claims(json!({"sub": "li", "role": "region", "region": "R-E"})),
        );
        assert_eq!(
            region.map(|p| p.scope),
            Ok(Scope::Region {
                region_id: "R-E".into()
            })
        );
        for token in [
            json!({"sub": "li", "role": "survey"}),
            json!({"sub": "li", "role": "region"}),
            json!({"role": "oem"}),
        ] {
            assert!(principal(&settings, &claims(token)).is_err());
        }
    }
}
