//! Value types that every service parses at its edge. Each parser returns an
//! error that says what is wrong; [`FieldViolation`] adds which field it was.

mod field;
pub mod id;
pub mod locale;
pub mod money;
pub mod paging;
pub mod period;
pub mod rate;
pub mod resource;
pub mod text;
pub mod zone;

pub use field::{AtField, FieldViolation};
pub use id::is_valid_id;
pub use locale::{LocaleError, locale};
pub use money::{Currency, MAX_MINOR_UNITS, Money};
pub use paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest, PageToken};
pub use period::Period;
pub use rate::basis_points;
pub use resource::Meta;
pub use zone::OemZone;
