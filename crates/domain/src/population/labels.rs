//! Fixed-list fields of a resident record, each with a Chinese label (what registers and
//! spreadsheets say) and a stable English code (what the API and database store).

use super::{LabelKind, PopulationError};

/// Defines a label enum: `as_str` (code), `zh` (label), `parse` accepting either, `ALL`,
/// and serde as the code. One macro so the lists cannot drift apart in behaviour.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:expr,
        { $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $zh:literal; )+ }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const LABELS: &'static [(&'static str, &'static str)] = &[$(($zh, $code)),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)+ }
            }

            /// Accepts the Chinese label or the English code (any ASCII case), trimmed.
            pub fn parse(input: &str) -> Result<Self, PopulationError> {
                let s = input.trim();
                $(
                    if s == $zh || s.eq_ignore_ascii_case($code) {
                        return Ok($name::$variant);
                    }
                )+
                Err(PopulationError::UnknownLabel {
                    kind: $kind,
                    input: s.to_owned(),
                    allowed: Self::LABELS,
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = PopulationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

pub(crate) use labelled_enum;

labelled_enum! {
    /// Relation to the head of household (与户主关系).
    Relation, LabelKind::Relation, {
        Head => "head", "户主";
        Spouse => "spouse", "配偶";
        Child => "child", "子女";
        Parent => "parent", "父母";
        Grandchild => "grandchild", "孙子女";
        Sibling => "sibling", "兄弟姐妹";
        Other => "other", "其他";
    }
}

labelled_enum! {
    /// Political status (政治面貌).
    PoliticalStatus, LabelKind::PoliticalStatus, {
        Masses => "masses", "群众";
        /// Full member (正式党员).
        PartyMember => "party_member", "中共党员";
        /// Probationary member (预备党员); does not count toward a branch's three full members.
        ProbationaryPartyMember => "probationary_party_member", "中共预备党员";
        LeagueMember => "league_member", "共青团员";
        DemocraticParty => "democratic_party", "民主党派";
    }
}

labelled_enum! {
    /// How a household is registered where it lives (户别).
    HouseholdKind, LabelKind::HouseholdKind, {
        /// Holds local household registration (户籍).
        Registered => "registered", "户籍";
        /// Migrant population without local registration (流动).
        Floating => "floating", "流动";
        /// Staying with a registered household (寄住).
        Lodging => "lodging", "寄住";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn pairs<T: Copy>(
        all: &[T],
        f: impl Fn(T) -> (&'static str, &'static str),
    ) -> Vec<(&'static str, &'static str)> {
        all.iter().map(|&v| f(v)).collect()
    }

    #[test]
    fn relation_labels() {
        assert_eq!(
            pairs(Relation::ALL, |r| (r.zh(), r.as_str())),
            [
                ("户主", "head"),
                ("配偶", "spouse"),
                ("子女", "child"),
                ("父母", "parent"),
                ("孙子女", "grandchild"),
                ("兄弟姐妹", "sibling"),
                ("其他", "other"),
            ]
        );
    }

    #[test]
    fn political_status_labels() {
        assert_eq!(
            pairs(PoliticalStatus::ALL, |p| (p.zh(), p.as_str())),
            [
                ("群众", "masses"),
                ("中共党员", "party_member"),
                ("中共预备党员", "probationary_party_member"),
                ("共青团员", "league_member"),
                ("民主党派", "democratic_party"),
            ]
        );
    }

    #[test]
    fn household_kind_labels() {
        assert_eq!(
            pairs(HouseholdKind::ALL, |h| (h.zh(), h.as_str())),
            [
                ("户籍", "registered"),
                ("流动", "floating"),
                ("寄住", "lodging")
            ]
        );
    }

    #[test]
    fn parse_accepts_label_or_code_and_round_trips() {
        for &r in Relation::ALL {
            assert_eq!(Relation::parse(r.zh()), Ok(r));
            assert_eq!(Relation::parse(r.as_str()), Ok(r));
            assert_eq!(r.to_string().parse::<Relation>(), Ok(r));
        }
        for &p in PoliticalStatus::ALL {
            assert_eq!(PoliticalStatus::parse(&format!(" {} ", p.zh())), Ok(p));
            assert_eq!(PoliticalStatus::parse(&p.as_str().to_uppercase()), Ok(p));
        }
        for &h in HouseholdKind::ALL {
            assert_eq!(HouseholdKind::parse(h.zh()), Ok(h));
            assert_eq!(HouseholdKind::parse(h.as_str()), Ok(h));
        }
    }

    #[test]
    fn unknown_label_lists_the_choices() {
        let e = Relation::parse("妻子").unwrap_err();
        assert_eq!(e.code(), "invalid_relation");
        assert_eq!(
            e.message_zh(),
            "“妻子”不是有效的与户主关系，可选：户主、配偶、子女、父母、孙子女、兄弟姐妹、其他"
        );
        let e = HouseholdKind::parse("temporary").unwrap_err();
        assert_eq!(e.code(), "invalid_household_kind");
        assert_eq!(
            e.message_en(),
            "'temporary' is not a valid household kind; expected one of: 户籍 (registered), 流动 (floating), 寄住 (lodging)"
        );
        assert_eq!(
            PoliticalStatus::parse("党员").unwrap_err().code(),
            "invalid_political_status"
        );
    }

    #[test]
    fn serde_uses_the_code() {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::Error;
        let r: Result<PoliticalStatus, Error> =
            PoliticalStatus::deserialize("probationary_party_member".into_deserializer());
        assert_eq!(r, Ok(PoliticalStatus::ProbationaryPartyMember));
    }
}
