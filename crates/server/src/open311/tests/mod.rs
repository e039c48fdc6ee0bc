//! Open311 GeoReport v2 conformance: every endpoint in JSON and XML, errors included, against an
//! in-memory port.

mod create;
mod discovery;
mod fake;
mod harness;
mod lookup;
mod requests;
mod services;
mod surface;
mod xmltree;
