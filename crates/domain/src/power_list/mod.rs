//! 权力清单 (阳光示权): every power a department or a street (乡镇) holds — its type, legal
//! basis, discretion and responsible post — with the risk of its abuse scored from four factors
//! (importance, discretion, likelihood, harm) under the city's configurable weights and
//! thresholds, its control measures, and its flowchart (权力运行流程图) kept as nodes and edges,
//! checked here and drawn as SVG on the server. Draft → published (each change a new version)
//! → retired.
//!
//! Pure rules: the store keeps the items, the server asks these functions before writing.

mod error;
mod flowchart;
mod item;
mod risk;
mod svg;

pub use error::PowerError;
pub use flowchart::{FlowEdge, FlowNode, Flowchart, MAX_NODES, NodeKind};
pub use item::{
    MAX_MEASURES, MAX_TEXT, PowerItemDraft, PowerOwner, PowerState, PowerType, measures_of,
    retire_reason,
};
pub use risk::{FACTORS, MAX_WEIGHT, RiskFactors, RiskLevel, RiskSettings, may_set_risk_settings};
pub use svg::render_svg;
