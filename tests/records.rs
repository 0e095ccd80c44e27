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

/// The records stage's candidates of a text, with their feature names.
fn candidates(text: &str) -> kiji::records::Candidates {
    let input = kiji::ingest::Input {
        id: "t.md".into(),
        format: kiji::ingest::Format::Markdown,
        content: kiji::ingest::Content::Bytes(text.as_bytes().to_vec()),
    };
    common::pipeline()
        .process_with_candidates(&input)
        .unwrap()
        .1
}

/// The candidate pairing `a` with `b`, in that order.
fn candidate<'c>(
    candidates: &'c kiji::records::Candidates,
    a: &str,
    b: &str,
) -> &'c kiji::records::Candidate {
    candidates
        .list
        .iter()
        .find(|c| c.record.companies[..2] == [a.to_string(), b.to_string()])
        .unwrap_or_else(|| panic!("no candidate {a} × {b}"))
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn the_company_a_merger_made_is_the_topic_of_the_next_sentence() {
    // The later deals are the new bank's, not those of the first bank named.
    let found = candidates(
        "カスミ銀行とアオバ銀行が合併してミライ合同銀行となったのは1941年のこと。以降は同年10月に千歳銀行と若葉銀行を合併した。",
    );
    let pairs: Vec<[String; 2]> = found
        .list
        .iter()
        .map(|c| {
            let mut p = [c.record.companies[0].clone(), c.record.companies[1].clone()];
            p.sort();
            p
        })
        .collect();
    for other in ["千歳銀行", "若葉銀行"] {
        let mut want = ["ミライ合同銀行".to_string(), other.to_string()];
        want.sort();
        assert!(pairs.contains(&want), "{other}: {pairs:?}");
        let mut first = ["カスミ銀行".to_string(), other.to_string()];
        first.sort();
        assert!(!pairs.contains(&first), "{other}: {pairs:?}");
    }
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
    // The target has its legal form: whether the English model takes a bare
    // unknown name after `acquired` is the company tests' matter, not this one's.
    let r = records("Brightwave Robotics Inc. acquired Lumora Ltd. for $40 million.");
    let roles: Vec<Option<&str>> = r[0].parties.iter().map(|p| p.role.as_deref()).collect();
    assert_eq!(roles, vec![Some("acquirer"), Some("target")]);
}

#[test]
fn a_pronoun_subject_after_a_comma_is_not_the_company_before_it() {
    let text = "MUMBAI, March 3, 2008 -- Harlow Defence Systems signed a memorandum with \
                Velmar Aerospace to build drones.\n\nThe deal is the third for Harlow Defence \
                Systems this month. On Friday, the company teamed up with US-based Corvane \
                Aircraft Corporation to make cabins, and it announced a joint venture with \
                Brellis Avionics.";
    let c = candidates(text);
    let x = candidate(&c, "Corvane Aircraft", "Brellis Avionics");
    assert!(
        !x.features.names.iter().any(|f| f == "rule"),
        "{:?}",
        x.features.names
    );
    // Without the rules' reading the model scores the pair below the deal the
    // text states (whether it passes the threshold is the model's call: the
    // c2 10 model of the seventeenth session rejected it at 0.49, the c2 30
    // model of the eighteenth accepts it at 0.56).
    let stated = candidate(&c, "Harlow Defence Systems", "Velmar Aerospace");
    let model = kiji::records::model::RecordModel::load_default().unwrap();
    let (p, q) = (
        model.probability(&x.features.names),
        model.probability(&stated.features.names),
    );
    assert!(p < q, "{p} {q}");
    let found = pairs(text);
    assert!(
        found.contains(&pair("Harlow Defence Systems", "Velmar Aerospace")),
        "{found:?}"
    );
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
    // A list of investors: the model ranks each investor with SoftBank above
    // any two investors, and accepts at least two of the three (the third is
    // a close call of the learned model: `names=4` statements are rarely all
    // deals in the training news).
    let text = "NEC, Honda and Sony have invested in a new SoftBank unit.";
    let list = pairs(text);
    assert!(list.len() >= 2, "{list:?}");
    assert!(list.iter().all(|p| p.1 == "ソフトバンク"), "{list:?}");
    let candidates = candidates(text);
    let score = |a: &str, b: &str| candidate(&candidates, a, b).features.score;
    let investors = ["NEC", "本田技研工業", "ソニーグループ"];
    let weakest_deal = investors
        .iter()
        .map(|i| score(i, "ソフトバンク"))
        .fold(f64::INFINITY, f64::min);
    for (i, a) in investors.iter().enumerate() {
        for b in &investors[i + 1..] {
            assert!(score(a, b) < weakest_deal, "{a} × {b} outranks a deal");
        }
    }
}

