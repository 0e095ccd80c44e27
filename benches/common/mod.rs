//! Deterministic generator of realistic scraped news articles for the benchmarks
//! and for `scripts/perf.sh` (through the `KIJI_WRITE_CORPUS` mode of the
//! `pipeline` bench).
//!
//! Every sentence below was written for these benchmarks. An article is
//! Markdown with YAML front matter, headings, Japanese and English paragraphs
//! about partnerships (companies from the gazetteer and invented ones, amounts,
//! years, deal verbs), a Markdown table of deals, full-width noise, paragraphs
//! repeated verbatim, and paragraphs cut at a `---END---` marker and repeated
//! after it, as scrapers leave them. The same `(seed, size)` always gives the
//! same bytes: the only randomness is a SplitMix64 stream seeded by the caller.
//!
//! Slots are filled from word lists large enough that two articles of a corpus
//! share little beyond the templates, so that whole-document duplicate
//! detection sees distinct documents, as in a real crawl.
#![allow(dead_code)]

use std::fmt::Write as _;

/// SplitMix64: tiny, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    /// A stream for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x6b69_6a69_2d62_656e)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Japanese company names: gazetteer entries and invented names (with and
/// without legal forms) that the rule-based extractor has to find.
const JA_COMPANIES: &[&str] = &[
    "トヨタ自動車",
    "日立製作所",
    "富士通",
    "ソニーグループ",
    "パナソニック",
    "KDDI",
    "ソフトバンク",
    "三菱商事",
    "伊藤忠商事",
    "NTTデータ",
    "楽天グループ",
    "NVIDIA",
    "Microsoft",
    "OpenAI",
    "ハヤブサ技研",
    "青葉システムズ",
    "ミライロボティクス",
    "北斗データ株式会社",
    "株式会社潮風エナジー",
    "白鷺バイオ",
    "コモレビ・ラボ",
    "雷鳥モビリティ",
    "アサギ精工",
    "ナギサ物流",
    "ツバメ電子",
    "カスミ食品ホールディングス",
];

/// English company names.
const EN_COMPANIES: &[&str] = &[
    "NVIDIA",
    "Microsoft",
    "Google",
    "Amazon",
    "OpenAI",
    "Siemens",
    "Bosch",
    "Hitachi",
    "Fujitsu",
    "Kestrel Labs",
    "Northwind Analytics Inc.",
    "Bluefin Robotics",
    "Aster Quantum Corp.",
    "Harborline Logistics",
    "Maplewood Bio Ltd.",
];

/// Two-kanji (and a few longer) nouns of business news, used to vary sentences.
const WORDS: &[&str] = &[
    "開発",
    "販売",
    "物流",
    "需要",
    "供給",
    "設計",
    "製造",
    "保守",
    "点検",
    "在庫",
    "調達",
    "人材",
    "育成",
    "採用",
    "研究",
    "実証",
    "検証",
    "導入",
    "運用",
    "品質",
    "安全",
    "効率",
    "省力",
    "分析",
    "予測",
    "管理",
    "監視",
    "決済",
    "融資",
    "審査",
    "保険",
    "医療",
    "診断",
    "創薬",
    "農業",
    "漁業",
    "観光",
    "教育",
    "行政",
    "防災",
    "電力",
    "送電",
    "蓄電",
    "水素",
    "燃料",
    "素材",
    "半導体",
    "通信",
    "衛星",
    "車載",
    "鉄道",
    "航空",
    "港湾",
    "倉庫",
    "配送",
    "小売",
    "店舗",
    "顧客",
    "会員",
    "広告",
    "翻訳",
    "要約",
    "検索",
    "対話",
    "音声",
    "画像",
    "映像",
    "文書",
    "契約",
    "会計",
    "税務",
    "法務",
    "知財",
    "特許",
    "規制",
    "標準",
    "認証",
    "暗号",
    "脱炭素",
    "循環",
    "再生",
    "建設",
    "住宅",
    "都市",
    "地域",
    "交通",
    "介護",
    "福祉",
    "健康",
    "食品",
    "飲料",
    "家電",
    "部品",
    "工場",
    "設備",
    "機械",
    "計測",
    "試験",
    "評価",
    "改善",
    "統合",
    "共有",
    "基盤",
    "構築",
    "刷新",
    "移行",
    "拡大",
    "参入",
    "金融",
    "資産",
    "運輸",
    "気象",
    "水道",
    "鉱山",
    "化学",
    "繊維",
    "印刷",
    "出版",
    "放送",
    "娯楽",
];

