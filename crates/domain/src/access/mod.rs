//! Who may do what, where: one function, [`decide`], that every entry point asks.
//!
//! Legend: ✓ always · ✗ never · **in** the target lies inside the scope (an area inside the
//! area scope, a grid whose community is inside it, or the scope's own grid) · **in+↑** inside,
//! or an area enclosing the scope (needed to draw the tree path above the account's patch) ·
//! **map** any area, grid or the whole map (the map holds no personal data) · **in+🔑** inside
//! and the account has `can_unmask`.
//!
//! | Role (scope)                       | ViewArea | ViewGrid | ViewHousehold, ViewResident, EditPopulation | ImportPopulation | ImportGeo | ExportData | UnmaskPersonalData | ManageAccounts | ViewAuditLog | ViewDepartment |
//! |------------------------------------|----------|----------|------|------|------|------|--------|---|------|---|
//! | Admin (All)                        | ✓        | ✓        | ✓    | ✓    | ✓    | ✓    | ✓      | ✓ | ✓    | ✓ |
//! | District (Area, district level)    | in+↑     | in       | in   | in   | in   | in   | in+🔑  | ✗ | ✗    | ✓ |
//! | Street (Area, street level)        | in+↑     | in       | in   | in   | ✗    | in   | in+🔑  | ✗ | ✗    | ✓ |
//! | Community (Area, community level)  | in+↑     | in       | in   | in   | ✗    | in   | in+🔑  | ✗ | ✗    | ✓ |
//! | GridWorker (Grid)                  | in+↑     | in       | in   | ✗    | ✗    | in   | in+🔑  | ✗ | ✗    | ✓ |
//! | Department (Department)            | map      | map      | ✗    | ✗    | ✗    | ✗    | ✗      | ✗ | ✗    | ✓ |
//! | PartyOrg (Area, any level)         | in+↑     | in       | ✗    | ✗    | ✗    | ✗    | ✗      | ✗ | ✗    | ✓ |
//! | Supervisor (Area or All)           | in+↑     | in       | ✗    | ✗    | ✗    | ✗    | ✗      | ✗ | in   | ✓ |
//! | Resident (SelfOnly)                | map      | map      | ✗    | ✗    | ✗    | ✗    | ✗      | ✗ | ✗    | ✓ |
//!
//! Departments are public within the city, so ViewDepartment is allowed on any target.
//! UnmaskPersonalData also governs searching residents by a full ID or phone number (over the
//! region searched): the answer tells whose number it is, so it is an unmask by another name.
//!
//! The closed loop's actions. A case is targeted by its grid (or its community when it has no
//! grid, or everything when it could not be located); HandleCase on a case sent to a
//! department targets `Target::Department(code)` instead, which only that department's scope
//! (and All) covers.
//!
//! | Role                | ReportCase | ViewCase | DispatchCase | VerifyCase | HandleCase | FollowUpCase |
//! |---------------------|------------|----------|--------------|------------|------------|--------------|
//! | Admin               | ✓          | ✓        | ✓            | ✓          | ✓          | ✓            |
//! | District/Street/Community | in   | in       | in           | in         | in         | in           |
//! | GridWorker          | in         | in       | ✗            | in (city setting) | in  | ✗            |
//! | Department          | ✗          | own dept | ✗            | ✗          | own dept   | ✗            |
//! | PartyOrg            | ✗          | ✗        | ✗            | ✗          | ✗          | ✗            |
//! | Supervisor          | ✗          | in       | ✗            | ✗          | ✗          | ✗            |
//! | Resident            | map        | ✗        | ✗            | ✗          | ✗          | ✗            |
//!
//! "city setting": `case::LoopConfig::verification_by_grid` (on by default); the case rules
//! refuse a grid worker's 核查 when it is off.
//!
//! A resident sees, rates and asks to reopen their own case as its reporter; that is decided
//! in `case::decide`, which knows the case.
//!
//! 吹哨报到 and the cadres sent down. BlowWhistle and the street's RateWhistle target the
//! case's place; CheckInWhistle and the department's RateWhistle target the summoned
//! department. Secondments target the host area or the home department, in-service party
//! members the residential community or their own department.
//!
//! | Role                | BlowWhistle | CheckInWhistle | RateWhistle | RecordSecondment, RecordCommunityCheckIn |
//! |---------------------|-------------|----------------|-------------|-------------------|
//! | Admin               | ✓           | ✓              | ✓           | ✓                 |
//! | District/Street     | in          | ✗              | in          | in                |
//! | Community           | in (street grant) | ✗        | in (street grant) | in          |
//! | GridWorker          | ✗           | ✗              | ✗           | ✗                 |
//! | Department          | ✗           | own dept       | own dept    | own dept          |
//! | PartyOrg            | ✗           | ✗              | ✗           | in                |
//! | Supervisor          | ✗           | ✗              | ✗           | ✗                 |
//! | Resident            | ✗           | ✗              | ✗           | ✗                 |
//!
//! "street grant": the access policy allows it inside the community; the case rules then
//! require the street's grant (`case::WhistleConfig::community_grants`).
//!
//! Supervising officials (the appendix). A power list targets its owner (the department, or
//! the street's or district's area); a misconduct report the area it concerns; a supervision
//! order the supervised item's place when issued and the answering unit when answered; a
//! livelihood record its project's area (or the responsible department). Who may see a
//! reporter's identity is decided by the conduct rules (the assigned investigators), not here.
//!
//! | Role                | ManagePowerList | ReportMisconduct | InvestigateMisconduct | IssueSupervision | AnswerSupervision | ManageLivelihood |
//! |---------------------|-----------------|------------------|-----------------------|------------------|-------------------|------------------|
//! | Admin               | ✓               | ✓                | ✓                     | ✓                | ✓                 | ✓                |
//! | District/Street     | in              | map              | ✗                     | in               | in                | in               |
//! | Community           | ✗               | map              | ✗                     | ✗                | in                | in               |
//! | GridWorker, RedMember, CentreStaff, PartyOrg | ✗ | map        | ✗                     | ✗                | ✗                 | ✗                |
//! | Department          | own dept        | map              | ✗                     | ✗                | own dept          | own dept         |
//! | Supervisor          | ✗               | in               | in                    | in               | ✗                 | in               |
//! | Resident            | ✗               | map              | ✗                     | ✗                | ✗                 | ✗                |
//!
//! A principal whose scope does not fit its role is denied everything: Admin needs
//! [`Scope::All`]; District, Street and Community need an area of exactly their own level (a
//! "street" account scoped to a whole district is a misconfiguration, not a promotion);
//! GridWorker needs a grid; Department a non-blank department code; PartyOrg an area;
//! Supervisor an area or All; Resident SelfOnly.
//!
//! Lists ask [`listing`] which rows they may show (the table is in `listing.rs`); no handler
//! matches on roles or scopes itself.

mod action;
mod credentials;
mod denied;
pub mod inquiry;
mod listing;
mod lockout;
mod password;
mod policy;
mod region;
mod role;
mod subject;
#[cfg(test)]
mod tests;
mod throttle;

pub use action::Action;
pub use credentials::{BadLifetime, Lifetime};
pub use denied::{Denied, DenyReason};
pub use listing::{
    List, Listing, confirms_service_hours, grants_whistle, is_staff, listing, needs_whistle_grant,
    offers_street_grants, own_department,
};
pub use lockout::LoginPolicy;
pub use password::password_weakness;
pub use policy::{decide, scope_fits};
pub use region::{Region, serves_grid, visible_region};
pub use role::{Role, UnknownRole};
pub use subject::{Principal, Scope, Target};
pub use throttle::{Bucket, RateLimit, Throttled};
