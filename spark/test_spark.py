"""Tests of the Spark job (spark/kiji_spark.py) in local mode (`local[2]`).

Run with `bash scripts/spark-test.sh` (venv with pyspark, release binary).
The binary is target/release/kiji, or $KIJI_BIN.

- the fixture articles, split into JSON Lines shards with exact and near
  duplicates across shards, give the same documents, records and
  `duplicate_of` marks as `kiji ingest` over the same shard folder;
- the cross-shard duplicate rule equals `DuplicateIndex::check` (a port of it
  below) on synthetic signatures;
- a mapper that crashes, is killed or loses lines fails the job with a clear
  error, and nothing is written.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import random
import stat
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import kiji_spark as ks  # noqa: E402

KIJI = Path(os.environ.get("KIJI_BIN", ROOT / "target" / "release" / "kiji")).resolve()
FIXTURES = ROOT / "fixtures"

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


# ---------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    if not KIJI.is_file():
        pytest.fail(f"no kiji binary at {KIJI}: run cargo build --release")
    local_dir = tmp_path_factory.mktemp("spark-local")
    s = ks.session(
        "local[2]",
        {
            "spark.local.dir": str(local_dir),
            "spark.sql.shuffle.partitions": "4",
        },
        app="kiji-tests",
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def fixture_articles():
    """Every fixture article (not the *.json expectations) as a JSON Lines
    article: `text` (or `html` for .html) and `format` = the extension."""
    arts = []
    for path in sorted(FIXTURES.iterdir()):
        if not path.is_file() or path.suffix == ".json":
            continue
        ext = path.suffix.lstrip(".")
        body = path.read_text(encoding="utf-8")
        arts.append(
            {
                "id": path.name,
                ("html" if ext in ("html", "htm") else "text"): body,
                "format": ext,
                "url": f"https://example.com/{path.stem}",
            }
        )
    assert len(arts) >= 6, "expected the fixture articles in fixtures/"
    return arts


def near_copy(article, tag):
    """A near duplicate: same article with one sentence added at the end and
    a few characters changed."""
    a = dict(article)
    key = "html" if "html" in a else "text"
    body = a[key]
    body = body.replace("2024", "2O24", 1)
    a[key] = body + f"\n\n追記:この記事は転載です({tag})。\n"
    a["id"] = f"{article['id']}~{tag}"
    return a


def line(obj):
    return json.dumps(obj, ensure_ascii=False)


@pytest.fixture(scope="session")
def shards(tmp_path_factory):
    """A shard folder built from the fixtures, with duplicates across shards
    (some placed before their original in the global order), blank lines,
    bad lines, CRLF endings and a last line without a newline."""
    arts = fixture_articles()
    longest = max(arts, key=lambda a: len(a.get("text") or a.get("html")))
    short = {"id": "short", "text": "短い記事です。"}
    d = tmp_path_factory.mktemp("shards")
    (d / "sub").mkdir()
    layout = {
        # sorted first: a near copy of the last fixture comes before it
        "shard-00.jsonl": [
            line(near_copy(arts[-1], "early")),
            line(short),
            line(arts[0]),
            line(arts[1]),
        ],
        "shard-01.jsonl": [
            line(arts[2]),
            "",
            "not json at all",
            line(arts[3]) + "\r",  # CRLF line ending
            "   ",
            line({"id": "nobody", "title": "no body"}),
        ],
        "shard-02.jsonl": [
            line(arts[4]),
            line(arts[0]),  # exact duplicate of shard-00#3
            "\u3000",  # only an ideographic space
            line(near_copy(longest, "late")),
            line(arts[5]),
        ],
        "sub/shard-03.ndjson": [
            line(arts[-1]),  # first line: the original of the near copy in shard-00
            *[line(a) for a in arts[6:-1]],
            line(near_copy(arts[-1], "early")),  # exact copy of a near copy
            line(short),  # short texts are never duplicates
            line(near_copy(arts[2], "x")),  # last line, no newline
        ],
    }
    for name, rows in layout.items():
        text = "\n".join(rows)
        if not name.endswith(".ndjson"):
            text += "\n"
        (d / name).write_text(text, encoding="utf-8")
    return d


def run_ingest(shard_dir, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    docs, recs, recs_csv = out_dir / "docs.jsonl", out_dir / "recs.jsonl", out_dir / "recs.csv"
    for records, fmt in ((recs, "jsonl"), (recs_csv, "csv")):
        r = subprocess.run(
            [str(KIJI), "ingest", str(shard_dir), "--quiet", "--jobs", "2", "-o", str(docs),
             "--records", str(records), "--records-format", fmt],
            capture_output=True, text=True,
        )
        assert r.returncode in (0, 2), r.stderr
    return (
        [json.loads(l) for l in docs.read_text(encoding="utf-8").splitlines()],
        [json.loads(l) for l in recs.read_text(encoding="utf-8").splitlines()],
        list(csv.DictReader(recs_csv.read_text(encoding="utf-8-sig").splitlines(True))),
    )


@pytest.fixture(scope="session")
def ingest(shards, tmp_path_factory):
    docs, recs, recs_csv = run_ingest(shards, tmp_path_factory.mktemp("ingest"))
    # The test data must exercise what it claims to.
    marked = {d["id"]: d["duplicate_of"] for d in docs if d.get("duplicate_of")}
    assert marked.get("shard-02.jsonl#2") == "shard-00.jsonl#3", marked  # exact, other shard
    # the original fixture comes after its near copy: it is the duplicate
    last = [d["id"] for d in docs if d["id"].startswith("sub/shard-03.ndjson#")][0]
    assert marked.get(last) == "shard-00.jsonl#1", marked
    assert len(marked) >= 5, marked
    assert any(d.get("error") for d in docs)
    assert not any(d.get("duplicate_of") for d in docs if "短い" in d.get("text", ""))
    return docs, recs, recs_csv


def spark_documents(out):
    parts = sorted(glob.glob(str(out / "documents" / "part-*")))
    assert parts, f"no documents in {out}"
    return [json.loads(l) for p in parts for l in Path(p).read_text(encoding="utf-8").splitlines()]


def flat_records(recs):
    """`kiji ingest --records` JSON lines flattened to the Spark table's columns."""
    rows = []
    for r in recs:
        parties = r["parties"]
        amount = r.get("amount") or {}
        rows.append(
            {
                "id": r["id"],
                "company_a": parties[0]["name"] if len(parties) > 0 else None,
                "company_b": parties[1]["name"] if len(parties) > 1 else None,
                "country_a": parties[0]["country"] if len(parties) > 0 else None,
                "country_b": parties[1]["country"] if len(parties) > 1 else None,
                "role_a": parties[0]["role"] if len(parties) > 0 else None,
                "role_b": parties[1]["role"] if len(parties) > 1 else None,
                "kind": r.get("kind"),
                "verb": r.get("verb"),
                "year": r.get("year"),
                "year_source": r.get("year_source"),
                "amount_value": amount.get("value"),
                "amount_currency": amount.get("currency"),
                "evidence": " / ".join(e["text"] for e in r["evidence"]),
            }
        )
    return rows


