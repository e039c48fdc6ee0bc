//! gongzhi-store: one `Store` API over SQLite (embedded default) and PostgreSQL (scale-out).
//!
//! Queries are written once with `$N` placeholders through sqlx's `Any` driver; the two backends
//! differ only in their migrations (see `migrations/`). Every write happens in one transaction
//! that commits before the call returns, so an acknowledged write is durable.

mod accounts;
mod api_keys;
mod api_tokens;
mod assessment;
mod audit;
mod bulk_cases;
mod bulk_import;
mod cadre_roster;
mod cadres;
mod calendar;
mod case_extras;
mod cases;
mod categories;
mod cobuild;
mod conduct;
mod db;
pub mod deliberation;
mod diagnosis;
mod emergencies;
mod error;
mod exec;
mod geo_data;
mod group_commit;
pub use group_commit::GroupCommitStats;
mod cube_time;
mod jobs;
pub mod ledger;
mod lite_readers;
mod lite_writer;
mod livelihood;
mod lookup_keys;
mod lookups;
mod loop_settings;
pub mod map;
mod migrate;
mod notice_board;
pub mod party;
mod party_fixtures;
mod party_life;
pub mod pii;
mod places;
mod population;
mod power_list;
pub mod records;
mod red_grid;
mod rollups;
mod rows;
mod seal_webhooks;
mod search_feed;
mod services;
mod slices;
mod sql;
mod storage;
mod supervision;
mod tallies;
mod webhooks;
mod whistles;

pub use accounts::{
    AccountDraft, AccountRow, LoginOutcome, SessionRow, scope_from_db, scope_to_db,
};
pub use api_keys::ApiKeyRow;
pub use api_tokens::ApiTokenRow;
pub use assessment::{
    AssessedMember, AssessmentFilter, DeductionRow, EvidencePhoto, MemberYearRow, NewDeduction,
    NewRating, RulesVersion, StarRatingRow,
};
pub use audit::{Actor, AuditEntry, PiiAccessEntry};
pub use bulk_cases::{CaseHistory, PreparedCase};
pub use bulk_import::{Bulk, BulkRecord, BulkRow, FEED_CHUNK, FEED_DEPTH, Feed};
pub use cadre_roster::{CadreFilter, CadreRow};
pub use cadres::{CommunityCheckInRow, SecondmentFilter, SecondmentRow, ServiceTaskRow};
pub use case_extras::{NewPhoto, PhotoRow};
pub use cases::{
    CaseChange, CaseDetails, CaseEventRow, CaseFilter, CaseNotification, CaseRow, CaseWriteError,
    EventActor, LOOKUP_CODE_TAKEN, lookup_digest,
};
pub use categories::{CategoryRow, DispatchRuleRow};
pub use cobuild::{
    CoBuildDeliveryRow, CoBuildFilter, CoBuildPhoto, CoBuildWriteError, CommitmentRow, ContractRow,
    NewDelivery,
};
pub use conduct::{
    ActionRecord, ConductWriteError, InvestigatorRow, MisconductEvidenceRow, MisconductFilter,
    MisconductReportRow, NewReport, ReporterIdentity, SignalData,
};
pub use db::{Backend, Store};
pub use deliberation::{
    AttendanceRow, DeliberationFilter, DeliberationMeetingRow, DeliberationWriteError, ItemRow,
    MotionRow, NewTopic, ResolutionRow, Supporter, TopicRow, Voter,
};
pub use diagnosis::{FindingAct, FindingFilter, FindingRow, RunCounts, RunRow};
pub use emergencies::{
    AlertRow, EmergencyBoard, EmergencyFilter, EmergencyRow, NewDrill, ResponseRow,
};
pub use error::{RowProblem, StoreError};
pub use jobs::{JobGuard, Notification};
pub use livelihood::{
    DisclosureRow, InspectionRow, InvestigationRow, LivelihoodFilter, LivelihoodWriteError,
    ProgressRow, ProjectRow, ResponsibilityRow,
};
pub use lookups::Lookups;
pub use notice_board::{
    NoticeAttachmentRow, NoticeFilter, NoticeRow, NoticeVersionRow, NoticeWriteError,
};
pub use party_life::{
    ActivityRow, CompoundStepsRow, EvidenceRow, MeetingRow, NewActivity, NewMeeting, OrgRef,
};
pub use places::PlaceHit;
pub use population::{HouseholdFilter, Page, ResidentFilter};
pub use power_list::{PowerFilter, PowerItemRow, PowerVersionRow, PowerWriteError, Relevelled};
pub use red_grid::{
    GridRoleRow, HouseholdLinkRow, LinkedHouseholdRow, MediationRow, NewVisit, RedGridFilter,
    RedGridWriteError, SeedAccount, SeedLink, SeedRole, SeedVisit, VisitPhoto, VisitRow,
    place_text,
};
pub use rows::{AreaRow, BuildingRow, DepartmentRow, GridRow, HouseholdRow, ResidentRow};
pub use services::{
    AssessmentItemRow, CentrePlace, CentreRow, CountBy, MenuFilter, MenuItemRow, NewCentre,
    NewMenuItem, NewOrder, OrderChannel, OrderFilter, OrderRow, ProviderRow, ServicesWriteError,
    StaffRow,
};
pub use storage::{GROWS_WITH_CASES, Storage, TableStorage};
pub use supervision::{
    SuggestionRow, SupervisedItem, SupervisionFilter, SupervisionHistoryRow, SupervisionRow,
    SupervisionWriteError,
};
pub use tallies::{
    COLUMNS as TALLY_COLUMNS, CubeQuery, GroupTally, Tally, TallyGroup,
    contribution as tally_contribution,
};
pub use webhooks::{
    AttemptError, AttemptRow, CLAIM_LEASE_MS, DeliveryRow, DeliveryStatus, DueDelivery, NewWebhook,
    WebhookEvent, WebhookFormat, WebhookRow, WebhookSecret, redact_url,
};
pub use whistles::WhistleFilter;

/// Milliseconds since the Unix epoch; every time column uses it.
pub type Millis = i64;

pub fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
