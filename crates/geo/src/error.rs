use std::fmt;

use gongzhi_domain::Bilingual;

/// Why a GeoJSON grid file was refused. Every variant says what is wrong in Chinese and English
/// (through [`Bilingual`]); feature errors name the feature's position and its grid code.
#[derive(Clone, Debug, PartialEq)]
pub enum GeoError {
    /// The text is not JSON at all.
    InvalidJson { detail: String },
    /// The JSON is not a GeoJSON FeatureCollection.
    NotFeatureCollection { found: String },
    /// Feature number `index` (0-based, in file order) is wrong.
    Feature {
        index: usize,
        /// The feature's `code` property as written, when it has one.
        code: Option<String>,
        problem: FeatureProblem,
    },
}

/// What is wrong with one feature.
#[derive(Clone, Debug, PartialEq)]
pub enum FeatureProblem {
    NotAnObject,
    MissingCode,
    /// `code` is present but not a string (or an integer).
    CodeNotText,
    /// `code` is not a valid 15-digit grid code; the reason comes from the domain's code rules.
    InvalidCode {
        reason_zh: String,
        reason_en: String,
    },
    /// Another feature (at `first_index`) already has this code.
    DuplicateCode {
        first_index: usize,
    },
    MissingName,
    MissingGeometry,
    /// The geometry object is malformed (not valid GeoJSON geometry).
    InvalidGeometry {
        detail: String,
    },
    /// A geometry type other than Polygon or MultiPolygon.
    UnsupportedGeometry {
        kind: String,
    },
    EmptyGeometry,
    /// A ring's last position differs from its first.
    RingNotClosed {
        polygon: usize,
        ring: usize,
    },
    /// A ring with fewer than 4 positions.
    RingTooShort {
        polygon: usize,
        ring: usize,
        positions: usize,
    },
    /// A position with fewer than two numbers.
    BadPosition {
        polygon: usize,
        ring: usize,
        position: usize,
    },
    /// A position outside China's longitude/latitude box.
    OutOfRange {
        lon: f64,
        lat: f64,
    },
}

/// Longitude range accepted for grid coordinates (China's extent, with a margin).
pub const CHINA_LON: (f64, f64) = (73.0, 136.0);
/// Latitude range accepted for grid coordinates (China's extent, with a margin).
pub const CHINA_LAT: (f64, f64) = (3.0, 54.0);

fn ring_zh(polygon: usize, ring: usize) -> String {
    let which = if ring == 0 {
        "外环".to_string()
    } else {
        format!("第 {ring} 个内环")
    };
    format!("第 {} 个多边形的{which}", polygon + 1)
}

fn ring_en(polygon: usize, ring: usize) -> String {
    let which = if ring == 0 {
        "exterior ring".to_string()
    } else {
        format!("interior ring {ring}")
    };
    format!("{which} of polygon {}", polygon + 1)
}

