//! Slices of the rollup cube (decision 035): the day and month sums again at district level
//! along one key (street, community, department, category, channel), a department with a
//! second key (category, street, channel) or a street with one (channel, category). A city- or
//! district-wide dashboard, the common one, then reads a few thousand rows however many
//! communities and cases there are; anything a slice cannot answer exactly (a street or
//! community, a set of communities, a filter pair no slice holds) reads the community rows
//! instead. The slices with many keys also hold 8- and 16-day blocks and quarters (decision
//! 041), so that a long range is a few rows per key. Written by `Deltas::write` in the case's
//! own transaction, from the same day keys.

use crate::cube_time::{Grains, Part};
use crate::error::StoreError;
use crate::sql::{Arg, Sql};
use crate::tallies::{COLUMNS, CubeQuery, Tally, TallyGroup, TallyKey, sum_into};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaLevel;
use std::collections::BTreeMap;

/// The slices each case is summed into: (name, the key values a and b of a day key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dim {
    Street,
    Community,
    Department,
    Category,
    Channel,
    DepartmentCategory,
    DepartmentStreet,
    DepartmentChannel,
    StreetChannel,
    StreetCategory,
}

const DIMS: [Dim; 10] = [
    Dim::Street,
    Dim::Community,
    Dim::Department,
    Dim::Category,
    Dim::Channel,
    Dim::DepartmentCategory,
    Dim::DepartmentStreet,
    Dim::DepartmentChannel,
    Dim::StreetChannel,
    Dim::StreetCategory,
];

impl Dim {
    fn as_str(self) -> &'static str {
        match self {
            Dim::Street => "street",
            Dim::Community => "community",
            Dim::Department => "department",
            Dim::Category => "category",
            Dim::Channel => "channel",
            Dim::DepartmentCategory => "department_category",
            Dim::DepartmentStreet => "department_street",
            Dim::DepartmentChannel => "department_channel",
            Dim::StreetChannel => "street_channel",
            Dim::StreetCategory => "street_category",
        }
    }

    /// The grains beside days and months: blocks and quarters where there are many keys
    /// (a city's communities, streets, categories, departments), where each row saved
    /// counts; the others stay small at any range.
    fn grains(self) -> Grains {
        match self {
            Dim::Street | Dim::Community | Dim::Department | Dim::Category => Grains::ALL,
            _ => Grains::MONTHS,
        }
    }

    fn values(self, k: &TallyKey) -> (String, String) {
        let street = street_of(&k.community);
        match self {
            Dim::Street => (street, String::new()),
            Dim::Community => (k.community.clone(), String::new()),
            Dim::Department => (k.department.clone(), String::new()),
            Dim::Category => (k.category.clone(), String::new()),
            Dim::Channel => (k.channel.clone(), String::new()),
            Dim::DepartmentCategory => (k.department.clone(), k.category.clone()),
            Dim::DepartmentStreet => (k.department.clone(), street),
            Dim::DepartmentChannel => (k.department.clone(), k.channel.clone()),
            Dim::StreetChannel => (street, k.channel.clone()),
            Dim::StreetCategory => (street, k.category.clone()),
        }
    }
}

/// A community's street code (`""` for unlocated cases), as the cube's street grouping keys it.
fn street_of(community: &str) -> String {
    match community.get(..9) {
        Some(s) if !community.is_empty() => format!("{s}000"),
        _ => String::new(),
    }
}

/// (dim, grain, period, district, a, b)
type SliceKey = (&'static str, &'static str, String, String, String, String);

/// The slice rows a set of day rows adds to, at each grain its slice holds.
pub(crate) fn rows(days: &[(TallyKey, Tally)]) -> Vec<(SliceKey, Tally)> {
    let mut out: BTreeMap<SliceKey, Tally> = BTreeMap::new();
    for (k, t) in days {
        let district = k.community.get(..6).unwrap_or("").to_string();
        // Day keys are made from dates (`key_of`); nothing else reaches here.
        let Some(day) = Date::parse(&k.period) else {
            continue;
        };
        for dim in DIMS {
            let (a, b) = dim.values(k);
            for grain in dim.grains().list() {
                let key = (
                    dim.as_str(),
                    grain.as_str(),
                    grain.period_of(day),
                    district.clone(),
                    a.clone(),
                    b.clone(),
                );
                sum_into(out.entry(key).or_insert([0; 19]), t, 1);
            }
        }
    }
    out.into_iter()
        .filter(|(_, t)| t.iter().any(|v| *v != 0))
        .collect()
}

/// Adds slice rows in the caller's transaction.
pub(crate) async fn write<X: crate::exec::Exec>(
    x: &mut X,
    rows: Vec<(SliceKey, Tally)>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(200) {
        let mut sql = Sql::new("INSERT INTO case_slices (dim, grain, period, district, a, b");
        for c in COLUMNS {
            sql.push(", ").push(c);
        }
        sql.push(") VALUES ");
        sql.values(
            chunk
                .iter()
                .map(|((dim, grain, period, district, a, b), t)| {
                    let mut row = vec![
                        Arg::Text((*dim).into()),
                        Arg::Text((*grain).into()),
                        Arg::Text(period.clone()),
                        Arg::Text(district.clone()),
                        Arg::Text(a.clone()),
                        Arg::Text(b.clone()),
                    ];
                    row.extend(t.iter().map(|v| Arg::Int(*v)));
                    row
                }),
        );
        sql.push(" ON CONFLICT (dim, grain, period, district, a, b) DO UPDATE SET ");
        for (i, c) in COLUMNS.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(&format!("{c} = case_slices.{c} + excluded.{c}"));
        }
        x.execute(&sql).await?;
    }
    Ok(())
}

