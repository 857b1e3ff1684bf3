//! Who is calling.
//!
//! People and DMS accounts present a JWT to the gateway: Aftercare's own
//! ([`token`]) or one from the OEM's OpenID Connect provider ([`oidc`]). The
//! gateway turns it into a [`Principal`] and hands it to the services as a
//! signed assertion ([`assertion`]) that only holders of the internal key can
//! make. A service trusts nothing else: [`ServiceAuth`] refuses a call
//! without a valid assertion before any handler runs.

pub mod assertion;
mod denied;
mod key;
pub mod oidc;
pub mod peer;
mod principal;
mod service;
pub mod testing;
pub mod token;
mod verifier;

pub use denied::Denied;
pub use key::Secret;
pub use principal::{DEALERS_RELAY, Principal, Role, SURVEYS_RELAY, Scope};
pub use service::{ServiceAuth, caller};
pub use verifier::Verifier;
