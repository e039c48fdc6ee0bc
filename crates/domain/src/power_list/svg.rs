//! Draws a checked flowchart as SVG: a top-down layered layout (a node's layer is its distance
//! from the start), boxes centred in their layer, Chinese text wrapped to the box, forward edges
//! as straight arrows and edges going back (补正 loops) routed along a lane on the right. The
//! drawing scales through its viewBox, so it fits a 375 px phone without horizontal scroll and
//! prints on one page width. Every node's full text is also its `<title>` (read aloud, shown on
//! hover), and every branch label is drawn.

use super::{Flowchart, NodeKind};
use std::collections::HashMap;
use std::fmt::Write;

const BOX_W: f64 = 168.0;
const GAP_X: f64 = 20.0;
const GAP_Y: f64 = 46.0;
const MARGIN: f64 = 12.0;
const LINE_H: f64 = 19.0;
const SMALL_H: f64 = 16.0;
const PAD: f64 = 10.0;
const FONT: f64 = 14.0;
const SMALL: f64 = 12.0;
const LANE: f64 = 14.0;
/// A decision's hexagon points stick out this far into its box.
const POINT: f64 = 16.0;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text broken into lines no wider than `width` px at `font` px (a CJK character is one em,
/// Latin letters and digits about half).
fn wrap(text: &str, width: f64, font: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = if c.is_ascii() { 0.56 * font } else { font };
        if used + w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0.0;
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

struct Placed {
    x: f64,
    y: f64,
    h: f64,
    layer: usize,
    text: Vec<String>,
    extra: Vec<String>,
}

fn text_width(kind: NodeKind) -> f64 {
    let inner = BOX_W - 2.0 * PAD;
    if kind == NodeKind::Decision {
        inner - 2.0 * POINT
    } else {
        inner
    }
}

/// The SVG of `chart` (checked), titled `title` for screen readers.
pub fn render_svg(chart: &Flowchart, title: &str) -> String {
    let layers = chart.layers();
    let depth = layers.iter().map(|(_, d)| *d).max().unwrap_or(0) + 1;
    let mut rows: Vec<Vec<&str>> = vec![Vec::new(); depth];
    for (id, d) in &layers {
        rows[*d].push(id.as_str());
    }
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    let content_w = widest * BOX_W + (widest - 1.0) * GAP_X;
    let layer_of: HashMap<&str, usize> = layers.iter().map(|(id, d)| (id.as_str(), *d)).collect();
    let back: Vec<usize> = chart
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| layer_of.get(e.to.as_str()) <= layer_of.get(e.from.as_str()))
        .map(|(i, _)| i)
        .collect();
    let lanes_w = if back.is_empty() {
        0.0
    } else {
        LANE * (back.len() as f64 + 1.0)
    };
    let width = content_w + 2.0 * MARGIN + lanes_w;

    let mut placed: HashMap<&str, Placed> = HashMap::new();
    let mut y = MARGIN;
    for (d, row) in rows.iter().enumerate() {
        let mut row_h: f64 = 0.0;
        let row_w = row.len() as f64 * BOX_W + (row.len().max(1) as f64 - 1.0) * GAP_X;
        let mut x = MARGIN + (content_w - row_w) / 2.0;
        for id in row {
            let Some(n) = chart.node(id) else { continue };
            let tw = text_width(n.kind);
            let text = wrap(&n.text, tw, FONT);
            let mut extra = Vec::new();
            if !n.post.is_empty() {
                extra.extend(wrap(&format!("岗位：{}", n.post), tw, SMALL));
            }
            if !n.limit.is_empty() {
                extra.extend(wrap(&format!("时限：{}", n.limit), tw, SMALL));
            }
            let h = 2.0 * PAD + text.len() as f64 * LINE_H + extra.len() as f64 * SMALL_H;
            row_h = row_h.max(h);
            placed.insert(
                id,
                Placed {
                    x,
                    y,
                    h,
                    layer: d,
                    text,
                    extra,
                },
            );
            x += BOX_W + GAP_X;
        }
        // Boxes of a layer share its top; shorter ones are centred in its height.
        for id in row {
            if let Some(p) = placed.get_mut(id) {
                p.y = y + (row_h - p.h) / 2.0;
            }
        }
        y += row_h + GAP_Y;
    }
    let height = y - GAP_Y + MARGIN;

    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" viewBox="0 0 {width:.0} {height:.0}" width="100%" style="max-width:{width:.0}px;height:auto" role="img" aria-labelledby="flowchart-title" font-family="'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif"><title id="flowchart-title">{}</title><defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>"##,
        esc(title)
    );
    // Edges first, so boxes and labels sit on top.
    let mut labels = String::new();
    let mut lane = 0usize;
    for (i, e) in chart.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (placed.get(e.from.as_str()), placed.get(e.to.as_str())) else {
            continue;
        };
        let (lx, ly);
        if back.contains(&i) {
            lane += 1;
            let x_lane = MARGIN + content_w + LANE * lane as f64;
            let (y1, y2) = (a.y + a.h / 2.0, b.y + b.h / 2.0);
            let _ = write!(
                s,
                r##"<polyline class="edge back" points="{:.1},{y1:.1} {x_lane:.1},{y1:.1} {x_lane:.1},{y2:.1} {:.1},{y2:.1}" fill="none" stroke="#444" stroke-width="1.4" stroke-dasharray="5 3" marker-end="url(#flow-arrow)"/>"##,
                a.x + BOX_W,
                b.x + BOX_W
            );
            lx = x_lane - 4.0;
            ly = (y1 + y2) / 2.0;
        } else {
            let (x1, y1) = (a.x + BOX_W / 2.0, a.y + a.h);
            let (x2, y2) = (b.x + BOX_W / 2.0, b.y);
            let _ = write!(
                s,
                r##"<line class="edge" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#444" stroke-width="1.4" marker-end="url(#flow-arrow)"/>"##
            );
            lx = (x1 + x2) / 2.0;
            ly = y1 + (y2 - y1).min(GAP_Y) / 2.0 + 4.0;
        }
        if !e.label.is_empty() {
            let w = e
                .label
                .chars()
                .map(|c| if c.is_ascii() { 7.0 } else { 12.5 })
                .sum::<f64>()
                + 8.0;
            let anchor_x = if back.contains(&i) {
                lx - w
            } else {
                lx - w / 2.0
            };
            let _ = write!(
                labels,
                r##"<g class="branch"><rect x="{anchor_x:.1}" y="{:.1}" width="{w:.1}" height="17" rx="3" fill="#fff" stroke="#C8161D" stroke-width="0.8"/><text x="{:.1}" y="{ly:.1}" font-size="12" text-anchor="middle" fill="#C8161D">{}</text></g>"##,
                ly - 12.5,
                anchor_x + w / 2.0,
                esc(&e.label)
            );
        }
    }
    for (id, _) in &layers {
        let (Some(n), Some(p)) = (chart.node(id), placed.get(id.as_str())) else {
            continue;
        };
        let _ = write!(
            s,
            r#"<g class="node {}" data-layer="{}"><title>{}</title>"#,
            n.kind.as_str(),
            p.layer,
            esc(&n.text)
        );
        let (x, y, h) = (p.x, p.y, p.h);
        match n.kind {
            NodeKind::Start | NodeKind::End => {
                let fill = if n.kind == NodeKind::Start {
                    "#fdecea"
                } else {
                    "#f2f2f2"
                };
                let _ = write!(
                    s,
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{BOX_W}" height="{h:.1}" rx="{:.1}" fill="{fill}" stroke="#C8161D" stroke-width="1.4"/>"##,
                    (h / 2.0).min(22.0)
                );
            }
            NodeKind::Step => {
                let _ = write!(
                    s,
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{BOX_W}" height="{h:.1}" rx="3" fill="#fff" stroke="#333" stroke-width="1.2"/>"##
                );
            }
            NodeKind::Decision => {
                let (r, m) = (x + BOX_W, y + h / 2.0);
                let _ = write!(
                    s,
                    r##"<polygon points="{:.1},{y:.1} {:.1},{y:.1} {r:.1},{m:.1} {:.1},{:.1} {:.1},{:.1} {x:.1},{m:.1}" fill="#fff8e1" stroke="#a06b00" stroke-width="1.2"/>"##,
                    x + POINT,
                    r - POINT,
                    r - POINT,
                    y + h,
                    x + POINT,
                    y + h
                );
            }
        }
        let cx = x + BOX_W / 2.0;
        let mut ty = y + PAD + FONT;
        for line in &p.text {
            let _ = write!(
                s,
                r##"<text x="{cx:.1}" y="{ty:.1}" font-size="{FONT}" text-anchor="middle" fill="#111">{}</text>"##,
                esc(line)
            );
            ty += LINE_H;
        }
        ty -= LINE_H - SMALL_H;
        for line in &p.extra {
            let _ = write!(
                s,
                r##"<text x="{cx:.1}" y="{ty:.1}" font-size="{SMALL}" text-anchor="middle" fill="#555">{}</text>"##,
                esc(line)
            );
            ty += SMALL_H;
        }
        s.push_str("</g>");
    }
    s.push_str(&labels);
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power_list::flowchart::tests::LICENCE;

    /// The text a reader of the drawing gets: every `<text>` and `<title>`.
    fn drawn_texts(svg: &str) -> String {
        let mut out = String::new();
        let mut rest = svg;
        while let Some(i) = rest.find('>') {
            rest = &rest[i + 1..];
            let end = rest.find('<').unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn every_step_and_branch_is_drawn() {
        let chart = Flowchart::parse(LICENCE).unwrap();
        let svg = render_svg(&chart, "食品经营许可 <流程>");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 ") && svg.contains("width=\"100%\""));
        assert!(svg.contains("&lt;流程&gt;") && !svg.contains("<流程>"));
        let drawn = drawn_texts(&svg);
        for n in &chart.nodes {
            // Its title whole, and its drawn lines in order.
            assert!(
                svg.contains(&format!("<title>{}</title>", esc(&n.text))),
                "{}",
                n.text
            );
            assert!(drawn.contains(&n.text), "{}", n.text);
        }
        for e in chart.edges.iter().filter(|e| !e.label.is_empty()) {
            assert!(svg.contains(&format!(">{}</text>", e.label)), "{}", e.label);
        }
        assert!(drawn.contains("岗位：审批岗") && drawn.contains("时限：3个工作日"));
        // The 补正 loop goes back up along the lane.
        assert_eq!(svg.matches("class=\"edge back\"").count(), 1);
        assert_eq!(svg.matches("<g class=\"node ").count(), 6);
        assert_eq!(svg.matches("<polygon").count(), 1);
    }

    #[test]
    fn long_chinese_text_wraps_inside_the_box() {
        let lines = wrap(
            "对符合条件的申请人当场作出准予行政许可的书面决定并加盖印章",
            148.0,
            14.0,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 10));
        assert_eq!(
            lines.concat(),
            "对符合条件的申请人当场作出准予行政许可的书面决定并加盖印章"
        );
        // A phone-width chart: three boxes across stay within 600 units, scaled by the viewBox.
        let chart = Flowchart::parse(
            "开始 A 受理\n判断 B 是否受理\n结束 C 受理\n结束 D 不予受理\n结束 E 移送\nA -> B\nB -> C : 受理\nB -> D : 不受理\nB -> E : 移送",
        )
        .unwrap();
        let svg = render_svg(&chart, "t");
        let vb: Vec<f64> = svg
            .split("viewBox=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert!(vb[2] < 600.0, "{vb:?}");
    }
}
