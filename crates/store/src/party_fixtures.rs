//! Party organisations and members in one call each, for tests and demos that need some to
//! assess: written through the members module's own transaction ([`Store::party_tx`]), so the
//! organisation rules apply and each record is logged like any other.

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::{MemberStatus, OrgKind, OrgLevel, PartyMember, PartyOrg};
use gongzhi_domain::population::Gender;

const ACTOR: Actor<'static> = Actor {
    id: None,
    name: "system",
};

impl Store {
    /// A party organisation serving `area`, founded in 2000; its id.
    pub async fn fixture_party_org(
        &self,
        name: &str,
        level: OrgLevel,
        kind: OrgKind,
        area: &AreaCode,
        parent: Option<i64>,
    ) -> Result<i64, StoreError> {
        let org = PartyOrg {
            name: name.into(),
            level,
            kind,
            parent,
            area: *area,
            grid: None,
            compound: None,
            has_committee: false,
            founded_on: Date::new(2000, 1, 1).expect("a date"),
            dissolved_on: None,
        };
        self.create_org(&org, &ACTOR).await
    }

    /// A full party member of `community` in organisation `org`, joined on `joined_on` (full
    /// a year later); its id.
    pub async fn fixture_party_member(
        &self,
        name: &str,
        gender: Gender,
        community: &AreaCode,
        org: Option<i64>,
        joined_on: Date,
    ) -> Result<i64, StoreError> {
        let member = PartyMember {
            name: name.into(),
            gender: gender.zh().into(),
            birth_date: None,
            status: MemberStatus::Full,
            joined_on,
            full_on: Some(joined_on.add_days(365)),
            org,
            resident: None,
            household: None,
            community: *community,
            workplace: None,
            phone: None,
            left_on: None,
        };
        self.create_member(&member, &ACTOR).await
    }
}
