//! End-to-end tests of the whole system (in `tests/`) and the load tool
//! (`aftercare-load`).