/// How a query reads the slices: which slice, its key expression, and the conditions on
/// `a` and `b` (a list: any of these values).
pub(crate) struct Plan {
    dim: Dim,
    key: &'static str,
    a: Vec<String>,
    b: Vec<String>,
}

/// The slice that answers `q` exactly, if one does.
pub(crate) fn plan(q: &CubeQuery) -> Option<Plan> {
    if q.communities.is_some() {
        return None;
    }
    if let Some(area) = &q.area
        && !matches!(
            area.level(),
            AreaLevel::Province | AreaLevel::City | AreaLevel::District
        )
    {
        return None;
    }
    use TallyGroup as G;
    let time = matches!(q.group, G::Month | G::Day | G::Total);
    let dept = q.department.clone().map(|d| vec![d]).unwrap_or_default();
    let cats = q.categories.clone();
    let chan = q.channel.clone().map(|c| vec![c]).unwrap_or_default();
    let p = |dim, key, a: Vec<String>, b: Vec<String>| Some(Plan { dim, key, a, b });
    match (!dept.is_empty(), !cats.is_empty(), !chan.is_empty()) {
        (false, false, false) => match q.group {
            G::Street => p(Dim::Street, "a", vec![], vec![]),
            G::Community => p(Dim::Community, "a", vec![], vec![]),
            G::Department => p(Dim::Department, "a", vec![], vec![]),
            G::Category => p(Dim::Category, "a", vec![], vec![]),
            G::Channel => p(Dim::Channel, "a", vec![], vec![]),
            _ if time => p(Dim::Channel, "", vec![], vec![]),
            _ => None,
        },
        (true, false, false) => match q.group {
            G::Department => p(Dim::Department, "a", dept, vec![]),
            G::Category => p(Dim::DepartmentCategory, "b", dept, vec![]),
            G::Street => p(Dim::DepartmentStreet, "b", dept, vec![]),
            G::Channel => p(Dim::DepartmentChannel, "b", dept, vec![]),
            _ if time => p(Dim::DepartmentChannel, "", dept, vec![]),
            _ => None,
        },
        (false, true, false) => match q.group {
            G::Category => p(Dim::Category, "a", cats, vec![]),
            G::Department => p(Dim::DepartmentCategory, "a", vec![], cats),
            G::Street => p(Dim::StreetCategory, "a", vec![], cats),
            _ if time => p(Dim::Category, "", cats, vec![]),
            _ => None,
        },
        (false, false, true) => match q.group {
            G::Channel => p(Dim::Channel, "a", chan, vec![]),
            G::Department => p(Dim::DepartmentChannel, "a", vec![], chan),
            G::Street => p(Dim::StreetChannel, "a", vec![], chan),
            _ if time => p(Dim::Channel, "", chan, vec![]),
            _ => None,
        },
        (true, true, false) => match q.group {
            G::Category => p(Dim::DepartmentCategory, "b", dept, cats),
            G::Department => p(Dim::DepartmentCategory, "a", dept, cats),
            _ if time => p(Dim::DepartmentCategory, "", dept, cats),
            _ => None,
        },
        (true, false, true) => match q.group {
            G::Channel => p(Dim::DepartmentChannel, "b", dept, chan),
            G::Department => p(Dim::DepartmentChannel, "a", dept, chan),
            _ if time => p(Dim::DepartmentChannel, "", dept, chan),
            _ => None,
        },
        _ => None,
    }
}

impl Plan {
    /// The grains the slice holds.
    pub(crate) fn grains(&self) -> Grains {
        self.dim.grains()
    }

    /// One part of the cube query over the slices: a stretch of rows of one grain.
    pub(crate) fn part(&self, sql: &mut Sql, q: &CubeQuery, part: &Part) {
        // A month grouping reads no quarters (`Store::cube`): every other row lies in a month.
        let key = match (q.group, self.key) {
            (TallyGroup::Month, _) => "substr(period, 1, 7)".to_string(),
            (TallyGroup::Day, _) => "period".to_string(),
            (TallyGroup::Total, _) | (_, "") => "''".to_string(),
            (_, k) => k.to_string(),
        };
        sql.push(&format!("SELECT {key} AS k"));
        for c in COLUMNS {
            sql.push(", ").push(c);
        }
        sql.push(" FROM case_slices WHERE dim = ")
            .bind(Arg::Text(self.dim.as_str().into()))
            .push(" AND grain = ")
            .bind(Arg::Text(part.grain.as_str().into()))
            .push(" AND period >= ")
            .bind(Arg::Text(part.from.clone()))
            .push(" AND period <= ")
            .bind(Arg::Text(part.to.clone()));
        if let Some(a) = &q.area {
            sql.push(" AND district LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        for (col, values) in [("a", &self.a), ("b", &self.b)] {
            if values.is_empty() {
                continue;
            }
            sql.push(&format!(" AND {col} IN ("));
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Text(v.clone()));
            }
            sql.push(")");
        }
    }
}
