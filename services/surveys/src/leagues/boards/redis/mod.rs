//! The league tables on Redis (the distributed mode). Each board is a sorted
//! set ranking its members and a hash from each member to its entry (layout
//! in [`keys`], entries in [`entry`]).
//!
//! Round trips: `page` and `around` one pipeline, the generation key's GET
//! and an EVALSHA of `read.lua` (two after a Redis restart, to reload it);
//! `upsert` (with the GET too), `rows` and `standings` one pipeline whatever
//! the boards; `len`, `remove` and `delete` one each; `replace` one pipeline
//! of the staged rows plus the swap; `boards` one SCAN step per 1,000 keys;
//! `verify` one GET. A call that finds the store lost its tables
//! ([`generation`]) adds one.

mod call;
mod entry;
mod generation;
mod keys;
mod page;
mod scripts;

use std::{collections::BTreeSet, time::Duration};

use aftercare_values::Period;
use redis::{
    ErrorKind, RedisError, RedisResult, ScriptInvocation, ServerErrorKind, aio::ConnectionManager,
};

use self::{
    call::{Retry, run},
    generation::Trusted,
    keys::BoardKeys,
    scripts::{READ, SWAP, UPSERT},
};
use super::{
    BoardError, BoardFuture, BoardKey, BoardResult, Counts, LeagueBoards, Page, Row, Standing,
    rows::{around_reach, last_per_member, page_limit},
};

pub const DEFAULT_KEY_PREFIX: &str = "aftercare:league:";

/// Rows per command when staging a rebuild: each command stays short, so
/// that other clients' commands run between them.
const STAGING_CHUNK: usize = 2_000;

/// How long a rebuild's staged keys outlive a rebuild that died half way.
const STAGING_TTL: Duration = Duration::from_secs(600);

/// Keys per SCAN step when listing boards.
const SCAN_COUNT: usize = 1_000;

#[derive(Debug, Clone)]
pub struct RedisBoardsConfig {
    /// `redis://host:port[/db]`.
    pub url: String,
    /// Put before every key; without braces (they would move the hash tag).
    pub key_prefix: String,
    /// The longest a round trip may take, connecting included, before the
    /// call fails with [`BoardError::Unavailable`].
    pub timeout: Duration,
}

impl RedisBoardsConfig {
    /// The defaults: [`DEFAULT_KEY_PREFIX`], a 500 ms timeout (Redis answers
    /// a read in well under a millisecond; past that, the database answers
    /// sooner).
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
            timeout: Duration::from_millis(500),
        }
    }
}

/// League tables on Redis, through one multiplexed connection that
/// reconnects by itself. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RedisBoards {
    con: ConnectionManager,
    /// A rebuild's staged rows (megabytes for a large board) go through a
    /// connection of their own, so that no read queues behind them.
    bulk: ConnectionManager,
    prefix: String,
    /// The generation key, and the value this process trusts.
    generation: String,
    trusted: Trusted,
    timeout: Duration,
}

impl RedisBoards {
    /// Does not connect: the first call does, and every call after Redis
    /// went away tries again. Must be called within a Tokio runtime. Fails
    /// on a malformed URL or prefix only.
    pub fn new(config: RedisBoardsConfig) -> RedisResult<Self> {
        if !keys::is_valid_prefix(&config.key_prefix) {
            return Err(RedisError::from((
                ErrorKind::InvalidClientConfig,
                "the league tables' key prefix must not hold { or }",
            )));
        }
        Ok(Self {
            con: call::manager(&config.url, config.timeout, Some(config.timeout))?,
            bulk: call::manager(&config.url, config.timeout, None)?,
            generation: keys::generation(&config.key_prefix),
            trusted: Trusted::default(),
            prefix: config.key_prefix,
            timeout: config.timeout,
        })
    }

    fn keys(&self, board: &BoardKey) -> BoardKeys {
        keys::live(&self.prefix, board)
    }

    /// One pipeline or transaction, sent again once if the connection was
    /// found dead (every one sent this way is idempotent).
    async fn query<T: redis::FromRedisValue>(&self, pipe: &redis::Pipeline) -> BoardResult<T> {
        run(&self.con, self.timeout, Retry::Once, |mut con| async move {
            pipe.query_async(&mut con).await
        })
        .await
    }

    async fn invoke<T: redis::FromRedisValue>(
        &self,
        retry: Retry,
        script: &ScriptInvocation<'_>,
    ) -> BoardResult<T> {
        run(&self.con, self.timeout, retry, |mut con| async move {
            script.invoke_async(&mut con).await
        })
        .await
    }