#[test]
fn a_sentence_that_refers_back_continues_the_statement_at_any_case() {
    // `record_words.tsv` rows match whatever the case: a sentence that opens
    // with `The two companies` or `Both companies` continues the deal before it.
    for opener in ["The two companies", "Both companies", "両社は"] {
        let text = format!(
            "Toyota invested $40 million in Hitachi. {opener} signed the agreement in 2021."
        );
        let r = records(&text);
        assert_eq!(r.len(), 1, "{opener}: {r:?}");
        assert_eq!(
            (r[0].year, r[0].evidence.len()),
            (Some(2021), 2),
            "{opener}: {r:?}"
        );
    }
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
    // Results periods, a periodical's issue, targets at a year's end and
    // founding dates are never a deal's year.
    for text in [
        "25年3月期に増益となった富士通はNECと協業する。",
        "(2024年10月号) 富士通はNECと協業する。",
        "富士通はNECと連携し、2027年度末までに売上高を倍増する。",
        "Established in 1962, Fujitsu has formed a partnership with NEC.",
    ] {
        let r = records(text);
        assert_eq!(r.len(), 1, "{text}");
        assert_eq!(r[0].year, None, "{text}");
    }
    // A half-year and a joint venture's founding in the sentence are the deal's.
    for (text, year) in [
        ("25年上期に富士通はNECと協業する。", 2025),
        (
            "Fujitsu and NEC formed a joint venture, established in 2024, to make chips.",
            2024,
        ),
    ] {
        let r = records(text);
        assert_eq!(r.len(), 1, "{text}");
        assert_eq!(r[0].year, Some(year), "{text}");
    }
    // News is of its page's date: an undated headline, lead or later
    // sentence takes the dateline's year.
    let r = records("---\ndate: 2025-01-01\n---\n富士通はNECと協業する。");
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2025), Some("dateline"))
    );
    let r = records(
        "---\ndate: 2025-01-01\n---\n中部精工は新工場を建てる。\n\n同社は人員を増やす。\n\n富士通はNECと協業する。",
    );
    assert_eq!(r[0].year, Some(2025));
    // Without a date, an undated deal stays undated.
    let r = records("中部精工は新工場を建てる。\n\n富士通はNECと協業する。");
    assert_eq!(r[0].year, None);
    // A year after the page's date is a plan's: the deal is news of the page's date.
    let r = records(
        "---\ndate: 2024-07-08\n---\n富士通はNECに出資すると発表した。\n\n富士通は今回の出資で、2030年度に売上高を3倍に引き上げる。",
    );
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2024), Some("dateline")),
        "{r:?}"
    );
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
fn a_ranking_table_without_outer_pipes_gives_its_rows_deals_with_the_headers_term() {
    // M&A rankings write GFM tables without outer pipes; the header's deal term
    // (買収企業 | 被買収企業) is the kind and the roles of every row.
    let text = "2022年の買収金額ランキングです。\n\n順位 | 金額(円) | 買収企業 | 被買収企業 |\n---|---|---|---|\n1 | 約5,485億 | 武田薬品工業 | Lumora Inc. |\n2 | 約3,000億 | オリックス | カワセミ精工株式会社 |\n";
    let r = records(text);
    let pairs: Vec<(&str, &str, Option<&str>, Option<&str>)> = r
        .iter()
        .map(|r| {
            (
                r.companies[0].as_str(),
                r.companies[1].as_str(),
                r.kind.as_deref(),
                r.parties[0].role.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        vec![
            (
                "武田薬品工業",
                "Lumora",
                Some("acquisition"),
                Some("acquirer")
            ),
            (
                "オリックス",
                "カワセミ精工",
                Some("acquisition"),
                Some("acquirer")
            ),
        ]
    );
    assert_eq!(r[0].parties[1].role.as_deref(), Some("target"));
    assert_eq!(r[0].evidence[0].source, "table");
}

#[test]
fn a_tables_caption_gives_its_rows_their_year_before_the_pages_date() {
    // A ranking of 2022's deals published in 2023: the caption's year, not
    // the page's, is the year of each row with no year column.
    let table = "順位 | 金額(円) | 買収企業 | 被買収企業 |\n---|---|---|---|\n1 | 約5,485億 | 武田薬品工業 | Lumora Inc. |\n2 | 約3,000億 | オリックス | カワセミ精工株式会社 |\n";
    let years = |caption: &str| -> Vec<(Option<i32>, Option<String>)> {
        records(&format!("---\ndate: 2023-07-31\n---\n{caption}\n\n{table}"))
            .into_iter()
            .map(|r| (r.year, r.year_source))
            .collect()
    };
    let caption = || Some("caption".to_string());
    assert_eq!(
        years("2022年の買収金額ランキング・ベスト10です。"),
        vec![(Some(2022), caption()), (Some(2022), caption())]
    );
    assert_eq!(
        years("## Largest deals of 2022\n\nThe ten largest acquisitions by Japanese companies."),
        vec![(Some(2022), caption()), (Some(2022), caption())]
    );
    // Two years, or a long paragraph of prose, give no caption: the page's date does.
    let dateline = || Some("dateline".to_string());
    assert_eq!(
        years("2021年と2022年の買収金額ランキングです。"),
        vec![(Some(2023), dateline()), (Some(2023), dateline())]
    );
    let prose = "2022年の市場は円安とロシアのウクライナ侵攻で足踏みする場面もあったが、経済活動の再開とともに大型案件が相次ぎ、金額で1,000億円を超える案件は13件にのぼった。買収した企業の業種も製薬、ゲーム、物流、食品と幅広く、海外企業を買う案件が目立った。その上位を順に見ていく。";
    assert_eq!(
        years(prose),
        vec![(Some(2023), dateline()), (Some(2023), dateline())]
    );
}

#[test]
fn a_sentence_naming_one_of_the_companies_before_and_referring_back_is_their_statement() {
    // `3行` refers back to the banks an earlier sentence names (inside a
    // paragraph, so no headline); the sentence itself names one of them, the
    // surviving bank.
    let c = candidates(
        "きらり銀行は地方銀行だ。その前身は八千代銀行、東京都民銀行、新銀行東京の3行である。\n\n八千代銀行を存続会社として3行が合併した。",
    );
    for (a, b) in [
        ("八千代銀行", "東京都民銀行"),
        ("八千代銀行", "新銀行東京"),
        ("東京都民銀行", "新銀行東京"),
    ] {
        let found = c.list.iter().any(|x| {
            let k = &x.record.companies;
            (k[0] == a && k[1] == b) || (k[0] == b && k[1] == a)
        });
        assert!(found, "no candidate {a} × {b}");
    }
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
    for text in [
        "日本郵船と商船三井、川崎汽船の3社は、自動運航船の共同開発で提携した。",
        // A short description before the count: the list is still co-parties.
        "日本郵船と商船三井、川崎汽船の海運大手3社は、自動運航船の共同開発で提携した。",
    ] {
        assert_eq!(
            pairs(text),
            vec![
                pair("日本郵船", "商船三井"),
                pair("日本郵船", "川崎汽船"),
                pair("商船三井", "川崎汽船")
            ],
            "{text}"
        );
    }
    // The owners of a jointly owned company are partners of each other (the
    // dev set's joint_ownership convention); the company they own is described.
    // A link of an owner to the company it owns is optional in the gold
    // conventions (a parent–JV link): the model may give one, no more.
    let jv = records("東京電力ホールディングスと中部電力が折半出資するJERAは、火力発電を担う。");
    let names: Vec<Vec<String>> = jv.iter().map(|r| r.companies.clone()).collect();
    let owners = vec![
        "東京電力ホールディングス".to_string(),
        "中部電力".to_string(),
    ];
    assert!(names.contains(&owners), "{names:?}");
    assert!(names.len() <= 2, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| *n == owners || n.contains(&"JERA".to_string())),
        "{names:?}"
    );
    let r = records("コネクトロジは2024年、KDDIから約5億円の出資を受けた。");
    assert_eq!(r[0].companies, vec!["KDDI", "コネクトロジ"]);
    assert_eq!(r[0].parties[0].role.as_deref(), Some("investor"));
}

#[test]
fn more_english_patterns_clauses_and_joint_ventures() {
    // A second clause's company is no party: the rules read Google's
    // investment in Anthropic, and the model ranks that pair above both pairs
    // with Amazon and never accepts one of those. (Whether Google × Anthropic
    // itself passes is a close call of the model trained on stacked English
    // companies: p ≈ 0.5 against the threshold 0.55.)
    let text = "Google invested $2 billion in Anthropic in 2023, while Amazon has committed up to $8 billion.";
    assert!(pairs(text)
        .iter()
        .all(|p| p.0 != "Amazon" && p.1 != "Amazon"));
    let candidates = candidates(text);
    let find = |a: &str, b: &str| candidate(&candidates, a, b);
    let deal = find("Google", "Anthropic");
    assert!(deal.rule);
    assert_eq!(deal.record.kind.as_deref(), Some("investment"));
    for (a, b) in [("Google", "Amazon"), ("Anthropic", "Amazon")] {
        assert!(find(a, b).features.score < deal.features.score, "{a} × {b}");
    }
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

/// (first company, second company, kind) of each record, sorted.
fn deals(doc: &kiji::Document) -> Vec<(String, String, String)> {
    let mut v = deals_of(&doc.records);
    v.sort();
    v
}

fn deal(a: &str, b: &str, kind: &str) -> (String, String, String) {
    (a.to_string(), b.to_string(), kind.to_string())
}

fn fixture(name: &str) -> kiji::Document {
    let path = common::root().join("fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    common::pipeline().process_text(name, &text).unwrap()
}

#[test]
fn a_twelve_item_digest_gives_exactly_its_twelve_deals() {
    // Headline list with ◇ items, headlines with teasers (■), a bullet list (・)
    // and dated lines: parties never cross items.
    let doc = fixture("ja_digest.md");
    let mut expected = vec![
        deal("北條精機", "豊橋ベアリング工業", "acquisition"),
        deal("青葉ホールディングス", "白浜物産", "business_alliance"),
        deal("三河化学工業", "ルミナス", "investment"),
        deal("大和倉庫", "ミナトロジ", "acquisition"),
        deal("千歳電機", "若葉電子", "joint_venture"),
        deal("北陸ガス", "越前エネルギー", "merger"),
        deal("東邦製薬", "白鷺ファーマ", "tender_offer"),
        deal("常盤食品", "旭川乳業", "capital_business_alliance"),
        deal("桜井自動車", "錦織電装", "joint_development"),
        deal("丸山商事", "根室水産", "acquisition"),
        deal("藤波建設", "雲雀テクノロジーズ", "mou"),
        deal("緑川通信", "ノクトラ", "investment"),
    ];
    expected.sort();
    assert_eq!(deals(&doc), expected);
    // Undated items are news of the page's date; dated lines keep their own.
    assert!(doc.records.iter().all(|r| r.year == Some(2024)));
    let sources: Vec<&str> = doc
        .records
        .iter()
        .filter_map(|r| r.year_source.as_deref())
        .collect();
    assert!(sources.contains(&"dateline") && sources.contains(&"sentence"));
    // Directed kinds put the acquirer or investor first.
    for r in &doc.records {
        if r.kind.as_deref() == Some("acquisition") || r.kind.as_deref() == Some("tender_offer") {
            let roles: Vec<Option<&str>> = r.parties.iter().map(|p| p.role.as_deref()).collect();
            assert_eq!(roles[..2], [Some("acquirer"), Some("target")], "{r:?}");
        }
    }
    // The deal value, never a per-share price or a revenue figure.
    let amount = |a: &str| {
        doc.records
            .iter()
            .find(|r| r.companies[0] == a)
            .and_then(|r| r.amount.as_ref().map(|m| m.value))
    };
    assert_eq!(amount("北條精機"), Some(4.2e9));
    assert_eq!(amount("三河化学工業"), Some(1.5e9));
    assert_eq!(amount("丸山商事"), Some(8.5e9));
    assert_eq!(amount("東邦製薬"), None, "1株3,200円 is a price per share");
}

#[test]
fn a_factbox_of_dated_entries_gives_one_deal_per_entry() {
    let doc = fixture("en_factbox.md");
    let mut expected = vec![
        deal("Kestrel Motors", "Vanderholt", "acquisition"),
        deal("Aomori Paper", "Lumikki", "acquisition"),
        deal("Hayabusa Logistics", "Brenner Spedition", "joint_venture"),
        deal("Shirogane Pharma", "Alpenzell", "mou"),
        deal("Tsubame Electric Industries", "Voltaris", "investment"),
        deal("Minatogawa Holdings", "Harbourline", "tender_offer"),
    ];
    expected.sort();
    assert_eq!(deals(&doc), expected);
    assert!(doc.records.iter().all(|r| r.year == Some(2025)));
    let lumikki = doc.records.iter().find(|r| r.companies[1] == "Lumikki");
    let money = lumikki.and_then(|r| r.amount.clone()).unwrap();
    assert_eq!((money.value, money.currency.as_str()), (4.8e8, "EUR"));
}

#[test]
fn multi_party_deals_give_every_pair() {
    let ja = records("「港南銀行」と兵庫県の「西海銀行」、それに大阪の「東和銀行」の3行は経営統合で基本合意した。");
    assert_eq!(ja.len(), 3, "{ja:?}");
    assert!(ja.iter().all(|r| r.kind.as_deref() == Some("merger")));
    let en = records(
        "The companies - Kestrel Motors Corp., Aomori Paper Co. and Minatogawa Holdings Inc. - signed a memorandum of understanding on Monday.",
    );
    assert_eq!(en.len(), 3, "{en:?}");
    assert!(en.iter().all(|r| r.kind.as_deref() == Some("mou")));
}

#[test]
fn a_headline_and_its_lead_are_one_statement() {
    let r = records("# 北條精機と豊橋ベアリング工業\n\n両社は14日、業務提携を結んだと発表した。\n");
    assert_eq!(
        deals_of(&r),
        vec![deal("北條精機", "豊橋ベアリング工業", "business_alliance")]
    );
}

fn deals_of(r: &[Record]) -> Vec<(String, String, String)> {
    r.iter()
        .map(|r| {
            (
                r.companies[0].clone(),
                r.companies[1].clone(),
                r.kind.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn transfers_purchases_and_subsidiaries_acting_for_a_parent() {
    // AはBをCに譲渡: C acquires B.
    let r = records("丸山商事は、子会社の根室水産の全株式を大和倉庫に譲渡する。");
    assert_eq!(
        deals_of(&r),
        vec![deal("大和倉庫", "根室水産", "acquisition")]
    );
    // AはBから事業を取得: A acquires (from B).
    let r = records("大和倉庫は、丸山商事から物流事業を取得することを決めた。");
    assert_eq!(
        deals_of(&r),
        vec![deal("大和倉庫", "丸山商事", "acquisition")]
    );
    // 傘下のXを通じて: the parent acts, the subsidiary is named in `parties`.
    let r = records("日立製作所は傘下の日立ハイテクを通じて、豊橋ベアリング工業を買収する。");
    assert_eq!(
        deals_of(&r),
        vec![deal("日立製作所", "豊橋ベアリング工業", "acquisition")]
    );
    let through: Vec<(&str, Option<&str>)> = r[0]
        .parties
        .iter()
        .map(|p| (p.name.as_str(), p.role.as_deref()))
        .collect();
    assert_eq!(through[2], ("日立ハイテク", Some("through")));
    // A sold B to C (English): C acquires B.
    let r =
        records("Minatogawa Holdings Inc. agreed to sell Harbourline Ltd. to Kestrel Motors Corp.");
    assert_eq!(
        deals_of(&r),
        vec![deal("Kestrel Motors", "Harbourline", "acquisition")]
    );
    // Y's purchase of Z: the possessive is the buyer, the apposition is not a party.
    let r = records(
        "The deal follows Aomori Paper Co.'s $3.7bn purchase of Finnish packaging maker Lumikki Oy last year.",
    );
    assert_eq!(
        deals_of(&r),
        vec![deal("Aomori Paper", "Lumikki", "acquisition")]
    );
}

#[test]
fn a_relative_clause_describes_its_company() {
    // AとBが共同出資するCは…Dと提携: A–B own C together (a joint venture of
    // theirs, as annotated news has it); C partners with D.
    let r = records(
        "千歳電機と若葉電子が共同出資する北條精機は10日、豊橋ベアリング工業と提携すると発表した。",
    );
    let mut got = deals_of(&r);
    got.sort();
    assert_eq!(
        got,
        vec![
            deal("北條精機", "豊橋ベアリング工業", "business_alliance"),
            deal("千歳電機", "若葉電子", "joint_venture"),
        ]
    );
    // Xを傘下に置くY: X describes Y.
    let r = records("若葉電子を傘下に置く北條精機が、豊橋ベアリング工業と経営統合で基本合意した。");
    assert_eq!(
        deals_of(&r),
        vec![deal("北條精機", "豊橋ベアリング工業", "merger")]
    );
}

#[test]
fn later_sentences_continue_a_statement() {
    // 両社は…: kind from a bare agreement to the joint venture, year from there.
    let r = records("千歳電機と若葉電子は基本合意書を締結した。両社は2026年に合弁会社を設立する。");
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].kind.as_deref(), Some("joint_venture"));
    assert_eq!(r[0].year, Some(2026));
    assert_eq!(r[0].evidence.len(), 2);
    // 取得価額は…: the deal value of the sentence before; the revenue in brackets is not.
    let r = records("丸山商事は根室水産(売上高52億円)を買収すると発表した。買収総額は85億円。");
    assert_eq!(r[0].amount.as_ref().map(|m| m.value), Some(8.5e9));
    // A conversion in brackets is not the value.
    let r = records("北條精機は米Voltaris Inc.を58億ドル(約8700億円)で買収する。");
    let m = r[0].amount.clone().unwrap();
    assert_eq!((m.value, m.currency.as_str()), (5.8e9, "USD"));
}

#[test]
fn news_dated_by_a_relative_day_takes_the_dateline_year() {
    // (As any undated deal of a dated page does.)
    let r = records("---\ndate: 2025-03-02\n---\n千歳電機は1日、若葉電子と提携したと発表した。");
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2025), Some("dateline"))
    );
    let r = records("---\ndate: 2025-03-02\n---\nKestrel Motors Corp. said on Monday it would acquire Vanderholt NV.");
    assert_eq!(r[0].year, Some(2025));
}

#[test]
fn one_record_per_pair_and_relationship() {
    // An acquisition and an alliance of the same pair are two records; a bare
    // agreement joins the one it belongs to.
    let r = records(
        "北條精機は豊橋ベアリング工業を子会社化する。北條精機と豊橋ベアリング工業は昨年、業務提携を結んでいた。北條精機は豊橋ベアリング工業と契約を締結した。",
    );
    let mut kinds: Vec<String> = r.iter().filter_map(|r| r.kind.clone()).collect();
    kinds.sort();
    assert_eq!(kinds, vec!["acquisition", "business_alliance"], "{r:?}");
}

/// Sentences (as records split them) that hold a deal term or an adoption
/// word; a sentence that names n > 2 companies counts n - 1 times (a list of
/// parties with one counterparty: `NEC, Honda and Sony invested in X`).
fn deal_sentences(doc: &kiji::Document) -> usize {
    let chars: Vec<char> = doc.text.chars().collect();
    let text: String = chars.iter().collect();
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let verbs: Vec<(usize, usize)> = doc
        .entities
        .iter()
        .filter(|e| matches!(e.kind, kiji::EntityKind::Verb { .. }))
        .map(|e| (byte(e.start), byte(e.end)))
        .collect();
    let companies: Vec<(usize, usize, &str)> = doc
        .entities
        .iter()
        .filter_map(|e| match &e.kind {
            kiji::EntityKind::Company { name, .. } => {
                Some((byte(e.start), byte(e.end), name.as_str()))
            }
            _ => None,
        })
        .collect();
    let words = &kiji::lexicon::Lexicons::bundled().unwrap().record_words;
    let mut n = 0;
    for p in &doc.paragraphs {
        for (s, e) in kiji::records::sentences(&text, byte(p.start), byte(p.end), words) {
            // Adoption records come from sentences with an adoption word instead.
            let adoption = ["導入", "採用", "展開", "活用"]
                .iter()
                .any(|w| text[s..e].contains(w));
            if adoption || verbs.iter().any(|&(a, b)| a >= s && b <= e) {
                let mut names: Vec<&str> = companies
                    .iter()
                    .filter(|c| c.0 >= s && c.1 <= e)
                    .map(|c| c.2)
                    .collect();
                names.sort();
                names.dedup();
                n += names.len().saturating_sub(1).max(1);
            }
        }
    }
    n
}

#[test]
fn no_document_gives_more_records_than_deal_sentences() {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && !p.to_string_lossy().contains(".expected"))
        .collect();
    if let Some(dev) = common::dev() {
        files.extend(
            std::fs::read_dir(dev.join("articles"))
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path())),
        );
    }
    if let Some(seeds) = common::seeds() {
        files.extend(common::seed_files(&seeds));
    }
    let mut checked = 0;
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let doc = common::pipeline()
            .process_text(&f.to_string_lossy(), &text)
            .unwrap();
        let limit = deal_sentences(&doc)
            + doc
                .records
                .iter()
                .filter(|r| r.evidence.iter().any(|e| e.source == "table"))
                .count();
        assert!(
            doc.records.len() <= limit,
            "{}: {} records from {} deal sentences",
            f.display(),
            doc.records.len(),
            limit
        );
        checked += 1;
    }
    assert!(checked >= 20);
}

