//! The gongzhi domain: codes, access policy and population types, with their validation.
//!
//! Pure on purpose — no I/O, no clock, no async — so every rule here is testable in isolation
//! and the same rules apply in the server, the importer and the CLI.

pub mod access;
pub mod codes;
mod error;
pub mod population;

pub use error::Bilingual;
