//! The closed loop driven through every path, then by random command sequences.

mod access;
mod calendar_missing;
mod clock;
pub(crate) mod fixtures;
mod paths;
mod props;
mod redirect;
mod whistle;
