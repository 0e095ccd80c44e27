//! Partnership records from sentences and tables written for these tests.

mod common;

use kiji::Record;

fn records(text: &str) -> Vec<Record> {
    common::pipeline()
        .process_text("t.md", text)
        .unwrap()
        .records
}

fn pairs(text: &str) -> Vec<(String, String)> {
    records(text)
        .into_iter()
        .map(|r| (r.companies[0].clone(), r.companies[1].clone()))
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn japanese_sentence_patterns() {
    assert_eq!(
        pairs("富士通とNECが量子計算で提携した。"),
        vec![pair("富士通", "NEC")]
    );
    assert_eq!(
        pairs("KDDIはサクラ精工株式会社と業務提携を締結した。"),
        vec![pair("KDDI", "サクラ精工")]
    );
    assert_eq!(
        pairs("日立製作所、アジラ社と協業。"),
        vec![pair("日立製作所", "アジラ")]
    );
    assert_eq!(
        pairs("三井物産は米Vantiq社に出資する。"),
        vec![pair("三井物産", "Vantiq")]
    );
    assert_eq!(
        pairs("コネクトロジ社が開発した配車AIを、ヤマト運輸が導入した。"),
        vec![pair("ヤマト運輸", "コネクトロジ")]
    );
    assert!(
        pairs("富士通とNECはそれぞれ決算を発表した。").is_empty(),
        "no deal term, no record"
    );
}

#[test]
fn directional_deals_carry_roles() {
    let r = records("三井物産は米Vantiq社に約30億円を出資する。");
    let roles: Vec<Option<&str>> = r[0].parties.iter().map(|p| p.role.as_deref()).collect();
    assert_eq!(roles, vec![Some("investor"), Some("investee")]);
    assert_eq!(r[0].amount.as_ref().map(|a| a.value), Some(3e9));
    let r = records("Brightwave Robotics Inc. acquired Lumora for $40 million.");
    let roles: Vec<Option<&str>> = r[0].parties.iter().map(|p| p.role.as_deref()).collect();
    assert_eq!(roles, vec![Some("acquirer"), Some("target")]);
}

#[test]
fn english_sentence_patterns() {
    assert_eq!(
        pairs("Sony partners with Quantia Inc. on sensors."),
        vec![pair("ソニーグループ", "Quantia")]
    );
    assert_eq!(
        pairs("Toyota and NVIDIA signed an agreement on Tuesday."),
        vec![pair("トヨタ自動車", "NVIDIA")]
    );
    assert_eq!(
        pairs("KDDI invested in Lumora Inc. last year."),
        vec![pair("KDDI", "Lumora")]
    );
    let list = pairs("NEC, Honda and Sony have invested in a new SoftBank unit.");
    assert_eq!(
        list,
        vec![
            pair("NEC", "ソフトバンク"),
            pair("本田技研工業", "ソフトバンク"),
            pair("ソニーグループ", "ソフトバンク")
        ]
    );
}

#[test]
fn years_come_from_the_sentence_or_the_paragraph_never_from_targets() {
    let r = records("富士通は2024年3月、NECと協業を始めた。");
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2024), Some("sentence"))
    );
    let r = records("2023年は転機の年だった。富士通はNECと協業を始めた。");
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2023), Some("paragraph"))
    );
    let r = records("富士通はNECと連携し、2030年までに新サービスを提供する。");
    assert_eq!(r[0].year, None);
    let r = records("---\ndate: 2025-01-01\n---\n富士通はNECと協業する。");
    assert_eq!(r[0].year, None, "the publication date is never a deal year");
}