const FIELDS: &[&str] = &[
    "生成AI",
    "自動運転",
    "再生可能エネルギー",
    "半導体製造",
    "医療画像診断",
    "物流自動化",
    "量子計算",
    "サイバーセキュリティ",
    "スマート農業",
    "宇宙通信",
    "蓄電池",
    "創薬支援",
];

const PRODUCTS: &[&str] = &[
    "需要予測システム",
    "画像検査装置",
    "配送ロボット",
    "対話型エージェント",
    "電池管理ソフト",
    "遠隔監視基盤",
    "翻訳エンジン",
    "設備保全アプリ",
    "決済端末",
    "気象予測モデル",
];

const CITIES: &[&str] = &[
    "横浜市",
    "大阪市",
    "福岡市",
    "札幌市",
    "名古屋市",
    "仙台市",
    "神戸市",
    "北九州市",
    "広島市",
    "つくば市",
];

const PEOPLE: &[&str] = &[
    "山本浩二",
    "佐々木美和",
    "高橋誠",
    "中村彩",
    "小林隆之",
    "渡辺陽子",
    "加藤健太",
    "伊藤真理",
];

const DEAL_TERMS: &[&str] = &[
    "資本業務提携",
    "業務提携",
    "戦略提携",
    "包括提携",
    "技術提携",
    "協業",
    "共同開発",
];

const EN_FIELDS: &[&str] = &[
    "battery recycling",
    "factory automation",
    "medical imaging",
    "autonomous driving",
    "quantum software",
    "satellite data",
    "crop analytics",
    "cloud security",
    "language models",
    "warehouse robotics",
];

/// English nouns of business news, used to vary sentences.
const EN_WORDS: &[&str] = &[
    "pricing",
    "inventory",
    "maintenance",
    "logistics",
    "hiring",
    "training",
    "research",
    "testing",
    "quality",
    "safety",
    "payments",
    "lending",
    "insurance",
    "diagnostics",
    "farming",
    "tourism",
    "education",
    "permits",
    "grid",
    "storage",
    "hydrogen",
    "materials",
    "chips",
    "networks",
    "satellites",
    "railways",
    "airlines",
    "ports",
    "warehouses",
    "delivery",
    "retail",
    "stores",
    "customers",
    "advertising",
    "translation",
    "search",
    "speech",
    "video",
    "contracts",
    "accounting",
    "taxes",
    "patents",
    "standards",
    "encryption",
    "recycling",
    "housing",
    "transit",
    "elder care",
    "nutrition",
    "beverages",
    "appliances",
    "components",
    "factories",
    "machinery",
    "sensors",
    "audits",
    "forecasting",
    "scheduling",
    "procurement",
    "compliance",
    "billing",
    "shipping",
    "mining",
    "chemicals",
    "textiles",
    "printing",
    "broadcasting",
    "gaming",
    "weather",
    "water",
    "fleet",
    "parking",
    "security",
    "identity",
    "claims",
    "underwriting",
    "cooling",
    "bakeries",
    "orchards",
    "fisheries",
    "vineyards",
    "cement",
    "steel",
    "glass",
    "paper",
    "rubber",
    "plastics",
    "solar panels",
    "wind farms",
    "turbines",
    "pipelines",
    "bridges",
    "tunnels",
    "dams",
    "hospitals",
    "clinics",
    "pharmacies",
    "schools",
    "libraries",
    "museums",
    "stadiums",
    "hotels",
    "restaurants",
    "cinemas",
    "theme parks",
    "ferries",
    "trucks",
    "buses",
    "scooters",
    "drones",
    "elevators",
    "escalators",
    "vending machines",
    "kiosks",
    "receipts",
    "invoices",
    "pensions",
    "mortgages",
    "bonds",
    "derivatives",
    "currencies",
    "tariffs",
    "subsidies",
    "wages",
    "rents",
];

