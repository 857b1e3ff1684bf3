//! Safe retries: a mutation carries a `request_id`; the first answer is
//! stored in the same transaction as the change, and a retry gets that answer
//! back without applying anything again.
//!
//! A stored answer is replayed before any access check runs, so the key
//! must name the caller completely: the whole principal (role, subject and
//! every id of its scope, see `aftercare_auth::Principal::canonical`), not
//! the token's subject alone. Subjects are not unique across scopes — one
//! identity provider account may act for two dealers, and external
//! providers reuse subjects across tenants — and keyed by subject, a second
//! dealer replaying a first's exact request got the first's object back. Keyed
//! by the whole principal, an answer only ever goes back to a caller in the
//! very scope that received it, who could read it now; anyone else has
//! another key, and its request is applied (or refused) as its own.
//!
//! The table holds a SHA-256 of the principal, so that the primary key stays
//! small however many stations a principal names.

use serde::{Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};

use crate::{Tx, timestamp};

/// Which request this is: the caller, its request id, and a fingerprint of
/// the request so that a reused id with another request is caught.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    principal: String,
    request_id: String,
    fingerprint: String,
}

impl IdempotencyKey {
    /// `principal` is the caller's whole principal in canonical form;
    /// `method` and `request` (the encoded request) make the fingerprint.
    pub fn new(principal: &str, request_id: &str, method: &str, request: &[u8]) -> Self {
        let mut hash = Sha256::new();
        hash.update(method.as_bytes());
        hash.update([0]);
        hash.update(request);
        Self {
            principal: hex(&Sha256::digest(principal.as_bytes())),
            request_id: request_id.to_owned(),
            fingerprint: hex(&hash.finalize()),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    #[error("request_id was already used for a different request")]
    Reused,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("stored answer unreadable: {0}")]
    Corrupt(#[from] serde_json::Error),
}

/// Claims `key` inside `tx`. `Some(answer)` means the request was applied
/// before and `answer` is what it returned; `None` means go ahead, then call
/// [`record`] before committing. A concurrent duplicate waits on the first
/// one's row lock and then sees its answer.
pub async fn claim<T: DeserializeOwned>(
    tx: &mut Tx,
    key: &IdempotencyKey,
) -> Result<Option<T>, IdempotencyError> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (principal, request_id, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(&key.principal)
    .bind(&key.request_id)
    .bind(&key.fingerprint)
    .bind(timestamp::now_micros())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(None);
    }
    let (fingerprint, response): (String, Option<String>) = sqlx::query_as(
        "SELECT fingerprint, response FROM idempotency_keys WHERE principal = $1 AND request_id = $2",
    )
    .bind(&key.principal)
    .bind(&key.request_id)
    .fetch_one(&mut **tx)
    .await?;
    if fingerprint != key.fingerprint {
        return Err(IdempotencyError::Reused);
    }
    let response = response.unwrap_or_else(|| "null".into());
    Ok(Some(serde_json::from_str(&response)?))
}

/// Stores the answer to a claimed key; call it in the claiming transaction.
pub async fn record<T: Serialize>(
    tx: &mut Tx,
    key: &IdempotencyKey,
    answer: &T,
) -> Result<(), IdempotencyError> {
    sqlx::query(
        "UPDATE idempotency_keys SET response = $1 WHERE principal = $2 AND request_id = $3",
    )
    .bind(serde_json::to_string(answer)?)
    .bind(&key.principal)
    .bind(&key.request_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes at most `limit` keys claimed before `before`: a retry after that
/// is a new request. One short statement (see [`crate::retention`]).
pub async fn prune(db: &crate::Db, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    crate::retention::delete_batch(
        db,
        "DELETE FROM idempotency_keys WHERE (principal, request_id) IN \
         (SELECT principal, request_id FROM idempotency_keys WHERE created_at < $1 \
          ORDER BY created_at LIMIT $2)",
        before,
        limit,
    )
    .await
}

/// How a mutation starts: a fresh transaction, or the answer it gave the
/// first time.
pub enum Begun<T> {
    Fresh(Tx),
    Replay(T),
}

/// Begins a write transaction and claims `key` in it, if there is one.
pub async fn begin<T: DeserializeOwned>(
    db: &crate::Db,
    key: Option<&IdempotencyKey>,
) -> Result<Begun<T>, IdempotencyError> {
    let mut tx = db.begin().await?;
    if let Some(key) = key
        && let Some(answer) = claim(&mut tx, key).await?
    {
        return Ok(Begun::Replay(answer));
    }
    Ok(Begun::Fresh(tx))
}

/// Stores the answer with the change, if there is a key, and commits both.
pub async fn commit<T: Serialize>(
    mut tx: Tx,
    key: Option<&IdempotencyKey>,
    answer: T,
) -> Result<T, IdempotencyError> {
    if let Some(key) = key {
        record(&mut tx, key, &answer).await?;
    }
    tx.commit().await?;
    Ok(answer)
}

/// Begins a mutation, or returns its first answer from the enclosing
/// function when it was applied before: `let tx = begin_write!(db, key);`.
#[macro_export]
macro_rules! begin_write {
    ($db:expr, $key:expr) => {
        match $crate::idempotency::begin($db, $key).await? {
            $crate::idempotency::Begun::Fresh(tx) => tx,
            $crate::idempotency::Begun::Replay(answer) => return Ok(answer),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_principal_and_the_request() {
        let key = |principal: &str, request_id: &str, request: &[u8]| {
            IdempotencyKey::new(principal, request_id, "CreateCustomer", request)
        };
        let first = key("shared as dealer d1", "r-1", b"body");
        // Another dealer with the same subject: another key, same request.
        let other = key("shared as dealer d2", "r-1", b"body");
        assert_ne!(first.principal, other.principal);
        assert_eq!(first.fingerprint, other.fingerprint);
        let again = key("shared as dealer d1", "r-1", b"body");
        assert_eq!(
            (first.principal.as_str(), first.fingerprint.as_str()),
            (again.principal.as_str(), again.fingerprint.as_str())
        );
        assert_eq!(first.principal.len(), 64, "a SHA-256, whatever its size");
        let changed = key("shared as dealer d1", "r-1", b"other body");
        assert_ne!(first.fingerprint, changed.fingerprint);
    }
}