    async fn read(&self, board: &BoardKey, args: ReadArgs<'_>) -> BoardResult<Option<Page>> {
        let keys = self.keys(board);
        let mut invocation = READ.key(&keys.ranking);
        invocation.key(&keys.entries);
        match args {
            ReadArgs::Page { start, count } => invocation.arg("page").arg(start).arg(count),
            ReadArgs::Around { member, k } => invocation.arg("around").arg(member).arg(k),
        };
        // The script is sent by its hash, and loaded first only when Redis
        // lost it (a restart): the hot path carries no script text.
        let pipe = |load: bool| {
            let mut pipe = redis::pipe();
            if load {
                pipe.load_script(&READ).ignore();
            }
            pipe.cmd("GET").arg(&self.generation);
            pipe.invoke_script(&invocation);
            pipe
        };
        let (generation, reply): (Option<String>, Option<page::Reply>) =
            match self.query(&pipe(false)).await {
                Err(BoardError::Store(e))
                    if e.kind() == ErrorKind::Server(ServerErrorKind::NoScript) =>
                {
                    self.query(&pipe(true)).await?
                }
                answer => answer?,
            };
        self.check_generation(generation).await?;
        reply.map(|r| page::assemble(board, r.into())).transpose()
    }

    async fn stage_and_swap(&self, board: &BoardKey, rows: &[&Row]) -> BoardResult<()> {
        let live = self.keys(board);
        let id = uuid::Uuid::new_v4().simple().to_string();
        let staged = keys::staged(&self.prefix, board, &id);
        let ttl = STAGING_TTL.as_millis() as u64;
        // The staged keys are new and the rows distinct: plain writes, in
        // short commands so that other clients' commands run between them.
        let mut pipe = redis::pipe();
        for chunk in rows.chunks(STAGING_CHUNK) {
            pipe.cmd("ZADD").arg(&staged.ranking);
            for row in chunk {
                pipe.arg(entry::score(row)).arg(&row.member);
            }
            pipe.ignore();
            pipe.cmd("HSET").arg(&staged.entries);
            for row in chunk {
                pipe.arg(&row.member).arg(entry::entry(row));
            }
            pipe.ignore();
        }
        pipe.cmd("PEXPIRE").arg(&staged.ranking).arg(ttl).ignore();
        pipe.cmd("PEXPIRE").arg(&staged.entries).arg(ttl).ignore();
        // The timeout of a round trip for each command's worth of rows.
        let chunks = rows.len().div_ceil(STAGING_CHUNK) as u32;
        run(&self.bulk, self.timeout * chunks, Retry::Once, |mut con| {
            let pipe = &pipe;
            async move { pipe.query_async::<()>(&mut con).await }
        })
        .await?;
        let mut swap = SWAP.key(&staged.ranking);
        swap.key(&staged.entries)
            .key(&live.ranking)
            .key(&live.entries)
            .arg(rows.len());
        // Not sent again: after a lost answer the staged keys are gone.
        let swapped: bool = self.invoke(Retry::Never, &swap).await?;
        if !swapped {
            return Err(BoardError::Inconsistent {
                board: board.to_string(),
                what: "the staged rebuild expired before the swap",
            });
        }
        Ok(())
    }
}

enum ReadArgs<'a> {
    Page { start: u64, count: usize },
    Around { member: &'a str, k: usize },
}

