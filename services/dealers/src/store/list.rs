//! The caller's scope on a list: the rows of its region, its dealer, or its
//! stations.

use aftercare_db::list::ListQuery;

use crate::domain::access::ListScope;

/// Columns a list's scope is checked against.
pub(crate) struct ScopeColumns {
    pub(crate) region: &'static str,
    pub(crate) dealer: &'static str,
    /// For station-bound objects: staff restricted to some stations see
    /// only theirs.
    pub(crate) station: Option<&'static str>,
}

pub(crate) trait Scoped {
    /// Restricts the query to what a caller of `scope` may see.
    fn scope(&mut self, scope: &ListScope, columns: ScopeColumns) -> &mut Self;
}

impl Scoped for ListQuery {
    fn scope(&mut self, scope: &ListScope, columns: ScopeColumns) -> &mut Self {
        match scope {
            ListScope::All => self,
            ListScope::Region { region_id } => self.eq(columns.region, region_id.as_str()),
            ListScope::Dealer {
                dealer_id,
                station_ids,
            } => {
                self.eq(columns.dealer, dealer_id.as_str());
                match columns.station {
                    Some(station) if !station_ids.is_empty() => self.any_of(station, station_ids),
                    _ => self,
                }
            }
        }
    }
}
