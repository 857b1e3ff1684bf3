//! The CPU time this process has used, all threads, user and system: what
//! a call costs the machine when clients and servers share the process,
//! whatever else the machine runs meanwhile. Likewise a server outside it
//! (PostgreSQL, Redis) by its pid, with its children.

use std::time::Duration;

/// Linux counts process times in clock ticks of 1/100 s (`USER_HZ`, 100
/// on every architecture Aftercare runs on).
const TICKS_PER_SECOND: u64 = 100;

/// The process's CPU time so far; None where `/proc/self/stat` is missing
/// or unreadable (not Linux).
pub(crate) fn process_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    parse_stat(&stat)
}

/// The CPU time so far of process `pid` and of its children: a PostgreSQL
/// postmaster and its backends, say, or a Redis server. None where its
/// `/proc` entry is missing or unreadable. A child that ended meanwhile
/// takes its time with it (a pool's connections stay).
pub(crate) fn tree_time(pid: u32) -> Option<Duration> {
    let own = parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)?;
    let children = std::fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| parent(stat) == Some(pid))
        .filter_map(|stat| parse_stat(&stat))
        .sum::<Duration>();
    Some(own + children)
}

/// `ppid`, field 4.
fn parent(stat: &str) -> Option<u32> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// `utime` and `stime` are fields 14 and 15; the command name (field 2)
/// is in parentheses and may hold spaces, so count from its end.
fn parse_stat(stat: &str) -> Option<Duration> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis(
        (user + system) * 1000 / TICKS_PER_SECOND,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_system_time_are_read_after_the_name() {
        let stat = "4242 (aftercare load) R 1 4242 4242 0 -1 4194304 500 0 0 0 \
                    250 75 0 0 20 0 3 0 100 0 0";
        assert_eq!(parse_stat(stat), Some(Duration::from_millis(3250)));
        assert_eq!(parent(stat), Some(1));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn this_process_has_used_some_time() {
        if std::path::Path::new("/proc/self/stat").exists() {
            assert!(process_time().is_some());
            assert!(tree_time(std::process::id()).is_some());
        }
    }
}
