//! Names and codes of the demo district: 江苏省苏州市姑苏区 (GB/T 2260 320508), its eight
//! streets (街道) and their communities (社区), the district's departments, and road and
//! compound names for addresses, and the roads.
//!
//! The province, city and district codes are the real GB/T 2260 codes. Street and community
//! names are real names of 姑苏区; their statistical codes are illustrative (township block
//! 001–099 for 街道, community block 001–199 for 居委会), except 320508019044 = 金阊街道
//! 养育巷社区, the example used in the project's domain notes.

pub(crate) const PROVINCE: (&str, &str) = ("320000", "江苏省");
pub(crate) const CITY: (&str, &str) = ("320500", "苏州市");
pub(crate) const DISTRICT: (&str, &str) = ("320508", "姑苏区");

/// Longitude/latitude box of the demo district (west, east, south, north).
pub(crate) const DISTRICT_BOX: (f64, f64, f64, f64) = (120.58, 120.66, 31.28, 31.34);

pub(crate) struct StreetDef {
    pub township: u16,
    pub name: &'static str,
    /// Code of the first community; the others follow consecutively.
    pub first_community: u16,
    pub communities: [&'static str; 6],
}

/// Streets in map order: north row west → east, then south row west → east.
pub(crate) const STREETS: [StreetDef; 8] = [
    StreetDef {
        township: 21,
        name: "白洋湾街道",
        first_community: 1,
        communities: [
            "白洋湾社区",
            "金筑社区",
            "长浜社区",
            "新益社区",
            "金阊新城社区",
            "嘉业社区",
        ],
    },
    StreetDef {
        township: 17,
        name: "虎丘街道",
        first_community: 1,
        communities: [
            "虎丘社区",
            "山塘社区",
            "留园社区",
            "西园社区",
            "虎阜社区",
            "新庄社区",
        ],
    },
    StreetDef {
        township: 20,
        name: "苏锦街道",
        first_community: 1,
        communities: [
            "苏锦社区",
            "平四社区",
            "锦华苑社区",
            "华阳社区",
            "永林社区",
            "春申社区",
        ],
    },
    StreetDef {
        township: 15,
        name: "平江街道",
        first_community: 1,
        communities: [
            "平江路社区",
            "拙政园社区",
            "狮林社区",
            "仓街社区",
            "娄门社区",
            "北寺塔社区",
        ],
    },
    StreetDef {
        township: 19,
        name: "金阊街道",
        first_community: 44,
        communities: [
            "养育巷社区",
            "石路社区",
            "彩香社区",
            "三香社区",
            "桃花坞社区",
            "西中市社区",
        ],
    },
    StreetDef {
        township: 16,
        name: "沧浪街道",
        first_community: 1,
        communities: [
            "南环新村社区",
            "胥江社区",
            "新郭社区",
            "盘溪社区",
            "三元社区",
            "桐泾社区",
        ],
    },
    StreetDef {
        township: 18,
        name: "吴门桥街道",
        first_community: 1,
        communities: [
            "吴门桥社区",
            "南门社区",
            "觅渡社区",
            "友联社区",
            "葑门社区",
            "长船湾社区",
        ],
    },
    StreetDef {
        township: 14,
        name: "双塔街道",
        first_community: 1,
        communities: [
            "干将社区",
            "锦帆路社区",
            "书院巷社区",
            "定慧寺社区",
            "凤凰街社区",
            "文庙社区",
        ],
    },
];

/// East–west roads of the district, north → south, one along every third lattice row: the
/// district's edges, the street and community boundaries between.
pub(crate) const ROADS_EAST_WEST: [&str; 7] = [
    "北环大道",
    "金政街",
    "白塔路",
    "干将路",
    "景德路",
    "十全街",
    "南环大道",
];

/// North–south roads, west → east, one along every third lattice column.
pub(crate) const ROADS_NORTH_SOUTH: [&str; 9] = [
    "西环大道",
    "白洋湾路",
    "留园路",
    "广济路",
    "人民路",
    "临顿路",
    "凤凰街",
    "相门路",
    "东环大道",
];

/// Street blocks on the map: 4 columns × 2 rows.
pub(crate) const STREET_COLS: usize = 4;
pub(crate) const STREET_ROWS: usize = 2;

/// The district's functional departments (职能部门) with their short codes.
pub(crate) const DEPARTMENTS: [(&str, &str); 41] = [
    ("CG", "姑苏区城市管理局"),
    ("ZJ", "姑苏区住房和城乡建设局"),
    ("MZ", "姑苏区民政局"),
    ("WJ", "姑苏区卫生健康委员会"),
    ("GA", "苏州市公安局姑苏分局"),
    ("PCS-PJ", "姑苏分局平江派出所"),
    ("PCS-GQ", "姑苏分局观前派出所"),
    ("PCS-SL", "姑苏分局石路派出所"),
    ("SJ", "姑苏区市场监督管理局"),
    ("HB", "苏州市姑苏生态环境局"),
    ("SW", "姑苏区水务局"),
    ("JT", "姑苏区交通运输局"),
    ("YL", "姑苏区园林和绿化管理局"),
    ("XF", "姑苏区消防救援大队"),
    ("JY", "姑苏区教育体育和文化旅游委员会"),
    ("WL", "姑苏区文化广电和旅游局"),
    ("RS", "姑苏区人力资源和社会保障局"),
    ("ZR", "苏州市自然资源和规划局姑苏分局"),
    ("YJ", "姑苏区应急管理局"),
    ("SF", "姑苏区司法局"),
    ("XX", "姑苏区信访局"),
    ("CL", "姑苏区残疾人联合会"),
    ("FL", "姑苏区妇女联合会"),
    ("TW", "共青团姑苏区委员会"),
    ("GH", "姑苏区总工会"),
    ("YB", "姑苏区医疗保障局"),
    ("SWJ", "国家税务总局苏州市姑苏区税务局"),
    ("GD", "国网苏州供电公司姑苏供电服务中心"),
    ("RQ", "苏州港华燃气姑苏服务所"),
    ("GS", "苏州市自来水公司姑苏营业所"),
    ("TX", "姑苏区通信运营商联合服务中心"),
    ("FG", "姑苏区发展和改革委员会"),
    ("CZ", "姑苏区财政局"),
    ("SWU", "姑苏区商务局"),
    ("TJ", "姑苏区统计局"),
    ("SZW", "姑苏区社区发展治理委员会"),
    ("ZF", "姑苏区委政法委员会（综治中心）"),
    ("WM", "姑苏区文明办"),
    ("ZW", "姑苏区政务服务管理办公室"),
    ("TY", "姑苏区退役军人事务局"),
    ("JW", "姑苏区纪委监委"),
];

/// First characters of residential compound (小区) names.
pub(crate) const COMPOUND_STEMS: [&str; 40] = [
    "彩香",
    "三香",
    "南环",
    "桐泾",
    "盘溪",
    "新郭",
    "胥江",
    "金阊",
    "留园",
    "虎阜",
    "山塘",
    "白洋",
    "平江",
    "拙政",
    "狮林",
    "娄门",
    "仓街",
    "葑门",
    "觅渡",
    "吴门",
    "干将",
    "锦帆",
    "书院",
    "定慧",
    "凤凰",
    "文庙",
    "沧浪",
    "双塔",
    "怡园",
    "网师",
    "沧浪亭",
    "石湖",
    "枫桥",
    "寒山",
    "虎丘",
    "春申",
    "锦华",
    "华阳",
    "永林",
    "嘉业",
];

/// Endings of compound names.
pub(crate) const COMPOUND_SUFFIXES: [&str; 8] =
    ["新村", "一村", "二村", "花园", "小区", "苑", "公寓", "家园"];
