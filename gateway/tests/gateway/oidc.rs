//! Tokens of an OEM's OpenID Connect provider through the gateway: a
//! provider served by the test itself (its discovery document and a JWKS
//! the test changes), RS256 and ES256 tokens signed with its keys.
//!
//! The keys in `keys/` are test-only, made with
//! `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048` (rsa-1,
//! rsa-2) and `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`
//! (ec-1): generating RSA keys in an unoptimised test build takes seconds.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use aftercare_auth::{Principal, Scope, oidc::OidcSettings};
use aftercare_gateway::GatewaySettings;
use aftercare_test_support::eventually;
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use p256::pkcs8::DecodePrivateKey as _;
use rsa::{pkcs1v15, traits::PublicKeyParts};
use serde_json::{Value, json};
use sha2::Sha256;
use tonic::Code;

use super::TestGateway;

const AUDIENCE: &str = "aftercare-console";

/// A signing key of the provider, with the `kid` it publishes it under.
enum Key {
    Rsa(&'static str, Box<rsa::RsaPrivateKey>),
    Ec(&'static str, p256::ecdsa::SigningKey),
}

impl Key {
    fn rsa(kid: &'static str, pem: &str) -> Self {
        use rsa::pkcs8::DecodePrivateKey;
        Key::Rsa(
            kid,
            Box::new(rsa::RsaPrivateKey::from_pkcs8_pem(pem).expect("RSA key")),
        )
    }

    fn ec(kid: &'static str, pem: &str) -> Self {
        Key::Ec(
            kid,
            p256::ecdsa::SigningKey::from_pkcs8_pem(pem).expect("P-256 key"),
        )
    }

    fn rsa_1() -> Self {
        Self::rsa("rsa-1", include_str!("keys/rsa-1.pem"))
    }

    fn rsa_2() -> Self {
        Self::rsa("rsa-2", include_str!("keys/rsa-2.pem"))
    }

    fn ec_1() -> Self {
        Self::ec("ec-1", include_str!("keys/ec-1.pem"))
    }

    /// The key as its JWKS entry.
    fn jwk(&self) -> Value {
        let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        match self {
            Key::Rsa(kid, key) => json!({
                "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                "n": b64(&key.n().to_bytes_be()), "e": b64(&key.e().to_bytes_be()),
            }),
            Key::Ec(kid, key) => {
                let point = key.verifying_key().to_encoded_point(false);
                json!({
                    "kty": "EC", "use": "sig", "crv": "P-256", "kid": kid,
                    "x": b64(point.x().expect("x")), "y": b64(point.y().expect("y")),
                })
            }
        }
    }

    /// A JWT of `claims` signed with this key, its header naming `kid`.
    fn sign_as(&self, kid: &str, claims: &Value) -> String {
        use rsa::signature::{SignatureEncoding, Signer};
        let alg = match self {
            Key::Rsa(..) => "RS256",
            Key::Ec(..) => "ES256",
        };
        let header = json!({"alg": alg, "typ": "JWT", "kid": kid});
        let message = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = match self {
            Key::Rsa(_, key) => pkcs1v15::SigningKey::<Sha256>::new((**key).clone())
                .sign(message.as_bytes())
                .to_vec(),
            Key::Ec(_, key) => {
                let signature: p256::ecdsa::Signature = key.sign(message.as_bytes());
                signature.to_bytes().to_vec()
            }
        };
        format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    fn sign(&self, claims: &Value) -> String {
        let kid = match self {
            Key::Rsa(kid, _) | Key::Ec(kid, _) => *kid,
        };
        self.sign_as(kid, claims)
    }
}

/// The provider: its discovery document and a JWKS the test sets; it can
/// be taken down, and counts the fetches of its keys.
struct Provider {
    issuer: String,
    state: Arc<ProviderState>,
}

#[derive(Default)]
struct ProviderState {
    issuer: String,
    /// The issuer its discovery document names, when not its own.
    impostor: Mutex<Option<String>>,
    jwks: Mutex<Value>,
    down: AtomicBool,
    discoveries: AtomicUsize,
    fetches: AtomicUsize,
}

impl Provider {
    async fn start(keys: &[&Key]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("address");
        let issuer = format!("http://{addr}/realms/aftersales");
        let state = Arc::new(ProviderState {
            issuer: issuer.clone(),
            ..ProviderState::default()
        });
        let router = axum::Router::new()
            .route(
                "/realms/aftersales/.well-known/openid-configuration",
                get(discovery),
            )
            .route("/realms/aftersales/keys", get(jwks))
            .with_state(Arc::clone(&state));
        tokio::spawn(async move { axum::serve(listener, router).await });
        let provider = Self { issuer, state };
        provider.publish(keys);
        provider
    }

    fn publish(&self, keys: &[&Key]) {
        let keys: Vec<Value> = keys.iter().map(|key| key.jwk()).collect();
        *self.state.jwks.lock().expect("lock") = json!({ "keys": keys });
    }

    fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::SeqCst);
    }

    fn fetches(&self) -> usize {
        self.state.fetches.load(Ordering::SeqCst)
    }

    fn discoveries(&self) -> usize {
        self.state.discoveries.load(Ordering::SeqCst)
    }

    fn speak_for(&self, issuer: &str) {
        *self.state.impostor.lock().expect("lock") = Some(issuer.to_owned());
    }

    /// The provider's token claims for a subject, valid for ten minutes.
    fn claims(&self, subject: &str, extra: Value) -> Value {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        let mut claims = json!({
            "iss": self.issuer, "aud": AUDIENCE, "sub": subject,
            "iat": now, "exp": now + 600,
            "groups": ["staff", "aftersales-hq"],
        });
        let object = claims.as_object_mut().expect("an object");
        for (name, value) in extra.as_object().expect("an object") {
            object.insert(name.clone(), value.clone());
        }
        claims
    }

    /// Gateway settings that trust this provider: the OEM's own claim
    /// names and role values, fetching again after `refresh`.
    fn settings(&self, refresh: Duration, min_refresh: Duration) -> GatewaySettings {
        let roles: BTreeMap<String, String> = [
            ("aftersales-hq", "oem"),
            ("aftersales-region", "region"),
            ("dealer-staff", "dealer"),
        ]
        .into_iter()
        .map(|(value, role)| (value.to_owned(), role.to_owned()))
        .collect();
        GatewaySettings {
            oidc: OidcSettings {
                issuer: self.issuer.clone(),
                audience: AUDIENCE.into(),
                role_claim: "groups".into(),
                region_claim: "oem_region".into(),
                dealer_claim: "oem_dealer".into(),
                stations_claim: "oem_stations".into(),
                roles,
                refresh_interval_ms: refresh.as_millis() as u64,
                min_refresh_interval_ms: min_refresh.as_millis() as u64,
                ..OidcSettings::default()
            },
            ..GatewaySettings::default()
        }
    }
}

async fn discovery(State(state): State<Arc<ProviderState>>) -> impl IntoResponse {
    state.discoveries.fetch_add(1, Ordering::SeqCst);
    let impostor = state.impostor.lock().expect("lock").clone();
    let document = json!({
        "issuer": impostor.unwrap_or_else(|| state.issuer.clone()),
        "jwks_uri": format!("{}/keys", state.issuer),
    });
    json_response(document)
}

async fn jwks(State(state): State<Arc<ProviderState>>) -> axum::response::Response {
    state.fetches.fetch_add(1, Ordering::SeqCst);
    if state.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let jwks = state.jwks.lock().expect("lock").clone();
    json_response(jwks).into_response()
}

fn json_response(value: Value) -> impl IntoResponse {
    (
        [(http::header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
}

const HOUR: Duration = Duration::from_secs(3600);

/// The principal the backend saw for `token`, or the gateway's refusal.
async fn seen(gw: &TestGateway, token: &str) -> Result<String, Code> {
    gw.echo(Some(token), b"hi")
        .await
        .map(|response| {
            let seen = response.metadata().get("x-seen-principal");
            seen.expect("reported").to_str().expect("ascii").to_owned()
        })
        .map_err(|status| status.code())
}

/// Waits until `token` is accepted, and returns the principal it stood for.
async fn accepted(gw: &TestGateway, what: &str, token: &str) -> String {
    eventually(what, || async { seen(gw, token).await.ok() }).await
}

fn canonical(subject: &str, scope: Scope) -> String {
    Principal {
        subject: subject.into(),
        scope,
    }
    .canonical()
}

#[tokio::test]
async fn provider_tokens_in_rs256_and_es256_reach_the_backend_with_their_mapped_scope() {
    let (rsa, ec) = (Key::rsa_1(), Key::ec_1());
    let provider = Provider::start(&[&rsa, &ec]).await;
    let gw = TestGateway::start(provider.settings(HOUR, HOUR)).await;

    let region = rsa.sign(&provider.claims(
        "li.na",
        json!({"groups": ["staff", "aftersales-region"], "oem_region": "R-EAST"}),
    ));
    assert_eq!(
        accepted(&gw, "the RS256 token is accepted", &region).await,
        canonical(
            "li.na",
            Scope::Region {
                region_id: "R-EAST".into()
            }
        )
    );
    let dealer = ec.sign(&provider.claims(
        "wang.wei",
        json!({"groups": "dealer-staff", "oem_dealer": "D-7", "oem_stations": ["S-1", "S-2"]}),
    ));
    assert_eq!(
        seen(&gw, &dealer).await,
        Ok(canonical(
            "wang.wei",
            Scope::Dealer {
                dealer_id: "D-7".into(),
                station_ids: vec!["S-1".into(), "S-2".into()],
            }
        ))
    );
    // Aftercare's own tokens keep working beside the provider's.
    let own = gw.token("ops");
    assert_eq!(seen(&gw, &own).await, Ok(canonical("ops", Scope::Oem)));
    // A role value the settings do not map gives no access.
    let unmapped = rsa.sign(&provider.claims("eve", json!({"groups": ["staff", "oem"]})));
    assert_eq!(seen(&gw, &unmapped).await, Err(Code::Unauthenticated));
}

#[tokio::test]
async fn wrong_issuer_audience_expired_or_forged_provider_tokens_are_unauthenticated() {
    let key = Key::rsa_1();
    let provider = Provider::start(&[&key]).await;
    let gw = TestGateway::start(provider.settings(HOUR, HOUR)).await;
    accepted(
        &gw,
        "the provider's keys are in",
        &key.sign(&provider.claims("hq", json!({}))),
    )
    .await;

    let an_hour_ago = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        - 3600;
    for (what, extra) in [
        (
            "another issuer",
            json!({"iss": "http://127.0.0.1:1/realms/other"}),
        ),
        ("another audience", json!({"aud": "someone-else"})),
        (
            "expired",
            json!({"iat": an_hour_ago - 600, "exp": an_hour_ago}),
        ),
        ("no subject", json!({"sub": ""})),
    ] {
        let token = key.sign(&provider.claims("hq", extra));
        assert_eq!(
            seen(&gw, &token).await,
            Err(Code::Unauthenticated),
            "{what}"
        );
    }
    // Signed with another key under the published key's id.
    let forged = Key::rsa_2().sign_as("rsa-1", &provider.claims("hq", json!({})));
    assert_eq!(seen(&gw, &forged).await, Err(Code::Unauthenticated));
}

#[tokio::test]
async fn a_token_from_an_unknown_key_is_unauthenticated_and_a_flood_of_them_fetches_rarely() {
    let key = Key::rsa_1();
    let provider = Provider::start(&[&key]).await;
    let gw = TestGateway::start(provider.settings(HOUR, HOUR)).await;
    accepted(
        &gw,
        "the provider's keys are in",
        &key.sign(&provider.claims("hq", json!({}))),
    )
    .await;
    let fetched = provider.fetches();

    let unknown = Key::rsa_2().sign(&provider.claims("mallory", json!({})));
    for _ in 0..20 {
        assert_eq!(seen(&gw, &unknown).await, Err(Code::Unauthenticated));
    }
    // At most one fetch per minimum interval (an hour here): none yet.
    assert_eq!(provider.fetches(), fetched);
}

#[tokio::test]
async fn a_new_key_of_the_provider_is_taken_up_without_a_restart() {
    let (old, new) = (Key::rsa_1(), Key::rsa_2());
    let provider = Provider::start(&[&old]).await;
    // No periodic fetch within the test: only the token with the new key
    // can make the gateway fetch again.
    let gw = TestGateway::start(provider.settings(HOUR, Duration::from_millis(50))).await;
    let old_token = old.sign(&provider.claims("before", json!({})));
    accepted(&gw, "the token of the first key is accepted", &old_token).await;

    provider.publish(&[&old, &new]);
    let new_token = new.sign(&provider.claims("after", json!({})));
    accepted(&gw, "the token of the new key is accepted", &new_token).await;
    assert_eq!(
        seen(&gw, &old_token).await,
        Ok(canonical("before", Scope::Oem))
    );
}

#[tokio::test]
async fn a_key_the_provider_withdrew_no_longer_signs_for_anyone() {
    let (old, new) = (Key::rsa_1(), Key::ec_1());
    let provider = Provider::start(&[&old, &new]).await;
    let gw = TestGateway::start(
        provider.settings(Duration::from_millis(100), Duration::from_millis(50)),
    )
    .await;
    let old_token = old.sign(&provider.claims("before", json!({})));
    let new_token = new.sign(&provider.claims("after", json!({})));
    // Both accepted, and so kept by the gateway's token cache.
    accepted(&gw, "the token of the old key is accepted", &old_token).await;
    accepted(&gw, "the token of the new key is accepted", &new_token).await;

    provider.publish(&[&new]);
    eventually("the token of the withdrawn key is refused", || async {
        seen(&gw, &old_token).await == Err(Code::Unauthenticated)
    })
    .await;
    assert_eq!(
        seen(&gw, &new_token).await,
        Ok(canonical("after", Scope::Oem))
    );
}

#[tokio::test]
async fn with_the_provider_down_the_last_good_keys_stay_in_use() {
    let key = Key::ec_1();
    let provider = Provider::start(&[&key]).await;
    let gw = TestGateway::start(
        provider.settings(Duration::from_millis(100), Duration::from_millis(50)),
    )
    .await;
    accepted(
        &gw,
        "the provider's keys are in",
        &key.sign(&provider.claims("first", json!({}))),
    )
    .await;

    provider.set_down(true);
    let failed_from = provider.fetches();
    eventually("two fetches failed", || async {
        provider.fetches() >= failed_from + 2
    })
    .await;
    // A token the gateway has not seen before: checked with the kept keys.
    let fresh = key.sign(&provider.claims("second", json!({})));
    assert_eq!(seen(&gw, &fresh).await, Ok(canonical("second", Scope::Oem)));
}

#[tokio::test]
async fn a_discovery_document_speaking_for_another_issuer_is_not_used() {
    let key = Key::rsa_1();
    let provider = Provider::start(&[&key]).await;
    provider.speak_for("https://impostor.example");
    let gw = TestGateway::start(provider.settings(HOUR, Duration::from_millis(50))).await;
    let token = key.sign(&provider.claims("hq", json!({})));
    // Each refused token asks for another fetch.
    eventually("the discovery document is read twice", || async {
        assert_eq!(seen(&gw, &token).await, Err(Code::Unauthenticated));
        provider.discoveries() >= 2
    })
    .await;
    assert_eq!(provider.fetches(), 0, "no keys fetched");
}
