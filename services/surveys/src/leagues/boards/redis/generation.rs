//! Whether Redis still holds the tables it held. A Redis restarted without
//! persistence, or flushed, answers every call — with nothing in it. The
//! generation key tells: whoever finds it absent writes a new random value
//! (`SET NX`, so that replicas finding it absent at once agree on one), and
//! each process remembers the value it trusts. Absent, or another value,
//! means the tables were lost since this process last looked.
//!
//! It is read in the same round trip as each read and each update (a GET
//! beside the script, not inside it: the key is in no board's hash slot),
//! and on its own by the repair task.

use std::sync::{Arc, Mutex, PoisonError};

use super::{RedisBoards, call::Retry, call::run};
use crate::leagues::boards::{BoardError, BoardResult};

/// The generation this process trusts; none before its first look.
#[derive(Debug, Clone, Default)]
pub(super) struct Trusted(Arc<Mutex<Option<String>>>);

impl Trusted {
    fn get(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl RedisBoards {
    /// Checks the generation a call found. A process that never looked
    /// cannot tell a lost store from a new one: it trusts what it finds (at
    /// start-up the service marks the periods that have no tables). After
    /// that, a generation absent or changed is [`BoardError::Lost`], once:
    /// the calls after it trust the store's new generation, whose tables the
    /// caller rebuilds.
    pub(super) async fn check_generation(&self, found: Option<String>) -> BoardResult<()> {
        let first_look = {
            let mut trusted = self.trusted.get();
            match (trusted.as_ref(), found) {
                (Some(t), Some(f)) if *t == f => return Ok(()),
                (None, Some(f)) => {
                    *trusted = Some(f);
                    return Ok(());
                }
                (trusted, _) => trusted.is_none(),
            }
        };
        let current = self.begin_generation().await?;
        *self.trusted.get() = Some(current);
        if first_look {
            Ok(())
        } else {
            Err(BoardError::Lost)
        }
    }

    /// The generation key's value, written first when absent.
    async fn begin_generation(&self) -> BoardResult<String> {
        let fresh = uuid::Uuid::new_v4().simple().to_string();
        let mut pipe = redis::pipe();
        pipe.atomic();
        pipe.cmd("SET")
            .arg(&self.generation)
            .arg(&fresh)
            .arg("NX")
            .ignore();
        pipe.cmd("GET").arg(&self.generation);
        let (current,): (String,) = self.query(&pipe).await?;
        Ok(current)
    }

    /// Reads the generation key alone and checks it.
    pub(super) async fn verify_generation(&self) -> BoardResult<()> {
        let found: Option<String> = run(&self.con, self.timeout, Retry::Once, |mut con| {
            let key = self.generation.clone();
            async move { redis::cmd("GET").arg(key).query_async(&mut con).await }
        })
        .await?;
        self.check_generation(found).await
    }
}
