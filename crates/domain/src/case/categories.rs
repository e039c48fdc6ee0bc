//! The default category tree: GB/T 30428.2 (CJ/T 214) event and component majors with common
//! minors, and community extension categories under event major 06 扩展事件, which the
//! standard reserves for local additions. The store seeds its editable tree from this data.
//!
//! Codes: `E` (事件, event) or `C` (部件, component), then major (2 digits) and minor
//! (2 digits), e.g. `E0102` 暴露垃圾. Department codes are those of the district's
//! department list (城管 `CG`, 住建 `ZJ`, …); `None` means the locality handles it (属地).

use serde::{Deserialize, Serialize};

use super::DeadlineClass;

/// Event (事件: a situation) or component (部件: a piece of public property).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryKind {
    Event,
    Component,
}

impl CategoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CategoryKind::Event => "event",
            CategoryKind::Component => "component",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            CategoryKind::Event => "事件",
            CategoryKind::Component => "部件",
        }
    }

    /// The first letter of its codes: `E` or `C`.
    pub fn prefix(self) -> char {
        match self {
            CategoryKind::Event => 'E',
            CategoryKind::Component => 'C',
        }
    }
}

/// A major class (大类), e.g. `E01` 市容环境.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Major {
    pub code: &'static str,
    pub kind: CategoryKind,
    pub name: &'static str,
}

/// A leaf category (小类) that cases are filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Category {
    pub code: &'static str,
    pub name: &'static str,
    pub deadline_class: DeadlineClass,
    /// The department it is dispatched to by default; `None`: the locality (属地).
    pub department: Option<&'static str>,
    /// One sentence telling a resident what to include in the report.
    pub guidance: &'static str,
}

impl Category {
    pub fn kind(&self) -> CategoryKind {
        if self.code.starts_with('C') {
            CategoryKind::Component
        } else {
            CategoryKind::Event
        }
    }

    /// The code of its major, e.g. `E01` for `E0102`.
    pub fn major_code(&self) -> &'static str {
        &self.code[..3]
    }
}

const fn major(code: &'static str, kind: CategoryKind, name: &'static str) -> Major {
    Major { code, kind, name }
}

/// Event and component majors, in code order.
pub const MAJORS: [Major; 12] = [
    major("E01", CategoryKind::Event, "市容环境"),
    major("E02", CategoryKind::Event, "宣传广告"),
    major("E03", CategoryKind::Event, "施工管理"),
    major("E04", CategoryKind::Event, "突发事件"),
    major("E05", CategoryKind::Event, "街面秩序"),
    major("E06", CategoryKind::Event, "扩展事件"),
    major("C01", CategoryKind::Component, "公用设施"),
    major("C02", CategoryKind::Component, "道路交通"),
    major("C03", CategoryKind::Component, "市容环境"),
    major("C04", CategoryKind::Component, "园林绿化"),
    major("C05", CategoryKind::Component, "房屋土地"),
    major("C06", CategoryKind::Component, "其他设施"),
];

use DeadlineClass::{Complex, Emergency, General, Utilities};

const fn cat(
    code: &'static str,
    name: &'static str,
    deadline_class: DeadlineClass,
    department: Option<&'static str>,
    guidance: &'static str,
) -> Category {
    Category {
        code,
        name,
        deadline_class,
        department,
        guidance,
    }
}

