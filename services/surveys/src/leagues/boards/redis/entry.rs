//! A row as Redis holds it: its member scored in the board's ranking, and an
//! entry `<score> <version> <payload>` under the member in the board's
//! entries. The score is the sort key negated, so that ascending order is
//! best first, or `+inf` for an unranked row, after every ranked one; equal
//! scores order their members bytewise, as [`super::super::MemoryBoards`]
//! does.

use crate::leagues::boards::{MAX_SORT_KEY, Row};

const UNRANKED: &str = "+inf";

/// The score a row is stored with.
pub(super) fn score(row: &Row) -> String {
    match row.sort_key {
        Some(key) => (-key).to_string(),
        None => UNRANKED.to_owned(),
    }
}

pub(super) fn entry(row: &Row) -> Vec<u8> {
    let (score, version) = (score(row), row.version.to_string());
    let mut entry = Vec::with_capacity(score.len() + version.len() + row.payload.len() + 2);
    for field in [score.as_bytes(), version.as_bytes()] {
        entry.extend_from_slice(field);
        entry.push(b' ');
    }
    entry.extend_from_slice(&row.payload);
    entry
}

/// The row `member`'s entry holds, if it is one this code wrote.
pub(super) fn row(member: String, mut entry: Vec<u8>) -> Option<Row> {
    let space = |from: usize| Some(from + entry[from..].iter().position(|&b| b == b' ')?);
    let after_score = space(0)?;
    let after_version = space(after_score + 1)?;
    let sort_key = match std::str::from_utf8(&entry[..after_score]).ok()? {
        UNRANKED => None,
        score => {
            let score: i64 = score.parse().ok()?;
            if score.abs() > MAX_SORT_KEY {
                return None;
            }
            Some(-score)
        }
    };
    let version = std::str::from_utf8(&entry[after_score + 1..after_version])
        .ok()?
        .parse()
        .ok()?;
    // The payload moves to the front of the buffer it came in: no new one.
    entry.drain(..=after_version);
    Some(Row {
        member,
        sort_key,
        version,
        payload: entry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_hold_rows_exactly() {
        let rows = [
            Row::ranked("d-1", -MAX_SORT_KEY, b"a b\0c".to_vec()).unwrap(),
            Row::ranked("d-2", 42, Vec::new()).unwrap().at_version(7),
            Row::unranked("d-3", b"x".to_vec()).unwrap(),
        ];
        assert_eq!(entry(&rows[0]), b"9007199254740992 0 a b\0c");
        assert_eq!(entry(&rows[1]), b"-42 7 ");
        assert_eq!(entry(&rows[2]), b"+inf 0 x");
        for r in rows {
            assert_eq!(row(r.member.clone(), entry(&r)), Some(r));
        }
        for bad in [
            &b"1"[..],
            b"1.5 0 x",
            b"-9007199254740993 0 x",
            b"inf 0 x",
            b"1 x",
            b"1 -1 x",
        ] {
            assert_eq!(
                row("d-1".into(), bad.to_vec()),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
