//! A scorecard as an .xlsx workbook: Chinese headers in a bold, frozen first row, counts as
//! numbers and rates as numbers formatted `0.00%` (so Excel can still sort and chart them),
//! the 合计 row last, and a second sheet stating the range, weights and formulas.

use super::rollup::{GroupRow, RATE_NAMES, Scorecard};
use gongzhi_domain::metrics::Counters;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

/// Name of the sheet explaining the figures.
pub const NOTES_SHEET: &str = "口径";

fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    g: &GroupRow,
    pct: &Format,
    bold: Option<&Format>,
) -> Result<(), XlsxError> {
    match bold {
        Some(b) => sheet.write_string_with_format(r, 0, &g.label, b)?,
        None => sheet.write_string(r, 0, &g.label)?,
    };
    sheet.write_string(r, 1, &g.key)?;
    let mut c = 2u16;
    for (_, n) in g.counters.rows() {
        sheet.write_number(r, c, n as f64)?;
        c += 1;
    }
    sheet.write_number(r, c, g.follow_ups.valid as f64)?;
    c += 1;
    for v in g.rates.values() {
        match v {
            // The rates are rounded percentages; the cell holds the fraction Excel formats.
            Some(p) => sheet.write_number_with_format(r, c, p / 100.0, pct)?,
            None => sheet.write_string(r, c, "—")?,
        };
        c += 1;
    }
    Ok(())
}

/// The workbook bytes.
pub fn workbook(card: &Scorecard) -> Result<Vec<u8>, XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF2F2F2))
        .set_border_bottom(FormatBorder::Thin);
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.00%");
    let by = card.by;

    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name(format!("按{}", by.zh()))?;
    let mut heads: Vec<&str> = vec![by.zh(), "代码"];
    heads.extend(Counters::default().rows().map(|(zh, _)| zh));
    heads.push("有效回访");
    heads.extend(RATE_NAMES.map(|(zh, _)| zh));
    for (c, h) in heads.iter().enumerate() {
        let c = c as u16;
        sheet.set_column_width(c, if c == 0 { 18 } else { 11 })?;
        sheet.write_string_with_format(0, c, *h, &header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut r = 1u32;
    for g in &card.groups {
        write_row(sheet, r, g, &pct, None)?;
        r += 1;
    }
    write_row(sheet, r, &card.total, &pct, Some(&bold))?;

    let notes = wb.add_worksheet();
    notes.set_name(NOTES_SHEET)?;
    notes.set_column_width(0, 14)?;
    notes.set_column_width(1, 70)?;
    let w = &card.weights;
    let lines = [
        (
            "统计范围",
            format!("上报日期 {} 至 {}（北京时间）", card.from, card.to),
        ),
        ("分组", by.zh().to_string()),
        ("结案率", "结案 ÷ 应结案".to_string()),
        ("按期结案率", "按期结案 ÷ 应结案".to_string()),
        ("准确派遣率", "准确派遣 ÷ 派遣".to_string()),
        ("按期处置率", "按期处置 ÷ 应处置".to_string()),
        ("响应率", "已联系 ÷ 有效回访".to_string()),
        ("解决率", "已解决 ÷ 有效回访".to_string()),
        (
            "满意率",
            format!("（满意 + {} × 基本满意）÷ 有效回访", w.basically_satisfied),
        ),
        (
            "综合成绩",
            format!(
                "{} × 响应率 + {} × 解决率 + {} × 满意率",
                w.response, w.resolution, w.satisfaction
            ),
        ),
        ("—", "分母为 0，无法计算".to_string()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        notes.write_string_with_format(i as u32, 0, *k, &bold)?;
        notes.write_string(i as u32, 1, v)?;
    }
    wb.save_to_buffer()
}
