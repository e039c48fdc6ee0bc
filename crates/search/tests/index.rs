//! The index on its own: words found through jieba and through bigrams, grants, filters,
//! ranking ties by recency, escaped snippets, the cursor kept with the commit.

use gongzhi_search::{Doc, Query, SearchIndex, Segmenter, area_prefixes};

fn case(id: i64, text: &str, community: &str, at: i64, state: &str) -> Doc {
    let mut grants = vec!["case/*".to_string()];
    grants.extend(
        area_prefixes(community)
            .into_iter()
            .map(|p| format!("case/area:{p}")),
    );
    Doc {
        kind: "case".into(),
        id: id.to_string(),
        title: format!("案件{id}"),
        body: text.into(),
        grants,
        areas: area_prefixes(community),
        categories: vec!["0101".into()],
        state: state.into(),
        at,
        link: format!("/cases/{id}"),
        meta: String::new(),
    }
}

fn q(text: &str, grants: &[&str]) -> Query {
    Query {
        text: text.into(),
        grants: grants.iter().map(|s| s.to_string()).collect(),
        limit: 20,
        ..Default::default()
    }
}

fn ids(ix: &SearchIndex, query: &Query) -> Vec<String> {
    ix.search(query)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn filled(seg: Segmenter) -> SearchIndex {
    let ix = SearchIndex::in_ram(seg).unwrap();
    ix.put(&[
        case(
            1,
            "小区门口垃圾清运不及时，气味很大",
            "110101001001",
            1_000,
            "dispatched",
        ),
        case(2, "路灯坏了，晚上很黑", "110101001001", 2_000, "closed"),
        case(3, "垃圾桶满了没人清理", "110102002001", 3_000, "dispatched"),
        case(
            4,
            "楼道堆放杂物<script>alert(1)</script>垃圾",
            "110102002001",
            4_000,
            "reported",
        ),
    ])
    .unwrap();
    ix.commit("7").unwrap();
    ix
}

#[test]
fn words_are_found_with_either_segmenter() {
    for seg in [Segmenter::Jieba, Segmenter::Bigram] {
        let ix = filled(seg);
        let mut got = ids(&ix, &q("垃圾", &["case/*"]));
        got.sort();
        assert_eq!(got, ["1", "3", "4"], "{seg:?}");
        assert_eq!(ids(&ix, &q("路灯", &["case/*"])), ["2"], "{seg:?}");
        // Every word must be there.
        assert_eq!(
            ids(&ix, &q("垃圾 路灯", &["case/*"])),
            Vec::<String>::new(),
            "{seg:?}"
        );
    }
}

#[test]
fn only_the_callers_grants_are_found() {
    let ix = filled(Segmenter::Jieba);
    let mut got = ids(&ix, &q("垃圾", &["case/area:110102"]));
    got.sort();
    assert_eq!(got, ["3", "4"]);
    assert!(ids(&ix, &q("垃圾", &[])).is_empty());
    assert!(ids(&ix, &q("垃圾", &["notice/public"])).is_empty());
}

#[test]
fn filters_narrow_the_hits() {
    let ix = filled(Segmenter::Jieba);
    let mut query = q("垃圾", &["case/*"]);
    query.states = vec!["dispatched".into()];
    query.area = Some("110101".into());
    assert_eq!(ids(&ix, &query), ["1"]);
    let mut query = q("垃圾", &["case/*"]);
    query.from = Some(2_500);
    query.to = Some(3_500);
    assert_eq!(ids(&ix, &query), ["3"]);
}

#[test]
fn equal_scores_are_newest_first_and_paged() {
    let ix = SearchIndex::in_ram(Segmenter::Jieba).unwrap();
    let docs: Vec<Doc> = (1..=5)
        .map(|i| case(i, "井盖丢失", "110101001001", i * 10, "reported"))
        .collect();
    ix.put(&docs).unwrap();
    ix.commit("").unwrap();
    assert_eq!(ids(&ix, &q("井盖", &["case/*"])), ["5", "4", "3", "2", "1"]);
    let mut page2 = q("井盖", &["case/*"]);
    page2.offset = 2;
    page2.limit = 2;
    let h = ix.search(&page2).unwrap();
    assert_eq!(h.total, 5);
    assert_eq!(
        h.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["3", "2"]
    );
}

#[test]
fn snippets_mark_the_words_and_escape_the_rest() {
    let ix = filled(Segmenter::Jieba);
    let h = ix.search(&q("杂物", &["case/*"])).unwrap();
    let s = &h.hits[0].snippet_html;
    assert!(s.contains("<b>杂物</b>"), "{s}");
    assert!(!s.contains("<script>"), "{s}");
}

#[test]
fn replacing_a_document_keeps_one_and_the_cursor_is_kept() {
    let ix = filled(Segmenter::Jieba);
    ix.put(&[case(2, "路灯修好了", "110101001001", 5_000, "closed")])
        .unwrap();
    ix.commit("9").unwrap();
    assert_eq!(ix.num_docs(), 4);
    assert_eq!(ids(&ix, &q("修好", &["case/*"])), ["2"]);
    assert_eq!(ix.cursor().unwrap().as_deref(), Some("9"));
}

#[test]
fn an_index_on_disk_reopens_with_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ix = SearchIndex::open(dir.path(), Segmenter::Jieba).unwrap();
        ix.put(&[case(1, "噪音扰民", "110101001001", 1, "reported")])
            .unwrap();
        ix.commit("1").unwrap();
    }
    let ix = SearchIndex::open(dir.path(), Segmenter::Jieba).unwrap();
    assert_eq!(ids(&ix, &q("噪音", &["case/*"])), ["1"]);
    drop(ix);
    // Another segmenter is another schema: the folder starts over.
    let ix = SearchIndex::open(dir.path(), Segmenter::Bigram).unwrap();
    assert_eq!(ix.num_docs(), 0);
}
