//! Training data of the company model from annotated news
//! (`kiji::train::news`): gold company surfaces projected onto the paragraphs
//! and tokens the pipeline gives, as BIO labels. The article is invented.

mod common;

use kiji::extract::companies::model::{spans_of, B_COMPANY, I_COMPANY, OUTSIDE};
use kiji::records::training::Corpus;
use kiji::train::news;

const ARTICLE: &str = "北斗ケミカル株式会社は東西化成と業務提携した。\n\n\
東西化成の新工場は北斗ケミカルの隣に建つ。\n\n\
南海新報によると、北斗ケミカル株式会社は増資する。\n\n\
Hokuto Chemical and Tozai Kasei signed an agreement.\n";

const GOLD: &str = r#"{"x001_ja_invented.txt": {
  "lang": "ja",
  "companies": ["北斗ケミカル株式会社", "東西化成"],
  "companies_optional": ["南海新報"],
  "company_groups": [["北斗ケミカル株式会社", "北斗ケミカル"]]
}}"#;

#[test]
fn gold_surfaces_become_bio_labels_and_optional_paragraphs_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gold.json"), GOLD).unwrap();
    std::fs::write(dir.path().join("x001_ja_invented.txt"), ARTICLE).unwrap();
    let corpus = Corpus {
        name: "invented".into(),
        gold: dir.path().join("gold.json"),
        dir: dir.path().to_path_buf(),
    };
    let p = common::pipeline();
    let files = news::load(p, &[corpus]).unwrap();
    assert_eq!(files.len(), 1);
    let f = &files[0];
    // The paragraph naming the optional 南海新報 is left out; the English one has no tokens.
    assert_eq!(f.excluded, 1);
    assert_eq!(f.paragraphs.len(), 2);
    let expected: [&[&str]; 2] = [
        &["北斗ケミカル株式会社", "東西化成"],
        &["東西化成", "北斗ケミカル"],
    ];
    for (para, want) in f.paragraphs.iter().zip(expected) {
        let tokens = p.paragraph_tokens(&para.text).unwrap();
        let labels = news::paragraph_labels(&tokens, para);
        assert_eq!(labels.len(), tokens.len());
        assert_eq!(labels[0], B_COMPANY, "{}", para.text);
        assert!(labels
            .iter()
            .all(|l| [B_COMPANY, I_COMPANY, OUTSIDE].contains(l)));
        let names: Vec<&str> = spans_of(&tokens, &labels)
            .into_iter()
            .map(|(a, b)| &para.text[a..b])
            .collect();
        assert_eq!(names, want, "{}", para.text);
        // Every token outside the names is O.
        let inside = |t: &kiji::tokenize::Token| {
            para.spans.iter().any(|&(a, b, _)| t.start < b && a < t.end)
        };
        for (t, l) in tokens.iter().zip(&labels) {
            assert_eq!(*l == OUTSIDE, !inside(t), "{}", &para.text[t.start..t.end]);
        }
    }
}
