//! The party organisation in the system (红色网格, 五步工作法): the organisation tree, its
//! members and the rules the text gives for them. The modules built on it (双找, grid roles and
//! household links, visits, 三会一课, five steps, assessment) are submodules here.

use crate::labelled_enum;

labelled_enum! {
    /// Where an organisation stands in the tree (党委 / 党总支 / 党支部 / 党小组).
    pub enum OrgLevel {
        /// 党委: a primary committee, for 100 members or more.
        Committee = ("committee", "党委", "Party committee"),
        /// 党总支: a general branch, for 50–100 members.
        GeneralBranch = ("general_branch", "党总支", "General branch"),
        /// 党支部: a branch, from 3 full members.
        Branch = ("branch", "党支部", "Branch"),
        /// 党小组: a group inside a branch.
        Group = ("group", "党小组", "Party group"),
    }
}

labelled_enum! {
    /// What an organisation is built on.
    pub enum OrgKind {
        Community = ("community", "社区党组织", "Community"),
        Grid = ("grid", "网格党支部", "Grid"),
        Compound = ("compound", "小区党组织", "Compound"),
        /// 兴趣型党小组: members gathered by an interest.
        Interest = ("interest", "兴趣型党组织", "Interest group"),
        /// 机关: a government organ's organisation.
        Organ = ("organ", "机关党组织", "Government organ"),
        /// 两新组织: an enterprise's or social organisation's.
        Enterprise = ("enterprise", "两新组织党组织", "Enterprise or social organisation"),
    }
}

labelled_enum! {
    /// 正式党员 / 预备党员.
    pub enum MemberStatus {
        Full = ("full", "正式党员", "Full member"),
        Probationary = ("probationary", "预备党员", "Probationary member"),
    }
}

pub mod compound;
pub mod error;
pub mod find;
pub mod five_steps;
pub mod meetings;
pub mod members;
pub mod org;
pub mod units;

pub use compound::Compound;
pub use error::PartyError;
pub use members::{PartyMember, Transfer};
pub use org::{OrgRules, OrgSize, OrgWarning, PartyOrg};
pub use units::{Unit, UnitKind};
