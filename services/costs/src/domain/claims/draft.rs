//! The lines of a claim: every issued parts line at the unified list price
//! in force at the RO's arrival, then every labour line at standard hours ×
//! the warranty labour rate in force then.

use super::{ClaimLine, LineKind};
use crate::domain::{amounts, delivered::Delivered};

/// The lines of `ro`'s claim, unpriced: parts lines first, then labour.
pub fn lines(ro: &Delivered) -> Vec<ClaimLine> {
    let parts = ro.parts.iter().map(|p| ClaimLine {
        line_number: 0,
        kind: LineKind::Part,
        repair_order_line_number: p.line_number,
        part_number: p.part_number.clone(),
        quantity: p.quantity,
        operation_code: String::new(),
        technician_id: String::new(),
        standard_centihours: 0,
        actual_centihours: 0,
        unit_price: None,
        claimed: None,
        approved: None,
        decision_reason: String::new(),
    });
    let labour = ro.labour.iter().map(|l| ClaimLine {
        line_number: 0,
        kind: LineKind::Labour,
        repair_order_line_number: l.line_number,
        part_number: String::new(),
        quantity: 0,
        operation_code: l.operation_code.clone(),
        technician_id: l.technician_id.clone(),
        standard_centihours: l.standard_centihours,
        actual_centihours: l.actual_centihours,
        unit_price: None,
        claimed: None,
        approved: None,
        decision_reason: String::new(),
    });
    parts
        .chain(labour)
        .zip(1..)
        .map(|(line, n)| ClaimLine {
            line_number: n,
            ..line
        })
        .collect()
}

/// Prices `line` at `unit_price` (a part's list price, or the warranty
/// labour rate per hour): quantity × price, or standard hours × rate. A
/// price that overflows leaves the line unpriced.
pub fn price(line: &mut ClaimLine, unit_price: i64) {
    let claimed = match line.kind {
        LineKind::Part => line.quantity.checked_mul(unit_price),
        LineKind::Labour => {
            amounts::per_centihours(unit_price, i64::from(line.standard_centihours))
        }
    };
    if let Some(claimed) = claimed {
        line.unit_price = Some(unit_price);
        line.claimed = Some(claimed);
    }
}

/// The causal part: the first parts line's part, or none.
pub fn causal_part(lines: &[ClaimLine]) -> String {
    lines
        .iter()
        .find(|l| l.kind == LineKind::Part)
        .map(|l| l.part_number.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::fixture::ro;

    /// docs/claims.md, "Drafting": two pads at 45.50, a disc at 120.00
    /// and 1.5 h at the warranty rate of 80.00 claim 91.00 + 120.00 +
    /// 120.00 = 331.00; the causal part is the pad.
    #[test]
    fn drafting_prices_parts_at_list_and_labour_at_standard_hours() {
        let mut lines = lines(&ro());
        let numbers: Vec<_> = lines.iter().map(|l| (l.line_number, l.kind)).collect();
        assert_eq!(
            numbers,
            [
                (1, LineKind::Part),
                (2, LineKind::Part),
                (3, LineKind::Labour)
            ]
        );
        price(&mut lines[0], 4_550);
        price(&mut lines[1], 12_000);
        price(&mut lines[2], 8_000);
        let claimed: Vec<_> = lines.iter().map(|l| l.claimed).collect();
        assert_eq!(claimed, [Some(9_100), Some(12_000), Some(12_000)]);
        assert_eq!(super::super::Claim::claimed_total(&lines), Ok(33_100));
        assert_eq!(causal_part(&lines), "PAD-1");
    }

    #[test]
    fn an_unpriced_line_claims_nothing_yet() {
        let mut lines = lines(&ro());
        price(&mut lines[0], 4_550);
        assert_eq!(lines[1].claimed, None);
        assert_eq!(super::super::Claim::claimed_total(&lines), Ok(9_100));
    }
}