const EN_VERBS: &[&str] = &[
    "automate",
    "streamline",
    "audit",
    "digitize",
    "monitor",
    "reprice",
    "simplify",
    "expand",
    "consolidate",
    "secure",
    "modernize",
    "outsource",
    "localize",
    "benchmark",
    "retrofit",
    "insure",
];

const EN_ADJECTIVES: &[&str] = &[
    "regional",
    "overseas",
    "aging",
    "fragmented",
    "seasonal",
    "unprofitable",
    "legacy",
    "rural",
    "crowded",
    "manual",
    "paper-based",
    "energy-hungry",
    "under-used",
    "fast-growing",
    "mid-sized",
];

const EN_CITIES: &[&str] = &[
    "Osaka",
    "Boston",
    "Munich",
    "Singapore",
    "Austin",
    "Toronto",
    "Lyon",
    "Seoul",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Language mix of an article.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mix {
    /// Japanese with an occasional English paragraph.
    Japanese,
    /// English only.
    English,
    /// Japanese and English paragraphs in about equal shares.
    Mixed,
}

fn amount_ja(r: &mut Rng) -> String {
    match r.below(6) {
        0 => format!("{}億円", r.range(1, 900)),
        1 => format!("約{}億円", r.range(2, 500)),
        2 => format!("{}億ドル", r.range(1, 80)),
        3 => format!("{}万ドル", r.range(100, 9000)),
        4 => format!("{}兆円", r.range(1, 5)),
        // Full-width digits, as scraped pages often have them.
        _ => full_width(&format!("{}億円", r.range(10, 300))),
    }
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' | 'a'..='z' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn two(r: &mut Rng, list: &[&'static str]) -> (&'static str, &'static str) {
    let a = r.below(list.len());
    let mut b = r.below(list.len() - 1);
    if b >= a {
        b += 1;
    }
    (list[a], list[b])
}

/// One Japanese sentence.
fn ja_sentence(r: &mut Rng) -> String {
    let (a, b) = two(r, JA_COMPANIES);
    let year = r.range(2018, 2026);
    let month = r.range(1, 12);
    let (w1, w2, w3) = (r.pick(WORDS), r.pick(WORDS), r.pick(WORDS));
    let term = r.pick(DEAL_TERMS);
    let field = r.pick(FIELDS);
    let product = r.pick(PRODUCTS);
    match r.below(14) {
        0 => format!("{year}年{month}月、{a}は{b}と{term}を締結したと発表した。"),
        1 => format!(
            "{a}と{b}は{year}年{month}月{}日、{field}分野での{term}に合意した。",
            r.range(1, 28)
        ),
        2 => format!(
            "{a}は{b}に{}を出資し、{product}の共同開発を進める。",
            amount_ja(r)
        ),
        3 => format!(
            "両社は{}に新たな拠点を設け、{}年までに{w1}と{w2}の{w3}を目指す。",
            r.pick(CITIES),
            year + r.range(2, 8)
        ),
        4 => format!(
            "{}社長は記者会見で「{w1}の{w2}を加速させたい」と述べた。",
            r.pick(PEOPLE)
        ),
        5 => format!(
            "{a}は{year}年度に{field}関連の売上高を{}に引き上げる計画だ。",
            amount_ja(r)
        ),
        6 => format!("関係者によると、{b}の企業価値は{}に達したという。", amount_ja(r)),
        7 => format!(
            "{a}が開発した{product}を{b}が導入し、{}の工場で{w1}の運用を始めた。",
            r.pick(CITIES)
        ),
        8 => format!("業界では{w1}や{w2}をめぐる{w3}の動きが続いており、今回の{term}もその流れに沿ったものだ。"),
        9 => format!("同社の{w1}部門は{year}年に{}の{w2}費を計上した。", amount_ja(r)),
        10 => format!("{a}、{b}と{field}で{term}。{w1}{w2}の{w3}に向けた取り組みを強化する。"),
        11 => format!("これまで{w1}の現場では{w2}に時間がかかり、{w3}の担当者の負担が課題になっていた。"),
        12 => format!(
            "{}年以降、{a}は{field}の分野で国内外の企業との協業を広げてきた。",
            year - r.range(1, 5)
        ),
        _ => format!("今回の提携で、{b}は{a}の{w1}{w2}網を活用できるようになる。"),
    }
}