/// The default leaf categories, in code order.
pub const CATEGORIES: &[Category] = &[
    // E01 市容环境
    cat(
        "E0101",
        "私搭乱建",
        Complex,
        Some("CG"),
        "请拍下搭建物全貌并写明所在楼栋或门牌号、大致搭建时间。",
    ),
    cat(
        "E0102",
        "暴露垃圾",
        General,
        Some("CG"),
        "请拍一张能看清垃圾位置和数量的照片，并写明附近门牌号。",
    ),
    cat(
        "E0103",
        "积存垃圾渣土",
        General,
        Some("CG"),
        "请写明渣土堆放的位置、大致方量和已堆放多久，并附照片。",
    ),
    cat(
        "E0104",
        "道路不洁",
        General,
        Some("CG"),
        "请写明路名和起止路段，拍下污渍或垃圾的范围。",
    ),
    cat(
        "E0105",
        "水域不洁",
        General,
        Some("SW"),
        "请写明河道或水塘名称及岸边位置，拍下漂浮物或污染情况。",
    ),
    cat(
        "E0106",
        "绿地脏乱",
        General,
        Some("YL"),
        "请写明绿地所在道路或小区，拍下垃圾或杂物所在位置。",
    ),
    // E02 宣传广告
    cat(
        "E0201",
        "非法小广告",
        General,
        Some("CG"),
        "请拍下小广告内容和所贴位置，写明楼栋、电线杆编号或门牌号。",
    ),
    cat(
        "E0202",
        "乱张贴",
        General,
        Some("CG"),
        "请拍下张贴物及其所在墙面或设施，并写明具体位置。",
    ),
    cat(
        "E0203",
        "占道广告牌",
        General,
        Some("CG"),
        "请拍下广告牌及其占用的人行道或车道，写明门牌号或店名。",
    ),
    cat(
        "E0204",
        "街头散发广告",
        General,
        Some("CG"),
        "请写明散发广告的地点和时段，可附照片。",
    ),
    // E03 施工管理
    cat(
        "E0301",
        "施工扰民",
        General,
        Some("CG"),
        "请写明工地名称或位置、施工时段（尤其是夜间）和噪声或振动情况。",
    ),
    cat(
        "E0302",
        "工地扬尘",
        General,
        Some("HB"),
        "请写明工地位置，拍下扬尘情况及是否有围挡、覆盖和洒水。",
    ),
    cat(
        "E0303",
        "道路遗撒",
        General,
        Some("CG"),
        "请写明遗撒路段和方向，拍下遗撒物；如看到车辆请记下车牌号。",
    ),
    cat(
        "E0304",
        "违规挖掘道路",
        General,
        Some("ZJ"),
        "请写明挖掘的路段位置，拍下施工现场及是否有公示牌。",
    ),
    // E04 突发事件
    cat(
        "E0401",
        "路面塌陷",
        Emergency,
        Some("ZJ"),
        "请先远离塌陷处，写明准确位置和塌陷大小，并说明是否已设警示。",
    ),
    cat(
        "E0402",
        "自来水管破裂",
        Emergency,
        Some("GS"),
        "请写明漏水位置和水量大小，说明是否影响通行或居民用水。",
    ),
    cat(
        "E0403",
        "燃气泄漏",
        Emergency,
        Some("RQ"),
        "请立即远离现场、不要开关电器，并写明气味所在的楼栋和位置。",
    ),
    cat(
        "E0404",
        "道路积水",
        Emergency,
        Some("SW"),
        "请写明积水路段和大致水深，说明车辆和行人能否通行。",
    ),
    cat(
        "E0405",
        "下水道堵塞或外溢",
        Emergency,
        Some("SW"),
        "请写明外溢的井口或管道位置，拍下外溢范围。",
    ),
    cat(
        "E0406",
        "火灾隐患",
        Emergency,
        Some("XF"),
        "如已起火请立即拨打119；隐患请写明位置并拍下堵塞通道或违规用电等情况。",
    ),
    // E05 街面秩序
    cat(
        "E0501",
        "无照经营游商",
        General,
        Some("CG"),
        "请写明摊点位置、经营时段和经营内容，可附照片。",
    ),
    cat(
        "E0502",
        "占道经营",
        General,
        Some("CG"),
        "请写明店名或门牌号，拍下占用人行道或车道的范围。",
    ),
    cat(
        "E0503",
        "店外经营",
        General,
        Some("CG"),
        "请写明店名或门牌号，拍下在店门外摆放或经营的情况。",
    ),
    cat(
        "E0504",
        "违章接坡",
        General,
        Some("CG"),
        "请写明门牌号，拍下在路沿或人行道上搭设的坡道。",
    ),
    cat(
        "E0505",
        "机动车乱停放",
        General,
        Some("GA"),
        "请写明路段并拍下车辆和车牌号，说明是否堵塞通道。",
    ),
    cat(
        "E0506",
        "非机动车乱停放",
        General,
        Some("CG"),
        "请写明地点，拍下乱停放的车辆和占用的通道。",
    ),
    // E06 扩展事件: community governance categories
    cat(
        "E0601",
        "邻里纠纷",
        General,
        None,
        "请说明纠纷双方所在楼栋门牌（不必写姓名）、事情经过和您希望的解决方式。",
    ),
    cat(
        "E0602",
        "物业管理",
        General,
        Some("ZJ"),
        "请写明小区名称、物业公司和具体问题，以及是否已向物业反映过。",
    ),
    cat(
        "E0603",
        "养老服务",
        General,
        Some("MZ"),
        "请写明老人所在小区和需要的服务（助餐、助浴、上门探访等）。",
    ),
    cat(
        "E0604",
        "停车管理",
        General,
        Some("GA"),
        "请写明小区或路段、停车问题的时段和情况，可附照片。",
    ),
    cat(
        "E0605",
        "噪声扰民",
        General,
        Some("GA"),
        "请写明噪声来源的位置、出现时段和持续时间。",
    ),
    cat(
        "E0606",
        "供水故障",
        Utilities,
        Some("GS"),
        "请写明停水或水压低的楼栋范围、开始时间，以及是否有通知。",
    ),
    cat(
        "E0607",
        "供电故障",
        Utilities,
        Some("GD"),
        "请写明停电的楼栋范围、开始时间，以及邻居家是否也停电。",
    ),
    cat(
        "E0608",
        "供气故障",
        Utilities,
        Some("RQ"),
        "请写明停气或气压低的楼栋范围和开始时间；如闻到燃气味请改报燃气泄漏。",
    ),
    cat(
        "E0609",
        "供暖故障",
        Utilities,
        Some("ZJ"),
        "请写明小区、楼栋和室内温度，以及供暖单位是否已答复。",
    ),
    // C01 公用设施
    cat(
        "C0101",
        "井盖破损丢失",
        Emergency,
        Some("CG"),
        "请在井口旁放置醒目物品提醒行人，写明准确位置并拍下井盖情况。",
    ),
    cat(
        "C0102",
        "路灯不亮",
        General,
        Some("CG"),
        "请写明路段和路灯杆上的编号，说明是一盏还是整段不亮。",
    ),
    cat(
        "C0103",
        "消防栓损坏",
        General,
        Some("XF"),
        "请写明消防栓位置，拍下损坏或漏水情况。",
    ),
    cat(
        "C0104",
        "电力设施损坏",
        Emergency,
        Some("GD"),
        "请远离设施，写明电线杆或配电箱的位置和编号，说明是否有电线外露。",
    ),
    // C02 道路交通
    cat(
        "C0201",
        "交通信号灯故障",
        Emergency,
        Some("GA"),
        "请写明路口名称和故障方向，说明是不亮、常亮还是闪烁。",
    ),
    cat(
        "C0202",
        "交通标志损坏",
        General,
        Some("GA"),
        "请写明标志所在路段和方向，拍下损坏情况。",
    ),
    cat(
        "C0203",
        "道路破损",
        General,
        Some("ZJ"),
        "请写明路名和位置，拍下坑洞或破损的大小。",
    ),
    cat(
        "C0204",
        "护栏损坏",
        General,
        Some("JT"),
        "请写明路段，拍下倒伏或缺失的护栏。",
    ),
    cat(
        "C0205",
        "公交站亭损坏",
        General,
        Some("JT"),
        "请写明站名和方向，拍下损坏部位。",
    ),
    // C03 市容环境
    cat(
        "C0301",
        "公共厕所损坏",
        General,
        Some("CG"),
        "请写明公厕名称或位置，说明损坏的设施（如冲水、照明、门锁）。",
    ),
    cat(
        "C0302",
        "垃圾箱破损",
        General,
        Some("CG"),
        "请写明垃圾箱位置，拍下破损情况。",
    ),
    cat(
        "C0303",
        "广告牌匾破损",
        Emergency,
        Some("CG"),
        "如有坠落危险请远离，写明店名或门牌号并拍下松动或破损部位。",
    ),
    // C04 园林绿化
    cat(
        "C0401",
        "行道树倒伏",
        Emergency,
        Some("YL"),
        "请写明路段和树木位置，说明是否压到车辆、电线或挡住道路。",
    ),
    cat(
        "C0402",
        "绿地破坏",
        General,
        Some("YL"),
        "请写明绿地位置，拍下被踩踏、毁坏或侵占的范围。",
    ),
    cat(
        "C0403",
        "树木缺损",
        General,
        Some("YL"),
        "请写明路段，拍下枯死、缺失或需修剪的树木。",
    ),
    // C05 房屋土地
    cat(
        "C0501",
        "危房隐患",
        Complex,
        Some("ZJ"),
        "请写明房屋地址，拍下裂缝、倾斜或脱落的部位，说明是否有人居住。",
    ),
    cat(
        "C0502",
        "外立面脱落",
        Emergency,
        Some("ZJ"),
        "请远离下方区域，写明楼栋门牌并拍下脱落或松动的部位。",
    ),
    // C06 其他设施
    cat(
        "C0601",
        "健身设施损坏",
        General,
        Some("JY"),
        "请写明设施所在的小区或公园，拍下损坏的器材。",
    ),
    cat(
        "C0602",
        "监控设施损坏",
        General,
        Some("GA"),
        "请写明摄像头的位置，说明损坏或遮挡情况。",
    ),
    cat(
        "C0603",
        "电动车充电设施故障",
        General,
        None,
        "请写明充电桩所在小区和编号，说明故障现象。",
    ),
];