#[test]
fn tables_with_japanese_and_english_headers() {
    let ja = "| 企業 | 提携先 | 年 | 内容 |\n|---|---|---|---|\n| 日立製作所 | Lumora（米国） | 2024年 | 資本業務提携。出資額は50億円 |\n| 富士通 | （社内開発AI） | 2023年 | 独自開発 |\n";
    let r = records(ja);
    assert_eq!(r.len(), 1, "the in-house row gives no record: {r:?}");
    assert_eq!(r[0].companies, vec!["日立製作所", "Lumora"]);
    assert_eq!(r[0].parties[1].country.as_deref(), Some("US"));
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2024), Some("table"))
    );
    assert_eq!(r[0].verb.as_deref(), Some("資本業務提携"));
    assert_eq!(r[0].kind.as_deref(), Some("capital_business_alliance"));
    assert_eq!(
        r[0].amount.as_ref().map(|a| (a.value, a.currency.as_str())),
        Some((5e9, "JPY"))
    );
    let en = "| Company | Partner | Year | Details |\n|---|---|---|---|\n| Toyota | Quantia (US) | 2024 | Joint development of driving software |\n";
    let r = records(en);
    assert_eq!(r[0].companies, vec!["トヨタ自動車", "Quantia"]);
    assert_eq!(r[0].year, Some(2024));
}

#[test]
fn the_same_deal_in_a_table_and_in_prose_is_one_record() {
    let text = "| 企業 | 提携先 | 年 | 内容 |\n|---|---|---|---|\n| 日立製作所 | Lumora（米国） | 2024年 | 資本業務提携 |\n\n日立製作所はLumoraと2025年に資本業務提携を拡大した。";
    let r = records(text);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].evidence.len(), 2);
    assert_eq!(r[0].year, Some(2024), "the table's year wins");
    let sources: Vec<&str> = r[0].evidence.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(sources, vec!["table", "prose"]);
}

#[test]
fn more_japanese_patterns_lists_relative_clauses_and_sources() {
    let three = pairs("日本郵船と商船三井、川崎汽船の3社は、自動運航船の共同開発で提携した。");
    assert_eq!(
        three,
        vec![
            pair("日本郵船", "商船三井"),
            pair("日本郵船", "川崎汽船"),
            pair("商船三井", "川崎汽船")
        ]
    );
    let jv = records("東京電力ホールディングスと中部電力が折半出資するJERAは、火力発電を担う。");
    let names: Vec<Vec<String>> = jv.iter().map(|r| r.companies.clone()).collect();
    assert_eq!(
        names,
        vec![
            vec!["東京電力ホールディングス".to_string(), "JERA".to_string()],
            vec!["中部電力".to_string(), "JERA".to_string()]
        ]
    );
    let r = records("コネクトロジは2024年、KDDIから約5億円の出資を受けた。");
    assert_eq!(r[0].companies, vec!["KDDI", "コネクトロジ"]);
    assert_eq!(r[0].parties[0].role.as_deref(), Some("investor"));
}

#[test]
fn more_english_patterns_clauses_and_joint_ventures() {
    assert_eq!(
        pairs("Google invested $2 billion in Anthropic in 2023, while Amazon has committed up to $8 billion."),
        vec![pair("Google", "Anthropic")]
    );
    let jv = pairs("SoftBank Group and OpenAI formed a joint venture called Lumora Japan.");
    assert!(
        jv.contains(&pair("ソフトバンクグループ", "OpenAI")),
        "{jv:?}"
    );
    let merger = records("Honda and Nissan agreed to begin merger talks.");
    assert_eq!(merger[0].kind.as_deref(), Some("merger"));
    assert!(merger[0].parties.iter().all(|p| p.role.is_none()));
}

#[test]
fn press_release_style_with_company_details_in_brackets() {
    let r = records("株式会社ミライセンサー(本社:東京都港区、代表取締役社長:山田太郎)は、KDDI株式会社(本社:東京都千代田区)と資本業務提携を締結しました。");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].companies, vec!["ミライセンサー", "KDDI"]);
    assert_eq!(r[0].kind.as_deref(), Some("capital_business_alliance"));
}

#[test]
fn english_news_style_appositions_and_legal_forms() {
    let r = pairs("Japan's Mitsubishi Corp said it would take a 20% stake in Vantage Towers for about 1.2 billion euros.");
    assert_eq!(r, vec![pair("三菱商事", "Vantage Towers")]);
    let r = pairs("Toyota Tsusho, the trading arm of Toyota Motor, has teamed up with Reliance Industries to build a plant.");
    assert_eq!(r, vec![pair("豊田通商", "Reliance Industries")]);
}
