//! The power list's workbook (public and staff), its import template, and the columns both
//! share with the import: Chinese headers and names; the flowchart in its text form (one line
//! per node and per edge; see `gongzhi_domain::power_list::Flowchart`).

use crate::cases::import_table::{Col, sheet_error};
use crate::error::ApiResult;
use gongzhi_domain::power_list::NodeKind;
use gongzhi_store::PowerItemRow;

/// The columns an import reads, in the export's order; `key` is also the API field name.
pub const COLS: [Col; 12] = [
    Col {
        zh: "编号",
        key: "number",
        required: false,
    },
    Col {
        zh: "事项名称",
        key: "name",
        required: true,
    },
    Col {
        zh: "权力类型",
        key: "power_type",
        required: true,
    },
    Col {
        zh: "实施依据",
        key: "legal_basis",
        required: true,
    },
    Col {
        zh: "自由裁量",
        key: "discretion",
        required: false,
    },
    Col {
        zh: "责任岗位",
        key: "post",
        required: true,
    },
    Col {
        zh: "重要程度",
        key: "importance",
        required: true,
    },
    Col {
        zh: "自由裁量权大小",
        key: "discretion_level",
        required: true,
    },
    Col {
        zh: "发生概率",
        key: "likelihood",
        required: true,
    },
    Col {
        zh: "危害程度",
        key: "harm",
        required: true,
    },
    Col {
        zh: "防控措施",
        key: "measures",
        required: true,
    },
    Col {
        zh: "流程图",
        key: "flowchart",
        required: true,
    },
];

/// Columns the export adds for people; an exported file imports back without them mattering.
pub const NAME_COLS: [&str; 5] = ["所属单位", "风险得分", "风险等级", "状态", "版本"];

fn headers(staff: bool) -> Vec<&'static str> {
    let mut h = vec![NAME_COLS[0]];
    h.extend(COLS.iter().map(|c| c.zh));
    h.extend([NAME_COLS[1], NAME_COLS[2]]);
    if staff {
        h.extend([NAME_COLS[3], NAME_COLS[4]]);
    }
    h
}

pub fn items_xlsx(rows: &[PowerItemRow], staff: bool) -> ApiResult<Vec<u8>> {
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|p| {
            let mut r = vec![
                p.owner_name.clone(),
                p.number.to_string(),
                p.name.clone(),
                p.power_type.zh().to_string(),
                p.legal_basis.clone(),
                p.discretion.clone(),
                p.post.clone(),
                p.factors.importance.to_string(),
                p.factors.discretion.to_string(),
                p.factors.likelihood.to_string(),
                p.factors.harm.to_string(),
                p.measures.join("、"),
                p.flowchart.clone(),
                p.risk_score.to_string(),
                p.risk_level.zh().to_string(),
            ];
            if staff {
                r.push(p.state.zh().to_string());
                r.push(p.version.to_string());
            }
            r
        })
        .collect();
    gongzhi_sheets::write_table("权力清单", &headers(staff), &table).map_err(sheet_error)
}

/// The import template: the columns and one worked example row (delete it before importing).
pub fn template_xlsx() -> ApiResult<Vec<u8>> {
    let example = vec![
        String::new(),
        "1".into(),
        "食品经营许可".into(),
        "行政许可".into(),
        "《中华人民共和国食品安全法》第三十五条".into(),
        "对材料齐全、符合法定形式的，当场或在法定时限内作出决定".into(),
        "许可审批岗".into(),
        "4".into(),
        "3".into(),
        "3".into(),
        "4".into(),
        "岗位教育、动态监控、预警防范".into(),
        format!(
            "{} A 受理申请 | 窗口受理岗 | 当场\n{} B 审查材料 | 许可审批岗 | 10个工作日\n{} C 是否符合条件\n{} D 准予许可\n{} E 不予许可并说明理由\nA -> B\nB -> C\nC -> D : 符合\nC -> E : 不符合",
            NodeKind::Start.zh(),
            NodeKind::Step.zh(),
            NodeKind::Decision.zh(),
            NodeKind::End.zh(),
            NodeKind::End.zh()
        ),
        String::new(),
        String::new(),
    ];
    gongzhi_sheets::write_table("权力清单", &headers(false), &[example]).map_err(sheet_error)
}
