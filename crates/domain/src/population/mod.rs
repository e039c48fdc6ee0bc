//! The population base (人口信息库): who lives in a household and how they are recorded.

mod error;
mod gender;
mod labels;
mod name;

pub use error::{LabelKind, PopulationError};
pub use gender::Gender;
pub use labels::{HouseholdKind, PoliticalStatus, Relation};
pub use name::PersonName;
