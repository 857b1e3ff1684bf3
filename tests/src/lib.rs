//! End-to-end tests of the whole system (in `tests/`) and the load tool
//! (`aftercare-load`), whose reusable parts live in [`load`].

pub mod load;