/// One English sentence.
fn en_sentence(r: &mut Rng) -> String {
    let (a, b) = two(r, EN_COMPANIES);
    let year = r.range(2018, 2026);
    let field = r.pick(EN_FIELDS);
    let city = r.pick(EN_CITIES);
    let (w1, w2, w3, w4) = (
        r.pick(EN_WORDS),
        r.pick(EN_WORDS),
        r.pick(EN_WORDS),
        r.pick(EN_WORDS),
    );
    let (v1, v2) = (r.pick(EN_VERBS), r.pick(EN_VERBS));
    let (j1, j2) = (r.pick(EN_ADJECTIVES), r.pick(EN_ADJECTIVES));
    match r.below(18) {
        12 => format!("The companies hope to {v1} {j1} {w1} and {v2} {j2} {w2} before {}.", year + r.range(1, 6)),
        13 => format!("{j1} {w1} operators have long asked for ways to {v1} {w2}, {w3} and {w4}."),
        14 => format!("In {city}, {a} already helps {j1} {w1} firms {v1} their {w2}."),
        15 => format!("Critics warn that moves to {v1} {w1} could hurt {j1} {w2} and {j2} {w3}."),
        16 => format!("{b} will {v1} the {w1} side, while {a} is expected to {v2} {w2} and {w3}."),
        17 => format!("Earlier pilots in {city} covered {w1}, {w2}, {w3} and {j1} {w4}."),
        8 => format!(
            "The plan also covers {w1} {w2} and {w3} {w4}, areas where {a} has struggled to keep pace."
        ),
        9 => format!("Demand for {w1} and {w2} software grew {} percent last year, according to {b}.", r.range(3, 60)),
        10 => format!("{a} said its {w1} unit would hire {} engineers in {city} to work on {w2} and {w3}.", r.range(20, 900)),
        11 => format!("Until now, {w1} teams at {a} spent weeks on {w2}, and {w3} was often delayed."),
        0 => format!(
            "{a} announced on {} {}, {year} that it will partner with {b} to develop {field} tools.",
            r.pick(MONTHS),
            r.range(1, 28)
        ),
        1 => format!(
            "{a} invested ${} million in {b}, a {field} startup based in {city}.",
            r.range(5, 900)
        ),
        2 => format!(
            "The two companies signed a joint development agreement in {year} covering {field} and {}.",
            r.pick(EN_FIELDS)
        ),
        3 => format!(
            "Under the deal, {b} will supply {field} systems to {a}'s plants in {city} starting in fiscal {}.",
            year + 1
        ),
        4 => format!(
            "Analysts said the alliance could lift annual revenue by about {} billion yen by {}.",
            r.range(2, 90),
            year + r.range(3, 9)
        ),
        5 => format!(
            "{a} and {b} formed a joint venture in {year}, with {a} holding a {} percent stake.",
            r.range(10, 70)
        ),
        6 => format!(
            "Engineers from both sides will work in {city} on {field}, the companies said in a statement."
        ),
        _ => format!(
            "{a} did not disclose the terms, but people familiar with the matter put the value at ${} billion.",
            r.range(1, 20)
        ),
    }
}