impl FeatureProblem {
    fn code(&self) -> &'static str {
        match self {
            FeatureProblem::NotAnObject => "invalid_feature",
            FeatureProblem::MissingCode => "missing_grid_code",
            FeatureProblem::CodeNotText => "invalid_grid_code",
            FeatureProblem::InvalidCode { .. } => "invalid_grid_code",
            FeatureProblem::DuplicateCode { .. } => "duplicate_grid_code",
            FeatureProblem::MissingName => "missing_grid_name",
            FeatureProblem::MissingGeometry => "missing_geometry",
            FeatureProblem::InvalidGeometry { .. } => "invalid_geometry",
            FeatureProblem::UnsupportedGeometry { .. } => "unsupported_geometry",
            FeatureProblem::EmptyGeometry => "empty_geometry",
            FeatureProblem::RingNotClosed { .. } => "ring_not_closed",
            FeatureProblem::RingTooShort { .. } => "ring_too_short",
            FeatureProblem::BadPosition { .. } => "invalid_position",
            FeatureProblem::OutOfRange { .. } => "coordinate_out_of_range",
        }
    }

    fn field(&self) -> &'static str {
        match self {
            FeatureProblem::NotAnObject => "",
            FeatureProblem::MissingCode
            | FeatureProblem::CodeNotText
            | FeatureProblem::InvalidCode { .. }
            | FeatureProblem::DuplicateCode { .. } => ".properties.code",
            FeatureProblem::MissingName => ".properties.name",
            _ => ".geometry",
        }
    }

    fn zh(&self) -> String {
        match self {
            FeatureProblem::NotAnObject => "不是 GeoJSON Feature 对象".into(),
            FeatureProblem::MissingCode => "缺少属性 code（15 位网格编码）".into(),
            FeatureProblem::CodeNotText => "属性 code 应为 15 位数字字符串".into(),
            FeatureProblem::InvalidCode { reason_zh, .. } => format!("网格编码无效：{reason_zh}"),
            FeatureProblem::DuplicateCode { first_index } => {
                format!("网格编码与第 {} 个要素重复", first_index + 1)
            }
            FeatureProblem::MissingName => "缺少属性 name（网格名称）".into(),
            FeatureProblem::MissingGeometry => "缺少几何图形".into(),
            FeatureProblem::InvalidGeometry { detail } => format!("几何图形格式错误：{detail}"),
            FeatureProblem::UnsupportedGeometry { kind } => {
                format!("几何类型 {kind} 不受支持，只接受 Polygon 或 MultiPolygon")
            }
            FeatureProblem::EmptyGeometry => "几何图形为空，没有任何多边形".into(),
            FeatureProblem::RingNotClosed { polygon, ring } => {
                format!("{}未闭合（首尾坐标不同）", ring_zh(*polygon, *ring))
            }
            FeatureProblem::RingTooShort {
                polygon,
                ring,
                positions,
            } => format!(
                "{}只有 {positions} 个坐标，至少需要 4 个",
                ring_zh(*polygon, *ring)
            ),
            FeatureProblem::BadPosition {
                polygon,
                ring,
                position,
            } => format!(
                "{}的第 {} 个坐标不是 [经度, 纬度]",
                ring_zh(*polygon, *ring),
                position + 1
            ),
            FeatureProblem::OutOfRange { lon, lat } => format!(
                "坐标 ({lon}, {lat}) 超出中国经纬度范围（经度 {}–{}，纬度 {}–{}）",
                CHINA_LON.0, CHINA_LON.1, CHINA_LAT.0, CHINA_LAT.1
            ),
        }
    }

    fn en(&self) -> String {
        match self {
            FeatureProblem::NotAnObject => "is not a GeoJSON Feature object".into(),
            FeatureProblem::MissingCode => "has no `code` property (15-digit grid code)".into(),
            FeatureProblem::CodeNotText => "`code` must be a string of 15 digits".into(),
            FeatureProblem::InvalidCode { reason_en, .. } => {
                format!("has an invalid grid code: {reason_en}")
            }
            FeatureProblem::DuplicateCode { first_index } => {
                format!("repeats the grid code of feature {}", first_index + 1)
            }
            FeatureProblem::MissingName => "has no `name` property (grid name)".into(),
            FeatureProblem::MissingGeometry => "has no geometry".into(),
            FeatureProblem::InvalidGeometry { detail } => {
                format!("has a malformed geometry: {detail}")
            }
            FeatureProblem::UnsupportedGeometry { kind } => {
                format!("has geometry type {kind}; only Polygon or MultiPolygon are accepted")
            }
            FeatureProblem::EmptyGeometry => "has an empty geometry with no polygon".into(),
            FeatureProblem::RingNotClosed { polygon, ring } => format!(
                "{} is not closed (first and last positions differ)",
                ring_en(*polygon, *ring)
            ),
            FeatureProblem::RingTooShort {
                polygon,
                ring,
                positions,
            } => format!(
                "{} has {positions} positions; at least 4 are required",
                ring_en(*polygon, *ring)
            ),
            FeatureProblem::BadPosition {
                polygon,
                ring,
                position,
            } => format!(
                "position {} of {} is not [longitude, latitude]",
                position + 1,
                ring_en(*polygon, *ring)
            ),
            FeatureProblem::OutOfRange { lon, lat } => format!(
                "coordinate ({lon}, {lat}) lies outside China's longitude/latitude range \
                 (lon {}–{}, lat {}–{})",
                CHINA_LON.0, CHINA_LON.1, CHINA_LAT.0, CHINA_LAT.1
            ),
        }
    }
}

impl Bilingual for GeoError {
    fn code(&self) -> &'static str {
        match self {
            GeoError::InvalidJson { .. } => "invalid_geojson",
            GeoError::NotFeatureCollection { .. } => "not_feature_collection",
            GeoError::Feature { problem, .. } => problem.code(),
        }
    }

    fn message_zh(&self) -> String {
        match self {
            GeoError::InvalidJson { detail } => format!("GeoJSON 文件不是有效的 JSON：{detail}"),
            GeoError::NotFeatureCollection { found } => {
                format!("GeoJSON 顶层应为 FeatureCollection，实际为 {found}")
            }
            GeoError::Feature {
                index,
                code,
                problem,
            } => {
                let code = code
                    .as_ref()
                    .map(|c| format!("（网格编码 {c}）"))
                    .unwrap_or_default();
                format!("第 {} 个要素{code}：{}", index + 1, problem.zh())
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            GeoError::InvalidJson { detail } => {
                format!("the GeoJSON file is not valid JSON: {detail}")
            }
            GeoError::NotFeatureCollection { found } => {
                format!("the GeoJSON top level must be a FeatureCollection, found {found}")
            }
            GeoError::Feature {
                index,
                code,
                problem,
            } => {
                let code = code
                    .as_ref()
                    .map(|c| format!(" (grid code {c})"))
                    .unwrap_or_default();
                format!("feature {}{code} {}", index + 1, problem.en())
            }
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            GeoError::Feature { index, problem, .. } => {
                Some(format!("features[{index}]{}", problem.field()))
            }
            _ => None,
        }
    }
}

impl fmt::Display for GeoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for GeoError {}