/// The category with `code`, if it is one of the defaults.
pub fn find(code: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.code == code)
}

/// The major with `code` (`E01` …).
pub fn find_major(code: &str) -> Option<&'static Major> {
    MAJORS.iter().find(|m| m.code == code)
}

/// The leaf categories under a major.
pub fn under(major_code: &str) -> impl Iterator<Item = &'static Category> + '_ {
    CATEGORIES
        .iter()
        .filter(move |c| c.major_code() == major_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The district department codes of the demo city (crates/demo/src/places.rs); the
    /// defaults must dispatch only to departments that exist there.
    const DEMO_DEPARTMENTS: &[&str] = &[
        "CG", "ZJ", "MZ", "WJ", "GA", "SJ", "HB", "SW", "JT", "YL", "XF", "JY", "WL", "RS", "ZR",
        "YJ", "SF", "GD", "RQ", "GS", "TX", "SZW", "ZF",
    ];

    #[test]
    fn codes_are_unique_ordered_and_under_their_major() {
        for pair in CATEGORIES.windows(2) {
            assert!(
                pair[0].code < pair[1].code || pair[0].kind() < pair[1].kind(),
                "{} {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in CATEGORIES {
            assert_eq!(c.code.len(), 5, "{}", c.code);
            assert!(
                c.code[1..].bytes().all(|b| b.is_ascii_digit()),
                "{}",
                c.code
            );
            let major = find_major(c.major_code()).unwrap_or_else(|| panic!("{}", c.code));
            assert_eq!(major.kind, c.kind());
            assert_eq!(c.code.chars().next(), Some(c.kind().prefix()));
            assert!(
                !c.name.is_empty() && c.guidance.ends_with('。'),
                "{}",
                c.code
            );
            if let Some(d) = c.department {
                assert!(DEMO_DEPARTMENTS.contains(&d), "{} → {d}", c.code);
            }
        }
    }

    #[test]
    fn every_major_has_minors() {
        for m in MAJORS {
            assert!(under(m.code).count() >= 2, "{}", m.code);
            assert_eq!(&m.code[..1], &m.kind.prefix().to_string());
        }
        let majors: Vec<_> = MAJORS.iter().map(|m| m.name).collect();
        assert_eq!(
            majors,
            [
                "市容环境",
                "宣传广告",
                "施工管理",
                "突发事件",
                "街面秩序",
                "扩展事件",
                "公用设施",
                "道路交通",
                "市容环境",
                "园林绿化",
                "房屋土地",
                "其他设施"
            ]
        );
    }

    #[test]
    fn named_categories() {
        let names: Vec<_> = CATEGORIES.iter().map(|c| c.name).collect();
        for n in [
            "暴露垃圾",
            "积存垃圾渣土",
            "道路不洁",
            "乱张贴",
            "违章接坡",
            "无照经营游商",
            "占道经营",
            "井盖破损丢失",
            "路灯不亮",
            "邻里纠纷",
            "物业管理",
            "养老服务",
            "停车管理",
            "噪声扰民",
        ] {
            assert!(names.contains(&n), "{n}");
        }
        for n in ["供水故障", "供电故障", "供气故障", "供暖故障"] {
            let c = CATEGORIES.iter().find(|c| c.name == n).unwrap();
            assert_eq!(c.deadline_class, DeadlineClass::Utilities, "{n}");
            assert_eq!(c.major_code(), "E06");
        }
        assert_eq!(find("E0102").unwrap().department, Some("CG"));
        assert_eq!(find("E0601").unwrap().department, None);
        assert!(under("E04").all(|c| c.deadline_class == DeadlineClass::Emergency));
        assert_eq!(find("X0101"), None);
    }
}