def assert_same_documents(got, want):
    assert [d["id"] for d in got] == [d["id"] for d in want]
    for g, w in zip(got, want):
        assert g == w, f"document {w['id']} differs: " + ", ".join(
            k for k in sorted(set(g) | set(w)) if g.get(k) != w.get(k)
        )
    assert [d.get("duplicate_of") for d in got] == [d.get("duplicate_of") for d in want]


# ---------------------------------------------------------------------------
# Same answers as kiji ingest


def test_cli_matches_ingest(shards, ingest, tmp_path):
    """The README command (plain python, local[2], CSV records) equals
    `kiji ingest` over the same shard folder."""
    want_docs, want_recs, want_csv = ingest
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, str(HERE / "kiji_spark.py"), str(shards), str(out),
         "--kiji", str(KIJI), "--master", "local[2]", "--partitions", "3",
         "--records-format", "csv", "--local-dir", str(tmp_path / "scratch"),
         "--conf", "spark.sql.shuffle.partitions=4"],
        capture_output=True, text=True, timeout=600,
    )
    # Like ingest: 2 when some lines failed (the bad lines in the shards).
    assert r.returncode == 2, r.stderr[-3000:]
    assert_same_documents(spark_documents(out), want_docs)

    csv_files = glob.glob(str(out / "records" / "*.csv"))
    assert len(csv_files) == 1
    with open(csv_files[0], encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f))
    # Every column that `kiji ingest --records-format csv` has, as it writes them.
    assert [{k: g[k] for k in w} for g, w in zip(got, want_csv)] == want_csv
    assert len(got) == len(want_csv) > 0
    # ... and year_source, which only the documents have.
    assert [g["year_source"] for g in got] == [
        w["year_source"] or "" for w in flat_records(want_recs)
    ]

    summary = json.loads((out / "summary.json").read_text())
    assert summary["seen"] == len(want_docs)
    assert summary["failed"] == sum(1 for d in want_docs if "error" in d)
    assert summary["duplicates"] == sum(1 for d in want_docs if d.get("duplicate_of"))
    assert summary["records"] == len(want_recs)
    assert summary["partitions"] >= 3


