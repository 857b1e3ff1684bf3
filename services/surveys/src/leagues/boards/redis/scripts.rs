//! The Lua scripts, each sent by its hash (EVALSHA) and loaded again when
//! Redis has lost it (after a restart).

use std::sync::LazyLock;

use redis::Script;

pub(super) static READ: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("read.lua")));

pub(super) static UPSERT: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("upsert.lua")));

pub(super) static SWAP: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("swap.lua")));
