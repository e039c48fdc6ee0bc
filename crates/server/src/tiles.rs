//! A deployment's own map tile service (e.g. 天地图 on a government network), drawn under our
//! layers when configured. Without one the maps draw only what the server holds — grids,
//! roads, names, landmarks — and fetch nothing from elsewhere.

/// A tile URL template (`{z}`, `{x}`, `{y}`, optionally `{s}`) and its attribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileLayer {
    pub url: String,
    pub attribution: String,
}

impl TileLayer {
    /// Checks the template: http(s) or a path on this server, with `{z}`, `{x}` and `{y}`.
    pub fn parse(url: &str, attribution: &str) -> Result<TileLayer, String> {
        let url = url.trim();
        let scheme_ok =
            url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
        if !scheme_ok {
            return Err(format!(
                "tile URL {url}: must start with https://, http:// or / (瓦片地址须以 https://、http:// 或 / 开头)"
            ));
        }
        if let Some(missing) = ["{z}", "{x}", "{y}"].iter().find(|p| !url.contains(**p)) {
            return Err(format!(
                "tile URL {url}: {missing} is missing (瓦片地址缺少 {missing})"
            ));
        }
        if url.contains(['"', '<', '>', ' ']) {
            return Err(format!(
                "tile URL {url}: quotes, spaces and angle brackets are not allowed (瓦片地址含非法字符)"
            ));
        }
        Ok(TileLayer {
            url: url.to_string(),
            attribution: attribution.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_template_needs_its_placeholders() {
        let t = TileLayer::parse(
            "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
            "天地图",
        )
        .unwrap();
        assert_eq!(t.attribution, "天地图");
        assert!(TileLayer::parse("/tiles/{z}/{x}/{y}.png", "").is_ok());
        assert!(TileLayer::parse("https://tiles.example/{z}/{x}.png", "").is_err());
        assert!(TileLayer::parse("javascript:alert(1)/{z}/{x}/{y}", "").is_err());
    }
}
