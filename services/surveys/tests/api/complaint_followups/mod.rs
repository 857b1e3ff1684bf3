//! What follows a complaint's opening: payments decided by authority
//! limits and counted once by costs, the report of a period with the
//! complaints' standard, the customer's link, and the scorecard's
//! complaints part and corrective actions.

mod compensation;
mod link;
mod report;
mod scorecard;
