//! The columns of each kind: Chinese header, English key, whether required, and what the
//! template's 填写说明 sheet tells the clerk about them.

use crate::kind::Kind;

/// One column of a sheet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Column {
    /// Chinese header, as written on export and in templates.
    pub zh: &'static str,
    /// English key (the record's field name), also accepted as a header on import.
    pub key: &'static str,
    /// An empty cell is an error.
    pub required: bool,
    /// Written as a number; every other column is written and formatted as text so that Excel
    /// keeps leading zeros and long codes intact.
    pub numeric: bool,
    /// Personal data (PIPL): masked on export unless the caller asks otherwise, and never
    /// echoed in error summaries.
    pub personal: bool,
    /// Column width in Excel character units.
    pub width: f64,
    pub format_zh: &'static str,
    pub format_en: &'static str,
    /// A valid example value (the template's example row).
    pub example: &'static str,
    /// The accepted values when the column is a closed list (a dropdown in the template).
    pub choices: &'static [&'static str],
    /// Other Chinese headers that registers commonly use for this column (身份证号码 …),
    /// accepted on import.
    pub aliases: &'static [&'static str],
}

impl Column {
    const fn text(zh: &'static str, key: &'static str, width: f64) -> Column {
        Column {
            zh,
            key,
            required: true,
            numeric: false,
            personal: false,
            width,
            format_zh: "",
            format_en: "",
            example: "",
            choices: &[],
            aliases: &[],
        }
    }

    const fn number(zh: &'static str, key: &'static str, width: f64) -> Column {
        let mut c = Column::text(zh, key, width);
        c.numeric = true;
        c
    }

    const fn describe(
        mut self,
        format_zh: &'static str,
        format_en: &'static str,
        example: &'static str,
    ) -> Column {
        self.format_zh = format_zh;
        self.format_en = format_en;
        self.example = example;
        self
    }

    const fn optional(mut self) -> Column {
        self.required = false;
        self
    }

    const fn personal(mut self) -> Column {
        self.personal = true;
        self
    }

    const fn choices(mut self, choices: &'static [&'static str]) -> Column {
        self.choices = choices;
        self
    }

    const fn aliases(mut self, aliases: &'static [&'static str]) -> Column {
        self.aliases = aliases;
        self
    }

    /// Whether a header cell names this column: the Chinese header or one of its aliases
    /// exactly, or the English key in any case.
    pub fn matches(&self, header: &str) -> bool {
        header == self.zh || header.eq_ignore_ascii_case(self.key) || self.aliases.contains(&header)
    }
}

/// 户别.
pub const HOUSEHOLD_KINDS: &[&str] = &["户籍", "流动", "寄住"];
/// 与户主关系.
pub const RELATIONS: &[&str] = &["户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他"];
/// 政治面貌.
pub const POLITICAL_STATUSES: &[&str] =
    &["群众", "中共党员", "中共预备党员", "共青团员", "民主党派"];

static AREAS: [Column; 3] = [
    Column::text("区划代码", "code", 16.0)
        .describe(
            "12位统计用区划代码，或6位县级代码（GB/T 2260）；请保持文本格式",
            "12-digit statistical division code, or a 6-digit county code (GB/T 2260); keep as text",
            "320508019044",
        )
        .aliases(&["统计用区划代码", "行政区划代码"]),
    Column::text("名称", "name", 24.0)
        .describe(
            "区划名称，1–50个字",
            "name of the area, 1–50 characters",
            "养育巷社区",
        )
        .aliases(&["区划名称", "行政区划名称"]),
    Column::text("城乡分类代码", "urban_rural", 14.0)
        .describe(
            "选填：统计用区划代码表中社区/村的城乡分类，111 主城区、112 城乡结合区、121 镇中心区、122 镇乡结合区、123 特殊区域、210 乡中心区、220 村庄",
            "optional: the urban-rural class the statistical division table gives a community or village: 111, 112, 121, 122, 123, 210 or 220",
            "111",
        )
        .optional()
        .aliases(&["城乡分类", "城乡分类码"]),
];

static DEPARTMENTS: [Column; 2] = [
    Column::text("部门代码", "code", 12.0).describe(
        "部门简码：字母、数字、- 或 _，1–32个字符",
        "short department code: letters, digits, - or _, 1–32 characters",
        "CG",
    ),
    Column::text("部门名称", "name", 28.0).describe(
        "部门全称，1–50个字",
        "full department name, 1–50 characters",
        "城市管理局",
    ),
];

