//! `gongzhi stats`: what the database holds, table by table, and what a case costs on disk.

use gongzhi_store::{GROWS_WITH_CASES, Store};

pub async fn run(store: &Store) -> anyhow::Result<()> {
    let s = store.storage().await?;
    let mb = |b: i64| b as f64 / 1_000_000.0;
    println!(
        "{:<32} {:>12} {:>12} {:>12}",
        "表 table", "行 rows", "MB", "B/案件 case"
    );
    for t in s.tables.iter().filter(|t| t.bytes > 0) {
        let per_case = if s.cases > 0 {
            format!("{:.0}", t.bytes as f64 / s.cases as f64)
        } else {
            "—".into()
        };
        let mark = if GROWS_WITH_CASES.contains(&t.name.as_str()) {
            "*"
        } else {
            ""
        };
        println!(
            "{:<32} {:>12} {:>12.1} {:>12}",
            format!("{}{mark}", t.name),
            t.rows,
            mb(t.bytes),
            per_case
        );
    }
    println!(
        "数据库 database: {:.1} MB, {} 件案件 cases",
        mb(s.database_bytes),
        s.cases
    );
    match s.per_case() {
        Some(b) => println!(
            "每件案件 per case (标 * 的表 tables marked *: the case, its events, log entries and tallies): {b:.0} B"
        ),
        None => println!("每件案件 per case: — (没有案件 no cases)"),
    }
    Ok(())
}