@pytest.mark.parametrize("partitions", [1, 5])
def test_in_process_matches_ingest_for_any_partitioning(spark, shards, ingest, tmp_path, partitions):
    want_docs, want_recs, _ = ingest
    out = tmp_path / "out"
    summary = ks.run(spark, str(shards), str(out), kiji=str(KIJI), partitions=partitions)
    assert_same_documents(spark_documents(out), want_docs)
    # In document order across the part files, read in name order.
    parts = sorted(glob.glob(str(out / "records" / "part-*.parquet")))
    got = [r.asDict() for p in parts for r in spark.read.parquet(p).collect()]
    assert got == flat_records(want_recs)
    assert summary["failed"] == 3


def test_split_shard_reads_lines_like_ingest():
    data = b'{"text":"a"}\r\n\n  \n{"text":"\xe3\x81\x82"}\n\xe3\x80\x80\n\xff{}'
    rows = list(ks.split_shard("s.jsonl", 1, data))
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("s.jsonl#1", 14, 1),
        ("s.jsonl#4", 15, 4),
        ("s.jsonl#5", 4, 5),
        ("s.jsonl#6", 3, 6),
    ]
    assert rows[0][4] == '{"text":"a"}\r'
    assert rows[2][4] is None and "column 1" in rows[2][5]
    assert rows[3][4] == "\ufffd{}"
    assert rows[1][0] < rows[2][0] and ks.position(0, 99) < rows[0][0]


# ---------------------------------------------------------------------------
# The duplicate rule against a port of DuplicateIndex::check


def reference_duplicates(docs):
    """A line-by-line port of `DuplicateIndex::check` (src/batch.rs), applied
    in order. `docs` = [(id, signature or None, text_hash)]."""
    ids, sigs, exact, buckets, out = [], [], {}, defaultdict(list), {}
    for doc_id, sig, h in docs:
        if sig is None:
            out[doc_id] = None
            continue
        idx = len(ids)
        best = exact.get(h)
        keys = [(b, tuple(sig[4 * b : 4 * b + 4])) for b in range(ks.BANDS)]
        for k in keys:
            for j in buckets.get(k, []):
                if best is not None and best <= j:
                    continue
                same = sum(1 for x, y in zip(sig, sigs[j]) if x == y)
                if same / max(len(sig), 1) >= ks.NEAR_JACCARD:
                    best = j
        exact.setdefault(h, idx)
        for k in keys:
            lst = buckets[k]
            if not lst or lst[-1] != idx:
                lst.append(idx)
        ids.append(doc_id)
        sigs.append(sig)
        out[doc_id] = ids[best] if best is not None else None
    return out