#[test]
fn deals_with_government_bodies_universities_or_unnamed_parties_give_no_record() {
    assert!(records("北條精機は東京大学と次世代電池の共同研究を始めた。").is_empty());
    assert!(records("千歳電機は経済産業省と連携し、実証実験を行う。").is_empty());
    assert!(records(
        "Kestrel Motors Corp. agreed to acquire a European parts maker for $2 billion."
    )
    .is_empty());
}

#[test]
fn a_contents_page_gives_only_the_deals_its_lines_state() {
    // Fifteen headline lines without full stops are fifteen statements, not
    // one sentence that pairs every company of the page.
    let doc = fixture("en_contents_page.md");
    let mut got = deals(&doc);
    got.sort();
    assert_eq!(
        got,
        vec![
            deal("Norvale Chemicals", "Tashiro Polymers", "joint_venture"),
            deal("Orlen Dataworks", "Pavlik Software", "acquisition"),
            deal("Sunfield Energy", "Corvane Hydrogen", "investment"),
            deal("Veltro Pharma", "Kinsella Biotech", "agreement"),
        ]
    );
}

/// Every article kiji can read in `dir` (fixtures' expectation files left out).
fn articles(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<std::path::PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| {
            let s = p.to_string_lossy();
            !s.contains(".expected") && !s.ends_with(".json") && !s.ends_with("README.md")
        })
        .collect();
    out.sort();
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_guards_hold_on_every_article() {
    // A company never pairs with itself, and a page gives at most, per deal
    // statement naming n companies, n - 1 records (more only for a list of
    // co-parties: the rules read it as one, or it counts its parties, `3社`).
    let mut dirs = vec![common::root().join("fixtures")];
    let shared = common::root().join("../shared");
    for d in [
        "news/train/articles",
        "news/dev/articles",
        "dev/articles",
        "seeds",
    ] {
        if shared.join(d).is_dir() {
            dirs.push(shared.join(d));
        }
    }
    let mut checked = 0;
    for dir in dirs {
        for f in articles(&dir) {
            let input = kiji::ingest::Input {
                id: f.to_string_lossy().into_owned(),
                format: kiji::ingest::Format::of_path(&f),
                content: kiji::ingest::Content::File(f.clone()),
            };
            let Ok((doc, candidates)) = common::pipeline().process_with_candidates(&input) else {
                continue;
            };
            let mut bound: std::collections::BTreeMap<usize, usize> = Default::default();
            for c in &candidates.list {
                let rules = candidates
                    .list
                    .iter()
                    .filter(|x| x.statement == c.statement && x.rule)
                    .count();
                // A statement that counts its co-parties (`3社`, the three
                // companies) may pair each with each.
                let co_parties = candidates
                    .list
                    .iter()
                    .find(|x| x.statement == c.statement && x.co_parties)
                    .map_or(0, |x| x.names * x.names.saturating_sub(1) / 2);
                // A statement's pairs with the page's issuer (`当社`) count it
                // among the statement's companies: the most any candidate counts.
                let b = c.names.saturating_sub(1).max(rules).max(co_parties).max(1);
                let entry = bound.entry(c.statement).or_default();
                *entry = (*entry).max(b);
            }
            let limit: usize = bound.values().sum();
            assert!(
                doc.records.len() <= limit,
                "{}: {} records, bound {limit}",
                f.display(),
                doc.records.len()
            );
            for r in &doc.records {
                assert_ne!(r.companies[0], r.companies[1], "{}", f.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 20);
}

#[test]
fn a_statement_that_counts_its_parties_may_pair_each_with_each() {
    // Scores are forced to accept every candidate, so that only the guard decides.
    let pipeline = common::pipeline();
    let decided = |text: &str| -> (Vec<bool>, usize) {
        let c = candidates(text);
        let scores = vec![0.99; c.list.len()];
        let records = kiji::records::decide(&c, &scores, 0.5, None, pipeline.deals());
        (c.list.iter().map(|x| x.co_parties).collect(), records.len())
    };
    // `3社` and "the three companies" count the parties: three pairs, although
    // the rules pair only two of them, or none.
    for text in [
        "千歳電機と北條精機は岩城化成を加えた3社で合弁会社を設立する。",
        "The joint venture will be owned by the three companies, Chitose Denki Corp., Hojo Seiki Inc. and Iwaki Kasei Ltd.",
    ] {
        let (co, n) = decided(text);
        assert!(!co.is_empty() && co.iter().all(|&x| x), "{text}: {co:?}");
        assert_eq!(n, 3, "{text}");
    }
    // Without a count, three companies give at most two pairs, and a
    // third-party allotment (第三者割当) or `13社` counts no parties: n names,
    // n − 1 pairs.
    for (text, most) in [
        ("千歳電機は北條精機、岩城化成と合弁会社を設立する。", 2),
        (
            "千歳電機は北條精機、岩城化成、大和物産を割当先とする第三者割当増資を実施する。",
            3,
        ),
        ("千歳電機は北條精機、岩城化成など13社と業務提携した。", 2),
    ] {
        let (co, n) = decided(text);
        assert!(!co.is_empty() && co.iter().all(|&x| !x), "{text}: {co:?}");
        assert!(n <= most, "{text}: {n}");
    }
}

#[test]
fn two_events_of_one_pair_in_different_years_are_two_records() {
    let r = records(
        "千歳電機は2017年、北條精機と業務提携した。\n\n千歳電機は2019年、北條精機と新たに業務提携契約を結んだ。",
    );
    let mut years: Vec<Option<i32>> = r.iter().map(|r| r.year).collect();
    years.sort();
    assert_eq!(years, vec![Some(2017), Some(2019)], "{r:?}");
    // The same year in two statements is one record.
    let r = records(
        "千歳電機は2017年、北條精機と業務提携した。\n\n千歳電機は2017年、北條精機と提携契約を結んだ。",
    );
    assert_eq!(r.len(), 1, "{r:?}");
}

#[test]
fn a_sentence_that_refers_back_to_earlier_companies_makes_their_candidates() {
    // The first sentence names three banks and no deal term; the deal is in
    // a later paragraph that names them only as `3行`.
    let text = "地銀3行がファンド\n\n 千葉銀行と横浜銀行、武蔵野銀行の地方銀行3行は1日、中小企業向けの投資ファンドを設立したと発表した。総額は50億円。\n\n 3行は昨年5月、広域の包括業務提携を締結していた。\n";
    let candidates = candidates(text);
    let mut found: Vec<(String, String)> = candidates
        .list
        .iter()
        .filter(|c| c.features.names.iter().any(|f| f == "stmt=back"))
        .map(|c| (c.record.companies[0].clone(), c.record.companies[1].clone()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            pair("千葉銀行", "横浜銀行"),
            pair("千葉銀行", "武蔵野銀行"),
            pair("横浜銀行", "武蔵野銀行")
        ]
    );
    // Without the reference the later sentence is no statement of theirs.
    let alone = text.replace("3行は昨年5月", "昨年5月");
    assert!(pairs(&alone).is_empty(), "{:?}", pairs(&alone));
}

#[test]
fn eval_lists_each_files_errors() {
    // Gold written for this test: one right pair with the wrong kind and year
    // on purpose, one pair and one company kiji cannot find.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "2024年5月14日\n\n東和化成と北斗モーターズは14日、全固体電池の合弁会社を設立すると発表した。\n\n富士通はNECに出資した。\n",
    )
    .unwrap();
    let gold = r#"{"a.txt": {"companies": ["東和化成", "北斗モーターズ", "日立製作所"],
        "partnerships": [
            {"a": "東和化成", "b": "北斗モーターズ", "year": 2023, "kind": "acquisition"},
            {"a": "日立製作所", "b": "北斗モーターズ", "year": 2024, "kind": "investment"}]}}"#;
    std::fs::write(dir.path().join("gold.json"), gold).unwrap();
    let report = kiji::eval::evaluate_listing(
        common::pipeline(),
        &dir.path().join("gold.json"),
        dir.path(),
        true,
    )
    .unwrap();
    assert_eq!(
        report.errors["a.txt"],
        vec![
            "missed company 日立製作所",
            "false company NEC",
            "false company 富士通",
            "false record 富士通 × NEC",
            "missed record 日立製作所 × 北斗モーターズ",
            "wrong kind 東和化成 × 北斗モーターズ: joint_venture (gold acquisition)",
            "wrong year 東和化成 × 北斗モーターズ: 2024 by dateline (gold 2023)",
        ]
    );
    // Without the listing the report has none.
    let plain = kiji::eval::evaluate(
        common::pipeline(),
        &dir.path().join("gold.json"),
        dir.path(),
    )
    .unwrap();
    assert!(plain.errors.is_empty());
}