fn ja_paragraph(r: &mut Rng) -> String {
    let n = r.range(3, 7);
    (0..n).map(|_| ja_sentence(r)).collect()
}

fn en_paragraph(r: &mut Rng) -> String {
    let n = r.range(3, 6);
    (0..n).map(|_| en_sentence(r)).collect::<Vec<_>>().join(" ")
}

fn table(r: &mut Rng) -> String {
    let mut t = String::from("| 企業 | 提携先 | 年 | 内容 |\n| --- | --- | --- | --- |\n");
    for _ in 0..r.range(4, 10) {
        let (a, b) = two(r, JA_COMPANIES);
        let country = r.pick(&["日本", "米国", "ドイツ", "シンガポール"]);
        let _ = writeln!(
            t,
            "| {a} | {b}（{country}） | {}年 | {}。{}向けの{}を共同開発し、{}の{}を進める。{} |",
            r.range(2019, 2026),
            r.pick(DEAL_TERMS),
            r.pick(FIELDS),
            r.pick(PRODUCTS),
            r.pick(WORDS),
            r.pick(WORDS),
            if r.chance(50) {
                format!("出資額は{}。", amount_ja(r))
            } else {
                String::new()
            }
        );
    }
    t.pop();
    t
}

fn heading(r: &mut Rng, mix: Mix) -> String {
    let level = if r.chance(70) { "##" } else { "###" };
    if mix == Mix::English {
        let (a, b) = two(r, EN_COMPANIES);
        return format!("{level} {a} and {b} team up on {}", r.pick(EN_FIELDS));
    }
    let (a, b) = two(r, JA_COMPANIES);
    format!(
        "{level} {a}と{b}、{}で{}",
        r.pick(FIELDS),
        r.pick(DEAL_TERMS)
    )
}

fn front_matter(r: &mut Rng, mix: Mix) -> String {
    let year = r.range(2019, 2026);
    let title = if mix == Mix::English {
        let (a, b) = two(r, EN_COMPANIES);
        format!("{a} and {b}: what the {} deal means", r.pick(EN_FIELDS))
    } else {
        let (a, b) = two(r, JA_COMPANIES);
        format!(
            "{a}と{b}が{}、{}の{}を加速",
            r.pick(DEAL_TERMS),
            r.pick(FIELDS),
            r.pick(WORDS)
        )
    };
    format!(
        "---\ntitle: \"{title}\"\ndate: {year}-{:02}-{:02} {:02}:{:02}:00 +0900\ncategories: [\"{}\"]\ntags: [\"提携\", \"{}\", \"{}\"]\nauthor: \"{}編集部\"\n---\n",
        r.range(1, 12),
        r.range(1, 28),
        r.range(0, 23),
        r.range(0, 59),
        r.pick(FIELDS),
        r.pick(WORDS),
        r.pick(WORDS),
        r.pick(&["テック潮流", "産業ニュース", "AIビジネス", "経済ウォッチ"])
    )
}

/// Cuts `paragraph` about two thirds through, inside a sentence.
fn cut(paragraph: &str, r: &mut Rng) -> String {
    let chars: Vec<char> = paragraph.chars().collect();
    let mut at = chars.len() * r.range(55, 80) as usize / 100;
    while at > 1 && matches!(chars[at - 1], '。' | '.' | ' ' | '」') {
        at -= 1;
    }
    chars[..at].iter().collect()
}

