//! Helpers shared by the fuzz targets: an independent XML well-formedness check, an in-process
//! driver for the Open311 router, and a tiny xlsx packer. Nothing here re-implements a parser of
//! the project; the targets call the real entry points.

pub mod open311;
pub mod xlsx;
pub mod xml;