static BUILDINGS: [Column; 7] = [
    Column::text("楼栋编号", "code", 24.0).describe(
        "楼栋唯一编号，一般为“网格编码-3位序号”；不含空格，最长64个字符",
        "unique building code, conventionally \"grid code-3-digit number\"; no spaces, at most 64 characters",
        "320508019044001-001",
    ),
    Column::text("所属网格", "grid", 18.0).describe(
        "15位网格编码（12位社区代码+3位序号）",
        "15-digit grid code (12-digit community code + 3-digit sequence)",
        "320508019044001",
    ),
    Column::text("楼栋名称", "name", 16.0).describe(
        "1–50个字",
        "1–50 characters",
        "1号楼",
    ),
    Column::text("地址", "address", 36.0).describe(
        "详细地址，1–200个字",
        "street address, 1–200 characters",
        "江苏省苏州市姑苏区养育巷1号",
    ),
    Column::number("经度", "lon", 12.0).describe(
        "WGS84经度，十进制度数，-180～180",
        "WGS84 longitude in decimal degrees, -180 to 180",
        "120.6189",
    ),
    Column::number("纬度", "lat", 12.0).describe(
        "WGS84纬度，十进制度数，-90～90",
        "WGS84 latitude in decimal degrees, -90 to 90",
        "31.3105",
    ),
    Column::number("层数", "floors", 8.0).describe(
        "地上层数，整数1–200",
        "number of floors above ground, whole number 1–200",
        "6",
    ),
];

static HOUSEHOLDS: [Column; 4] = [
    Column::text("户编号", "code", 28.0).describe(
        "户唯一编号，一般为“楼栋编号-房号”；不含空格，最长64个字符",
        "unique household code, conventionally \"building code-room\"; no spaces, at most 64 characters",
        "320508019044001-001-0101",
    ),
    Column::text("楼栋编号", "building_code", 24.0).describe(
        "所属楼栋的楼栋编号；不含空格，最长64个字符",
        "code of the building the household lives in; no spaces, at most 64 characters",
        "320508019044001-001",
    ),
    Column::text("房号", "room", 10.0).describe(
        "房号，1–32个字符；请保持文本格式以免丢失前导0",
        "room number, 1–32 characters; keep as text so leading zeros survive",
        "0101",
    ),
    Column::text("户别", "kind", 8.0)
        .describe("户籍、流动或寄住", "户籍 (registered), 流动 (floating) or 寄住 (lodging)", "户籍")
        .choices(HOUSEHOLD_KINDS),
];

static RESIDENTS: [Column; 6] = [
    Column::text("身份证号", "id_number", 22.0)
        .describe(
            "18位居民身份证号（GB 11643），末位可为X；请保持文本格式",
            "18-character resident ID number (GB 11643), may end in X; keep as text",
            "11010519491231002X",
        )
        .personal()
        .aliases(&["身份证号码", "公民身份号码"]),
    Column::text("姓名", "name", 12.0).describe(
        "居民姓名（汉字或少数民族姓名，可含·）",
        "the resident's name (Chinese characters or an ethnic-minority name, may contain ·)",
        "张伟",
    ),
    Column::text("手机号", "phone", 16.0)
        .describe(
            "11位手机号，或带区号的固定电话",
            "11-digit mobile number, or a landline with its area code",
            "13812345678",
        )
        .optional()
        .personal()
        .aliases(&["手机号码", "联系电话"]),
    Column::text("户编号", "household_code", 28.0).describe(
        "所属户的户编号；不含空格，最长64个字符",
        "code of the resident's household; no spaces, at most 64 characters",
        "320508019044001-001-0101",
    ),
    Column::text("与户主关系", "relation", 12.0)
        .describe(
            "户主、配偶、子女、父母、孙子女、兄弟姐妹或其他",
            "relation to the head of household: 户主 (head), 配偶, 子女, 父母, 孙子女, 兄弟姐妹 or 其他",
            "户主",
        )
        .choices(RELATIONS),
    Column::text("政治面貌", "political_status", 14.0)
        .describe(
            "群众、中共党员、中共预备党员、共青团员或民主党派",
            "political status: 群众, 中共党员, 中共预备党员, 共青团员 or 民主党派",
            "中共党员",
        )
        .choices(POLITICAL_STATUSES),
];

pub(crate) fn of(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Areas => &AREAS,
        Kind::Departments => &DEPARTMENTS,
        Kind::Buildings => &BUILDINGS,
        Kind::Households => &HOUSEHOLDS,
        Kind::Residents => &RESIDENTS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_keys_are_unique_per_kind() {
        for kind in Kind::ALL {
            let cols = kind.columns();
            for (i, a) in cols.iter().enumerate() {
                assert!(
                    !a.format_zh.is_empty() && !a.format_en.is_empty(),
                    "{}",
                    a.zh
                );
                assert!(!a.example.is_empty(), "{}", a.zh);
                for b in &cols[i + 1..] {
                    assert_ne!(a.zh, b.zh);
                    assert_ne!(a.key, b.key);
                    for alias in a.aliases {
                        assert!(!b.matches(alias), "{alias}");
                    }
                }
            }
        }
    }

    #[test]
    fn header_matching() {
        let id = &Kind::Residents.columns()[0];
        assert!(id.matches("身份证号"));
        assert!(id.matches("ID_NUMBER"));
        assert!(id.matches("身份证号码"));
        assert!(!id.matches("身份证"));
    }

    #[test]
    fn choice_examples_are_choices() {
        for kind in Kind::ALL {
            for c in kind.columns() {
                if !c.choices.is_empty() {
                    assert!(c.choices.contains(&c.example), "{}", c.zh);
                }
            }
        }
    }
}