/// One article of about `size` bytes (never much less; at most one section more).
pub fn article(seed: u64, size: usize, mix: Mix) -> String {
    let mut r = Rng::new(seed);
    let mut out = front_matter(&mut r, mix);
    out.push('\n');
    let mut kept: Vec<String> = Vec::new();
    let mut first = true;
    while out.len() < size {
        let mut section = String::new();
        if first {
            let (a, b) = two(&mut r, JA_COMPANIES);
            if mix == Mix::English {
                let _ = writeln!(
                    section,
                    "# {} partners with {}\n",
                    r.pick(EN_COMPANIES),
                    r.pick(EN_COMPANIES)
                );
            } else {
                let _ = writeln!(section, "# {a}、{b}と{}\n", r.pick(DEAL_TERMS));
            }
            first = false;
        } else {
            let _ = writeln!(section, "{}\n", heading(&mut r, mix));
        }
        for _ in 0..r.range(1, 3) {
            let english = match mix {
                Mix::Japanese => r.chance(8),
                Mix::English => true,
                Mix::Mixed => r.chance(50),
            };
            let p = if english {
                en_paragraph(&mut r)
            } else {
                ja_paragraph(&mut r)
            };
            match r.below(20) {
                // Cut at a scrape marker and repeated in full after it.
                0 | 1 => {
                    let _ = writeln!(section, "{}\n\n---END---\n\n{p}\n", cut(&p, &mut r));
                }
                // A paragraph repeated verbatim from earlier in the article.
                2 if !kept.is_empty() => {
                    let old = kept[r.below(kept.len())].clone();
                    let _ = writeln!(section, "{p}\n\n{old}\n");
                }
                _ => {
                    let _ = writeln!(section, "{p}\n");
                }
            }
            kept.push(p);
        }
        if mix != Mix::English && r.chance(12) {
            let _ = writeln!(section, "{}\n", table(&mut r));
        }
        if r.chance(5) {
            let _ = writeln!(
                section,
                "<p style=\"font-size:0.9em;\">注: {}は{}時点の情報です。</p>\n",
                full_width("AI"),
                r.range(2020, 2026)
            );
        }
        out.push_str(&section);
    }
    out
}

/// The mix of article `i` of a corpus: 70% Japanese, 15% English, 15% mixed.
pub fn mix_of(i: u64) -> Mix {
    match i % 20 {
        0..=13 => Mix::Japanese,
        14..=16 => Mix::English,
        _ => Mix::Mixed,
    }
}

/// Size of article `i` of a corpus: a long tail, as in a crawl: 12 of 20
/// articles are about 2 KB, 7 about 20 KB, 1 about 200 KB (per 20 articles:
/// about 24 KB + 140 KB + 200 KB).
pub fn size_of(i: u64) -> usize {
    match (i * 7) % 20 {
        0..=11 => 2_000,
        12..=18 => 20_000,
        _ => 200_000,
    }
}

/// Article `i` of the standard corpus.
pub fn corpus_article(i: u64) -> String {
    article(0x5eed_0000 + i, size_of(i), mix_of(i))
}

/// Writes the standard corpus of about `megabytes` MB into `dir`
/// (`NNN/article-NNNNNN.md`, 1000 files per folder). Returns (files, bytes).
pub fn write_corpus(dir: &std::path::Path, megabytes: u64) -> std::io::Result<(u64, u64)> {
    let target = megabytes * 1_000_000;
    let (mut files, mut bytes) = (0u64, 0u64);
    while bytes < target {
        let sub = dir.join(format!("{:03}", files / 1000));
        if files % 1000 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let text = corpus_article(files);
        std::fs::write(sub.join(format!("article-{files:06}.md")), &text)?;
        bytes += text.len() as u64;
        files += 1;
    }
    Ok((files, bytes))
}

/// A sample of the corpus of about `bytes` bytes (whole articles, corpus order).
pub fn corpus_sample(bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while total < bytes {
        let a = corpus_article(i);
        total += a.len();
        out.push(a);
        i += 1;
    }
    out
}
