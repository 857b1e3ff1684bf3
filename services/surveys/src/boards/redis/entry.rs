//! A row as Redis holds it: one sorted-set entry `<member> <score>
//! <version> <payload>`, scored by `<score>`. A top-N read is then one
//! ZRANGE, with no second lookup for the payloads and no double formatted
//! (WITHSCORES).
//!
//! The score is the sort key negated, so that ascending order is best first,
//! or `+inf` for an unranked row, after every ranked one. Equal scores order
//! their entries bytewise, and a space sorts below every byte of an id: the
//! entries of equal scores come in member order.

use crate::boards::{MAX_SORT_KEY, Row};

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
    let mut entry =
        Vec::with_capacity(row.member.len() + score.len() + version.len() + row.payload.len() + 3);
    for field in [row.member.as_bytes(), score.as_bytes(), version.as_bytes()] {
        entry.extend_from_slice(field);
        entry.push(b' ');
    }
    entry.extend_from_slice(&row.payload);
    entry
}

/// The row an entry holds, if it is one this code wrote.
pub(super) fn row(mut entry: Vec<u8>) -> Option<Row> {
    let space = |from: usize| Some(from + entry[from..].iter().position(|&b| b == b' ')?);
    let after_member = space(0)?;
    let after_score = space(after_member + 1)?;
    let after_version = space(after_score + 1)?;
    let member = std::str::from_utf8(&entry[..after_member]).ok()?;
    let sort_key = match std::str::from_utf8(&entry[after_member + 1..after_score]).ok()? {
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
    let member = member.to_owned();
    let payload = entry.split_off(after_version + 1);
    Some(Row {
        member,
        sort_key,
        version,
        payload,
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
        assert_eq!(entry(&rows[0]), b"d-1 9007199254740992 0 a b\0c");
        assert_eq!(entry(&rows[1]), b"d-2 -42 7 ");
        assert_eq!(entry(&rows[2]), b"d-3 +inf 0 x");
        for r in rows {
            assert_eq!(row(entry(&r)), Some(r));
        }
        for bad in [
            &b"d-1"[..],
            b"d-1 1.5 0 x",
            b"d-1 -9007199254740993 0 x",
            b"d-1 inf 0 x",
            b"d-1 1 x",
            b"d-1 1 -1 x",
        ] {
            assert_eq!(row(bad.to_vec()), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn equal_scores_order_entries_by_member() {
        // "a" before "a-b" and "a0": a space is below '-' and the digits.
        let mut entries: Vec<Vec<u8>> = ["a0", "a-b", "a"]
            .iter()
            .map(|m| entry(&Row::ranked(m, 1, b"~".to_vec()).unwrap()))
            .collect();
        entries.sort();
        let members: Vec<String> = entries
            .into_iter()
            .map(|e| row(e).unwrap().member)
            .collect();
        assert_eq!(members, ["a", "a-b", "a0"]);
    }
}
