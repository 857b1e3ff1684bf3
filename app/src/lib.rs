//! The wiring of Aftercare's processes. `main` only parses the command
//! line; everything else is here so that tests start the real wiring.

pub mod cli;
mod demo;
pub mod distributed;
pub mod embedded;
mod keys;
pub mod services;
pub mod settings;
mod shutdown;