def synthetic_documents(n=400, seed=7):
    """Signatures in families (a base plus variants with k changed values,
    around the 0.6 threshold), shuffled over shards, plus equal texts, equal
    signatures with different texts, hash collisions and short texts."""
    rng = random.Random(seed)
    bases = [[rng.randrange(1 << 32) for _ in range(64)] for _ in range(25)]
    docs = []
    for i in range(n):
        r = rng.random()
        if r < 0.05:
            sig, h = None, f"{rng.randrange(3):016x}"  # short text
        elif r < 0.15 and docs:
            _, sig, h = rng.choice(docs)  # same text again
        else:
            base = rng.choice(bases)
            k = rng.choice([0, 1, 5, 20, 24, 25, 26, 30, 40, 64])
            sig = list(base)
            for p in rng.sample(range(64), k):
                sig[p] = rng.choice([rng.randrange(1 << 32), rng.randrange(4)])
            h = f"{rng.randrange(1 << 64):016x}" if rng.random() > 0.03 else "00000000000000ff"
        docs.append((None, sig, h))
    placed = []
    for i, (_, sig, h) in enumerate(docs):
        shard, ln = rng.randrange(6), i + 1
        placed.append((ks.position(shard, ln), f"s{shard}.jsonl#{ln}", sig, h))
    placed.sort()
    return placed


def test_duplicates_equal_single_machine_rule(spark):
    from pyspark.sql import types as T

    placed = synthetic_documents()
    want = reference_duplicates([(i, s, h) for _, i, s, h in placed])
    assert sum(1 for v in want.values() if v) > 50  # the data has many of each kind
    schema = T.StructType(
        [
            T.StructField("pos", T.LongType(), False),
            T.StructField("id", T.StringType(), False),
            T.StructField("sig", T.ArrayType(T.LongType(), False), True),
            T.StructField("text_hash", T.StringType(), True),
        ]
    )
    rng = random.Random(1)
    shuffled = list(placed)
    rng.shuffle(shuffled)  # the Spark side never relies on input order
    df = spark.createDataFrame(shuffled, schema).repartition(3)
    got = {r["pos"]: r["duplicate_of"] for r in ks.find_duplicates(spark, df).collect()}
    assert {i: got.get(p) for p, i, _, _ in placed} == want


# ---------------------------------------------------------------------------
# A mapper that fails must fail the job


def wrapper(tmp_path, name, body):
    """An executable that Spark ships instead of kiji."""
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\nREAL={str(KIJI)!r}\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def test_killed_mapper_fails_job(spark, shards, tmp_path):
    # kiji answers two lines, then the mapper is killed (SIGKILL) mid-partition.
    bad = wrapper(tmp_path, "kiji-killed", 'head -n 2 | "$REAL" "$@"\nkill -KILL $$')
    out = tmp_path / "out"
    with pytest.raises(ks.KijiSparkError) as e:
        ks.run(spark, str(shards), str(out), kiji=str(bad), partitions=2)
    msg = str(e.value)
    assert "kiji mapper failed" in msg and "exited with error code" in msg, msg
    assert not out.exists()
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_mapper_losing_lines_fails_job(spark, shards, tmp_path):
    # A mapper that stops early but exits 0: rdd.pipe alone would accept it.
    bad = wrapper(tmp_path, "kiji-short", 'head -n 2 | "$REAL" "$@"\nexit 0')
    out = tmp_path / "out"
    with pytest.raises(ks.KijiSparkError) as e:
        ks.run(spark, str(shards), str(out), kiji=str(bad), partitions=2)
    msg = str(e.value)
    assert "did not return one line per input line" in msg and "got 2 back" in msg, msg
    assert not out.exists()


def test_cli_crashing_mapper_exits_1_with_clear_error(shards, tmp_path):
    bad = wrapper(tmp_path, "kiji-crash", 'head -n 1 | "$REAL" "$@"\nexit 101')
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, str(HERE / "kiji_spark.py"), str(shards), str(out),
         "--kiji", str(bad), "--master", "local[2]", "--local-dir", str(tmp_path / "scratch")],
        capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 1, r.stderr[-3000:]
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("kiji-spark: error: the kiji mapper failed, nothing written"), last
    assert "exited with error code 101" in last, last
    assert not out.exists()
