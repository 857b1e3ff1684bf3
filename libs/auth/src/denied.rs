//! The one vocabulary every service refuses access in.

/// Why a principal may not do something to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The caller may not know the object exists: answered as if it did
    /// not (NOT_FOUND), so that ids of other dealers' objects leak nothing.
    Invisible,
    /// The caller sees the object (or its kind) but its role may not do
    /// this (PERMISSION_DENIED); the text says why, to the caller.
    NotAllowed(&'static str),
}