impl LeagueBoards for RedisBoards {
    fn upsert<'a>(&'a self, rows: &'a [(BoardKey, Row)]) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            if rows.is_empty() {
                return Ok(());
            }
            // One script call per board, in the rows' order, all in one
            // pipeline that loads the script first (after a Redis restart
            // it is gone).
            let mut boards: Vec<(&BoardKey, Vec<&Row>)> = Vec::new();
            for (board, row) in rows {
                match boards.iter_mut().find(|(b, _)| *b == board) {
                    Some((_, of_board)) => of_board.push(row),
                    None => boards.push((board, vec![row])),
                }
            }
            let mut pipe = redis::pipe();
            pipe.load_script(&UPSERT).ignore();
            pipe.cmd("GET").arg(&self.generation);
            for (board, rows) in &boards {
                let keys = self.keys(board);
                let mut upsert = UPSERT.key(&keys.ranking);
                upsert.key(&keys.entries);
                for row in rows {
                    upsert
                        .arg(entry::score(row))
                        .arg(&row.member)
                        .arg(row.version)
                        .arg(entry::entry(row));
                }
                pipe.invoke_script(&upsert).ignore();
            }
            // Written either way: after a loss the caller rebuilds them.
            let (generation,): (Option<String>,) = self.query(&pipe).await?;
            self.check_generation(generation).await
        })
    }

    fn remove<'a>(&'a self, board: &'a BoardKey, members: &'a [String]) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            if members.is_empty() {
                return Ok(());
            }
            let keys = self.keys(board);
            let mut pipe = redis::pipe();
            pipe.atomic();
            pipe.cmd("ZREM").arg(&keys.ranking).arg(members).ignore();
            pipe.cmd("HDEL").arg(&keys.entries).arg(members).ignore();
            self.query(&pipe).await
        })
    }

    fn replace<'a>(&'a self, board: &'a BoardKey, rows: &'a [Row]) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            let rows = last_per_member(rows);
            if rows.is_empty() {
                return self.delete(board).await;
            }
            self.stage_and_swap(board, &rows).await
        })
    }

    fn page<'a>(&'a self, board: &'a BoardKey, offset: u64, limit: usize) -> BoardFuture<'a, Page> {
        Box::pin(async move {
            let count = page_limit(limit);
            // A sorted set holds fewer than 2^32 members: past that, nothing
            // is there, and the script's arithmetic stays exact.
            let start = offset.min(u32::MAX.into());
            let page = self.read(board, ReadArgs::Page { start, count }).await?;
            Ok(page.unwrap_or_default())
        })
    }

    fn around<'a>(
        &'a self,
        board: &'a BoardKey,
        member: &'a str,
        k: usize,
    ) -> BoardFuture<'a, Option<Page>> {
        Box::pin(async move {
            let k = around_reach(k);
            self.read(board, ReadArgs::Around { member, k }).await
        })
    }

    fn rows<'a>(&'a self, at: &'a [(BoardKey, String)]) -> BoardFuture<'a, Vec<Option<Row>>> {
        Box::pin(async move {
            if at.is_empty() {
                return Ok(Vec::new());
            }
            let mut pipe = redis::pipe();
            for (board, member) in at {
                pipe.cmd("HGET").arg(self.keys(board).entries).arg(member);
            }
            let found: Vec<Option<Vec<u8>>> = self.query(&pipe).await?;
            at.iter()
                .zip(found)
                .map(|((board, member), stored)| {
                    stored
                        .map(|stored| {
                            entry::row(member.clone(), stored).ok_or_else(|| {
                                BoardError::Inconsistent {
                                    board: board.to_string(),
                                    what: "an entry is malformed",
                                }
                            })
                        })
                        .transpose()
                })
                .collect()
        })
    }

    fn standings<'a>(
        &'a self,
        at: &'a [(BoardKey, String)],
    ) -> BoardFuture<'a, Vec<Option<Standing>>> {
        Box::pin(async move {
            if at.is_empty() {
                return Ok(Vec::new());
            }
            let mut pipe = redis::pipe();
            pipe.load_script(&READ).ignore();
            for (board, member) in at {
                let keys = self.keys(board);
                let mut read = READ.key(&keys.ranking);
                read.key(&keys.entries).arg("around").arg(member).arg(0);
                pipe.invoke_script(&read);
            }
            let replies: Vec<Option<page::Reply>> = self.query(&pipe).await?;
            at.iter()
                .zip(replies)
                .map(|((board, _), reply)| {
                    let Some(page) = reply.map(|r| page::assemble(board, r.into())).transpose()?
                    else {
                        return Ok(None);
                    };
                    Ok(page.standings.into_iter().next())
                })
                .collect()
        })
    }

    fn len<'a>(&'a self, board: &'a BoardKey) -> BoardFuture<'a, Counts> {
        Box::pin(async move {
            let keys = self.keys(board);
            let mut pipe = redis::pipe();
            pipe.atomic();
            pipe.cmd("ZCARD").arg(&keys.ranking);
            pipe.cmd("ZCOUNT")
                .arg(&keys.ranking)
                .arg("-inf")
                .arg("(inf");
            let (total, ranked): (u64, u64) = self.query(&pipe).await?;
            Ok(Counts {
                ranked,
                unranked: total.saturating_sub(ranked),
            })
        })
    }

    fn delete<'a>(&'a self, board: &'a BoardKey) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            let keys = self.keys(board);
            let mut pipe = redis::pipe();
            pipe.cmd("DEL")
                .arg(&keys.ranking)
                .arg(&keys.entries)
                .ignore();
            self.query(&pipe).await
        })
    }

    fn boards(&self, period: Period) -> BoardFuture<'_, Vec<BoardKey>> {
        Box::pin(async move {
            let pattern = keys::period_pattern(&self.prefix, period);
            let mut found = BTreeSet::new();
            let mut cursor = 0u64;
            loop {
                let mut pipe = redis::pipe();
                pipe.cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(SCAN_COUNT);
                let ((next, names),): ((u64, Vec<String>),) = self.query(&pipe).await?;
                // SCAN may name a key twice; the set keeps it once.
                found.extend(
                    names
                        .iter()
                        .filter_map(|name| keys::board_of(&self.prefix, name))
                        .filter(|board| board.period() == period),
                );
                if next == 0 {
                    return Ok(found.into_iter().collect());
                }
                cursor = next;
            }
        })
    }

    fn verify(&self) -> BoardFuture<'_, ()> {
        Box::pin(self.verify_generation())
    }
}