#[test]
fn a_time_stamp_dates_the_page_and_joint_investment_is_a_joint_venture() {
    // A securities-code line with a time stamp names the issuer: still the
    // page's date. 共同出資 by two companies is their joint venture.
    let r = records("6501 J-北斗 2020-08-17 15:30:00\n\n東和化成と北斗モーターズが共同出資する新会社は、電池を生産する。\n");
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].kind.as_deref(), Some("joint_venture"));
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2020), Some("dateline"))
    );
}

#[test]
fn a_digests_date_line_and_a_wire_dateline_date_the_page() {
    // A digest's first line gives its dates above the items (glued to them by
    // a single line break, in brackets that are no link).
    let r = records(
        "[週刊M&A](2022年6月6日〜6月10日)\n◇千歳電機、若葉電子を子会社化\n◇北斗ホールディングス、東和化成を買収\n",
    );
    assert_eq!(r.len(), 2, "{r:?}");
    for x in &r {
        assert_eq!(
            (x.year, x.year_source.as_deref()),
            (Some(2022), Some("dateline")),
            "{r:?}"
        );
    }
    // A long first line with a year is a sentence, not a date line.
    let r = records("千歳電機は2019年に創業した会社で、若葉電子を子会社化すると発表した。");
    assert_eq!(r[0].year_source.as_deref(), Some("sentence"), "{r:?}");
    // A wire dateline opening the lead dates the page (and the deals of its\n    // later paragraphs), its place no company.
    let r = records(
        "OSAKA, March 3, 2023 /PRNewswire/ -- Kestrel Motors Corp. reported record sales of sensors and robots in its fiscal year, its chairman said at a meeting with analysts.\n\nKestrel Motors also said it would acquire Vanderholt NV, a maker of sensors.",
    );
    assert_eq!(
        (r[0].year, r[0].year_source.as_deref()),
        (Some(2023), Some("dateline")),
        "{r:?}"
    );
}

#[test]
fn a_legal_form_in_capitals_does_not_end_the_sentence() {
    // Disclosures in English write names in capitals: `CO., LTD.` is inside
    // the sentence, so both companies are candidates of its merger agreement.
    let text = "ZORBEL CHEMICAL CO., LTD. and QUANTEX CHEMICAL CO., LTD. hereby announce that \
                they have concluded a merger agreement today.";
    let found = candidates(text);
    candidate(&found, "ZORBEL CHEMICAL", "QUANTEX CHEMICAL");
    // A sentence still ends at a period after an ordinary word: no statement
    // holds both names.
    let text = "ZORBEL CHEMICAL CO., LTD. reported results. QUANTEX CHEMICAL CO., LTD. agreed to a merger.";
    for c in candidates(text).list {
        for ev in &c.record.evidence {
            assert!(
                !ev.text.contains("ZORBEL") || !ev.text.contains("QUANTEX"),
                "{ev:?}"
            );
        }
    }
}

#[test]
fn a_list_of_investors_under_its_head_line_invests_in_the_page_company() {
    // A funding release lists its investors one company a line under a line
    // that says what they are; each invests in the company the page is about.
    let text = "株式会社ソラミチが、シリーズAラウンドで総額5億円の資金調達を実施した。\n\n■本ラウンドの投資家(順不同、敬称略)\n\nアルファキャピタル株式会社\n\n株式会社ベータベンチャーズ\n\n今後の展望\n\n株式会社ソラミチは海外展開を進める。";
    let found = candidates(text);
    for investor in ["アルファキャピタル", "ベータベンチャーズ"] {
        let c = candidate(&found, investor, "ソラミチ");
        assert!(c.rule, "the rules read the line: {c:?}");
        assert_eq!(c.record.kind.as_deref(), Some("investment"));
        assert_eq!(c.record.parties[0].role.as_deref(), Some("investor"));
        assert!(
            c.features.names.iter().any(|f| f == "stmt=list"),
            "{:?}",
            c.features.names
        );
    }
    // A line that goes on after the company, or a line after the list has
    // ended, is no line of it.
    let text = "株式会社ソラミチが資金調達を実施した。\n\n■本ラウンドの投資家\n\nアルファキャピタル株式会社\n\n今後の展望\n\n株式会社ベータベンチャーズ\n";
    let found = candidates(text);
    assert!(
        !found.list.iter().any(|c| c
            .record
            .companies
            .contains(&"ベータベンチャーズ".to_string())),
        "{:?}",
        found
            .list
            .iter()
            .map(|c| &c.record.companies)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_date_in_brackets_after_a_deal_lists_item_is_its_year() {
    let r = records(
        "Recent Transactions\n\n<ul>\n<li>Advised Halvorn Medical plc on its acquisition of Brenlo Neuro, Inc., a developer of spinal systems, for $210 million upfront. (November 2020)</li>\n<li>Advised Norvik Capital on its $640 million acquisition of Solberg Dental Group, a Tampa-based dental support organization. (January 2021)</li>\n</ul>\n",
    );
    let years: Vec<(Vec<String>, Option<i32>)> =
        r.iter().map(|r| (r.companies.clone(), r.year)).collect();
    assert_eq!(
        years,
        vec![
            (
                vec!["Halvorn Medical".to_string(), "Brenlo Neuro".to_string()],
                Some(2020)
            ),
            (
                vec![
                    "Norvik Capital".to_string(),
                    "Solberg Dental Group".to_string()
                ],
                Some(2021)
            ),
        ]
    );
    // A sentence in brackets that is more than a date is no date of the deal.
    let r = records("ハルベリオ化学はクオリネット工業と資本提携した。（写真は2019年3月撮影）\n");
    assert_eq!(r.first().and_then(|r| r.year), None);
    let r = records("Halvorn Medical plc agreed to acquire Brenlo Neuro, Inc. for $210 million. (The board met in November 2020 to discuss other matters at length.)\n");
    assert_eq!(r.first().and_then(|r| r.year), None);
}

#[test]
fn cooperation_and_consortium_words_make_candidates_and_shared_names_are_a_feature() {
    // Deal words outside the lexicon (`agreed to cooperate`, `consortium`)
    // make candidate pairs the model decides on (`weak_term`).
    let text = "Norvik Shipping Ltd. and Castellan Ports Corp. agreed to cooperate on a terminal in Gdansk.\n\nHarwell Energy Inc. joined a consortium led by Ostrava Rail a.s. for the line.\n";
    let c = candidates(text);
    let first = candidate(&c, "Norvik Shipping", "Castellan Ports");
    assert!(first.features.names.iter().any(|f| f == "weak=cooperat"));
    let second = candidate(&c, "Harwell Energy", "Ostrava Rail");
    assert!(second.features.names.iter().any(|f| f == "weak=consortium"));
    assert!(!first
        .features
        .names
        .iter()
        .any(|f| f.starts_with("overlap=")));
    // A short form and its full name open alike (`overlap=prefix`); a
    // parent and its namesake unit share their first word (`overlap=first`).
    let c = candidates(
        "Hokuriku Denki Power Company and Hokuriku Denki agreed to cooperate with Tonami Steel Corp. and Tonami Logistics Corp. on hydrogen.\n",
    );
    let names = |a: &str, b: &str| &candidate(&c, a, b).features.names;
    assert!(names("Hokuriku Denki Power Company", "Hokuriku Denki")
        .contains(&"overlap=prefix".to_string()));
    assert!(names("Tonami Steel", "Tonami Logistics").contains(&"overlap=first".to_string()));
    assert!(names("Hokuriku Denki Power Company", "Tonami Steel")
        .iter()
        .all(|f| !f.starts_with("overlap=")));
}

#[test]
fn a_deal_told_without_a_term_of_its_own_takes_the_kind_models_kind() {
    // 統合 is a weak deal word with no kind of its own: the rules give the
    // record none, the kind model (trained on annotated news) a merger.
    let text = "---\ntitle: 北條精機と東雲化成、事業統合へ\ndate: 2025-03-04\n---\n\
                北條精機株式会社と東雲化成株式会社は4日、2026年4月をめどに事業を統合すると発表した。\n";
    let found = records(text);
    let r = found
        .iter()
        .find(|r| r.companies.iter().any(|c| c.contains("北條精機")))
        .expect("a record of the two companies");
    assert!(r.companies.iter().any(|c| c.contains("東雲化成")), "{r:?}");
    assert_eq!(r.kind.as_deref(), Some("merger"), "{r:?}");
    // Decided without the kind model, the rules' reading stands: no kind.
    let c = candidates(text);
    let deals = common::pipeline().deals();
    let scores: Vec<f64> = c
        .list
        .iter()
        .map(|x| deals.model().probability(&x.features.names))
        .collect();
    let threshold = deals.model().threshold();
    let rules = kiji::records::decide(&c, &scores, threshold, None, deals);
    let r = rules
        .iter()
        .find(|r| r.companies.iter().any(|c| c.contains("北條精機")))
        .expect("the same record without the kind model");
    assert_eq!(r.kind, None, "{r:?}");
    let model = kiji::records::decide(&c, &scores, threshold, Some(deals.kinds()), deals);
    let kinds =
        |rs: &[Record]| -> Vec<Option<String>> { rs.iter().map(|r| r.kind.clone()).collect() };
    assert_eq!(kinds(&model), kinds(&found));
}
