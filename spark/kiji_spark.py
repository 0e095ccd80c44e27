#!/usr/bin/env python3
"""kiji on Apache Spark: a folder of JSON Lines shards in, documents and a flat
table of partnership records out, with `duplicate_of` computed across shards.

    python spark/kiji_spark.py SHARDS/ OUT/ [--kiji target/release/kiji]
    spark-submit spark/kiji_spark.py SHARDS/ OUT/ --kiji /path/to/kiji

Each shard line is one article (the input of `kiji stream`). The result is the
same as `kiji ingest SHARDS/` on one machine:

- `OUT/documents/part-*`: one JSON line per non-blank input line, in the order
  of `kiji ingest` (shard path, then line number; concatenate the part files
  in name order), with id `SHARD#LINE` and `duplicate_of` set across shards;
- `OUT/records/`: one row per partnership record (Parquet, or CSV with
  `--records-format csv`);
- `OUT/summary.json`: counts (seen, ok, failed, duplicates, partitions).

How it works: the kiji release binary is shipped with `SparkContext.addFile`
and run as a mapper with `RDD.pipe(..., checkCode=True)` as
`kiji stream --signatures --no-duplicates --jobs 1` (one process per
partition; Spark gives the parallelism). Every partition must come back with
as many lines as it was given, or the job fails. Duplicates are then found
with a self-join on the LSH band keys of the MinHash signatures (see
`find_duplicates`). Output is written to a temporary folder and renamed into
place only when everything succeeded, so a failed run leaves no output.

Exit status: 0 every document processed, 2 some documents failed (their error
lines are written, like `kiji ingest`), 1 fatal error (bad arguments, a mapper
that crashed or lost lines, Spark failure): nothing is written then.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shlex
import sys
import time
import uuid

# The duplicate rule of `kiji::batch::DuplicateIndex` (src/dedup.rs).
SIGNATURE_LEN = 64
BANDS = 16
ROWS = SIGNATURE_LEN // BANDS
NEAR_JACCARD = 0.6

STREAM_ARGS = ["stream", "--signatures", "--no-duplicates", "--jobs", "1"]
JSONL_EXTENSIONS = ("jsonl", "ndjson")
DEFAULT_IPADIC_SRC = "/usr/share/mecab/dic/ipadic"

# Line numbers take the low 32 bits of a position, the shard's index in the
# sorted shard list the high bits: positions sort like `kiji ingest` ids.
LINE_BITS = 32

RECORD_COLUMNS = [
    "id",
    "company_a",
    "company_b",
    "country_a",
    "country_b",
    "role_a",
    "role_b",
    "kind",
    "verb",
    "year",
    "year_source",
    "amount_value",
    "amount_currency",
    "evidence",
]

# Bytes that Rust's `u8::is_ascii_whitespace` accepts: a JSON Lines line made
# only of these is skipped by `kiji ingest` (no document, no error).
ASCII_WS = b" \t\n\x0c\r"
# Rust's `char::is_whitespace` (Unicode White_Space), used by `kiji stream`'s
# "empty line" check.
UNICODE_WS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Whitespace that serde_json skips before a value.
JSON_WS = b" \t\n\r"


class KijiSparkError(Exception):
    """A fatal error of the Spark job (the job writes nothing)."""


# --------------------------------------------------------------------------
# Pure functions (run in the Python workers; also unit-testable)


def position(shard_index: int, line: int) -> int:
    """The global order key of line `line` (1-based) of shard number `shard_index`."""
    return (shard_index << LINE_BITS) | line


def split_shard(rel: str, shard_index: int, data: bytes):
    """The lines of a shard as `kiji ingest` reads them (lines end at b"\\n",
    lines of ASCII whitespace only are skipped but counted).

    Yields (pos, id, nbytes, line_no, text, error): `text` is the line for
    `kiji stream` (decoded like `String::from_utf8_lossy`), or None when the
    line gets an error line without running kiji (`error`)."""
    for line_no, raw in enumerate(io.BytesIO(data), start=1):
        if not raw.strip(ASCII_WS):
            continue
        text = raw.decode("utf-8", errors="replace")
        if text.endswith("\n"):
            text = text[:-1]
        error = None
        if not text.strip(UNICODE_WS):
            # Only non-ASCII whitespace (e.g. U+3000): `kiji stream` would
            # call it an empty line, `kiji ingest` hands it to the JSON
            # parser, which stops at the first byte it does not skip.
            col = len(raw) - len(raw.lstrip(JSON_WS)) + 1
            error = f"bad JSON input: expected value at line 1 column {col}"
            text = None
        yield (
            position(shard_index, line_no),
            f"{rel}#{line_no}",
            len(raw),
            line_no,
            text,
            error,
        )


def merge_output(item):
    """Pairs an input line with its `kiji stream` output line and turns the
    output into what `kiji ingest` writes for that line of a .jsonl file
    (see `Content::JsonLine` in src/pipeline.rs): id `SHARD#LINE`, source
    `{format: jsonl, encoding: UTF-8, bytes: length of the line with its
    newline}`, `source_line` = line number on paragraphs and entities.

    Returns (pos, id, doc, signature, text_hash): `doc` is the document (or
    error line) as a dict, without `signature` and `text_hash`."""
    (pos, doc_id, nbytes, line_no, _text, _error), out_line = item
    try:
        doc = json.loads(out_line)
    except ValueError as e:
        raise KijiSparkError(f"kiji stream wrote a line that is not JSON for {doc_id}: {e}")
    if not isinstance(doc, dict):
        raise KijiSparkError(f"kiji stream wrote a line that is not an object for {doc_id}")
    if "error" in doc and "source" not in doc:
        return (pos, doc_id, {"id": doc_id, "error": doc["error"]}, None, None)
    doc["id"] = doc_id
    doc["source"] = {"format": "jsonl", "encoding": "UTF-8", "bytes": nbytes}
    for key in ("paragraphs", "entities"):
        for item_ in doc.get(key) or []:
            if isinstance(item_, dict) and "source_line" in item_:
                item_["source_line"] = line_no
    signature = doc.pop("signature", None)
    text_hash = doc.pop("text_hash", None)
    if signature is not None and len(signature) != SIGNATURE_LEN:
        raise KijiSparkError(
            f"kiji stream gave a signature of {len(signature)} values for {doc_id}, "
            f"expected {SIGNATURE_LEN}: is the binary from this version of kiji?"
        )
    return (pos, doc_id, doc, signature, text_hash)


def record_rows(doc: dict):
    """The flat rows of a document's partnership records (columns
    RECORD_COLUMNS; company_a/b are the first two parties, evidence texts are
    joined with " / ", as in `kiji ingest --records-format csv`)."""
    rows = []
    for r in doc.get("records") or []:
        parties = r.get("parties") or []

        def party(i, key):
            return parties[i].get(key) if i < len(parties) else None

        amount = r.get("amount") or {}
        value = amount.get("value")
        rows.append(
            (
                doc["id"],
                party(0, "name"),
                party(1, "name"),
                party(0, "country"),
                party(1, "country"),
                party(0, "role"),
                party(1, "role"),
                r.get("kind"),
                r.get("verb"),
                r.get("year"),
                r.get("year_source"),
                float(value) if value is not None else None,
                amount.get("currency"),
                " / ".join(e.get("text", "") for e in r.get("evidence") or []),
            )
        )
    return rows


def rust_number(value):
    """A float as Rust's `{}` formats it (`kiji ingest`'s records CSV):
    1500000000.0 -> "1500000000", 0.5 -> "0.5", never an exponent."""
    if value is None:
        return None
    from decimal import Decimal

    return format(Decimal(repr(float(value))).normalize(), "f")


def to_json(doc: dict) -> str:
    """Compact JSON like serde_json's (field order kept, UTF-8 unescaped)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def count_partition(index, iterator):
    n = 0
    for _ in iterator:
        n += 1
    yield (index, n)


# --------------------------------------------------------------------------
# Driver side


def dictionary_env(cache_dir=None, ipadic_src=None) -> dict:
    """KIJI_CACHE_DIR and KIJI_IPADIC_SRC for the mappers, resolved the way
    kiji resolves them (`rdd.pipe` gives the child an empty environment)."""
    if cache_dir is None:
        cache_dir = os.environ.get("KIJI_CACHE_DIR")
    if cache_dir is None and os.environ.get("XDG_CACHE_HOME"):
        cache_dir = os.path.join(os.environ["XDG_CACHE_HOME"], "kiji")
    if cache_dir is None and os.environ.get("HOME"):
        cache_dir = os.path.join(os.environ["HOME"], ".cache", "kiji")
    if cache_dir is None:
        cache_dir = ".kiji-cache"
    if ipadic_src is None:
        ipadic_src = os.environ.get("KIJI_IPADIC_SRC", DEFAULT_IPADIC_SRC)
    return {
        "KIJI_CACHE_DIR": os.path.abspath(cache_dir),
        "KIJI_IPADIC_SRC": os.path.abspath(ipadic_src),
    }


def list_shards(sc, input_dir: str):
    """The JSON Lines shards under `input_dir` (recursively, any Hadoop file
    system), as [(uri, relative path)] sorted like `kiji ingest` sorts ids."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    root = jvm.org.apache.hadoop.fs.Path(input_dir)
    fs = root.getFileSystem(conf)
    if not fs.exists(root):
        raise KijiSparkError(f"input folder not found: {input_dir}")
    root = fs.makeQualified(root)
    root_str = root.toString().rstrip("/")
    status = fs.getFileStatus(root)
    shards = []
    if status.isFile():
        p = root.toString()
        shards.append((p, p.rsplit("/", 1)[-1]))
    else:
        it = fs.listFiles(root, True)
        while it.hasNext():
            p = it.next().getPath().toString()
            rel = p[len(root_str) :].lstrip("/") if p.startswith(root_str) else p
            shards.append((p, rel))
    shards = [
        (p, rel)
        for p, rel in shards
        if "." in rel.rsplit("/", 1)[-1]
        and rel.rsplit(".", 1)[-1].lower() in JSONL_EXTENSIONS
    ]
    hidden = [rel for _, rel in shards if rel.rsplit("/", 1)[-1][:1] in ("_", ".")]
    if hidden:
        raise KijiSparkError(
            "Spark's file reader skips files whose names start with '_' or '.', "
            f"but `kiji ingest` reads them; rename: {', '.join(sorted(hidden)[:5])}"
        )
    if any("," in p for p, _ in shards):
        raise KijiSparkError("shard paths must not contain ','")
    shards.sort(key=lambda s: s[1].encode("utf-8"))
    return shards


def mapper_command(binary_name: str) -> str:
    """The `rdd.pipe` command: `kiji stream ...` through `sh`, which turns
    kiji's exit status 2 ("some lines failed", each with its error line) into
    0 and passes every other failure on, so `checkCode=True` fails the task
    when kiji crashes, is killed or cannot start."""
    script = (
        f"{shlex.quote(binary_name)} {' '.join(STREAM_ARGS)}; rc=$?; "
        'if [ "$rc" -eq 2 ]; then exit 0; fi; exit "$rc"'
    )
    return shlex.join(["sh", "-c", script])


def mapper_env(sc, cache_dir=None, ipadic_src=None) -> dict:
    """The environment of the mapper: where the dictionary is, and a PATH that
    finds the binary shipped with addFile (in the driver's SparkFiles folder in
    local mode, in the task's working directory on executors)."""
    from pyspark import SparkFiles

    env = dictionary_env(cache_dir, ipadic_src)
    env["PATH"] = os.pathsep.join([SparkFiles.getRootDirectory(), ".", "/usr/bin", "/bin"])
    return env


def _short_error(e: BaseException) -> str:
    """The useful line of a Spark / Py4J error."""
    text = str(e)
    for needle in ("PIPE_FUNCTION_EXITED", "exited with error code", "KijiSparkError"):
        for line in text.splitlines():
            if needle in line:
                return line.strip()
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return lines[0] if lines else repr(e)


_shipped = set()


def _ship(sc, path: str, py: bool = False):
    path = os.path.abspath(path)
    key = (id(sc), path)
    if key in _shipped:
        return
    if py:
        sc.addPyFile(path)
    else:
        sc.addFile(path)
    _shipped.add(key)


def find_duplicates(spark, sigs_df):
    """`duplicate_of` across all shards, exactly as `DuplicateIndex::check`
    (src/batch.rs) decides it on one machine in input order.

    `sigs_df` has (pos long, id string, sig array<long>, text_hash string) for
    every document with a signature. Document d is a duplicate of the earliest
    e (pos_e < pos_d) with the same text_hash, or sharing an LSH band (band b
    = sig[4b..4b+4]) with estimated Jaccard (share of equal positions) >= 0.6.

    Documents with equal signatures form a class; classes are compared once
    (self-join on band keys, then the Jaccard filter). For a class C let
    M(C) = the smallest position in C or in any class similar to C: the
    earliest similar earlier document of d in C is M(C) when M(C) < pos_d and
    there is none otherwise (all candidates are >= M(C)). The same holds for
    equal text_hash with H = the smallest position of that hash. So
    dup(d) = min of those that are < pos_d.

    Returns a DataFrame (pos, duplicate_of)."""
    from pyspark.sql import functions as F

    sigs_df = sigs_df.where(F.col("sig").isNotNull())
    classes = sigs_df.groupBy("sig").agg(F.min("pos").alias("m"))
    bands = classes.select(
        "m", "sig", F.explode(F.sequence(F.lit(0), F.lit(BANDS - 1))).alias("b")
    ).select("m", "b", F.slice("sig", F.col("b") * ROWS + 1, ROWS).alias("rows"))
    x = bands.alias("x")
    y = bands.alias("y")
    candidates = (
        x.join(
            y,
            (F.col("x.b") == F.col("y.b"))
            & (F.col("x.rows") == F.col("y.rows"))
            & (F.col("x.m") < F.col("y.m")),
        )
        .select(F.col("x.m").alias("e"), F.col("y.m").alias("d"))
        .distinct()
    )
    ce = classes.select(F.col("m").alias("e"), F.col("sig").alias("sig_e"))
    cd = classes.select(F.col("m").alias("d"), F.col("sig").alias("sig_d"))
    same = F.aggregate(
        F.zip_with("sig_e", "sig_d", lambda a, b: F.when(a == b, 1).otherwise(0)),
        F.lit(0),
        lambda acc, v: acc + v,
    )
    # Rust: same as f64 / len.max(1) as f64 >= NEAR_JACCARD (len = 64).
    jaccard = same.cast("double") / F.greatest(F.size("sig_d"), F.lit(1)).cast("double")
    similar = (
        candidates.join(ce, "e")
        .join(cd, "d")
        .where(jaccard >= F.lit(NEAR_JACCARD))
        .groupBy("d")
        .agg(F.min("e").alias("near"))
    )
    class_min = (
        classes.join(similar.withColumnRenamed("d", "m"), "m", "left")
        .select("sig", F.least("m", "near").alias("M"))
    )
    hash_min = sigs_df.groupBy("text_hash").agg(F.min("pos").alias("H"))
    marked = (
        sigs_df.join(class_min, "sig")
        .join(hash_min, "text_hash")
        .select(
            "pos",
            F.least(
                F.when(F.col("M") < F.col("pos"), F.col("M")),
                F.when(F.col("H") < F.col("pos"), F.col("H")),
            ).alias("target"),
        )
        .where(F.col("target").isNotNull())
    )
    ids = sigs_df.select(F.col("pos").alias("target"), F.col("id").alias("duplicate_of"))
    return marked.join(ids, "target").select("pos", "duplicate_of")


def run(
    spark,
    input_dir: str,
    output_dir: str,
    kiji: str = "target/release/kiji",
    partitions: int | None = None,
    records_format: str = "parquet",
    cache_dir: str | None = None,
    ipadic_src: str | None = None,
    overwrite: bool = False,
    log=None,
) -> dict:
    """Runs the job; returns the summary. Raises KijiSparkError on a fatal
    error, in which case nothing is written."""
    start = time.monotonic()
    log = log or (
        lambda msg: print(
            f"kiji-spark: [{time.monotonic() - start:6.1f} s] {msg}", file=sys.stderr, flush=True
        )
    )
    sc = spark.sparkContext
    if records_format not in ("parquet", "csv"):
        raise KijiSparkError(f"unknown records format {records_format!r} (parquet or csv)")
    kiji = os.path.abspath(kiji)
    if not os.path.isfile(kiji):
        raise KijiSparkError(f"kiji binary not found: {kiji} (build it: cargo build --release)")
    if not os.access(kiji, os.X_OK):
        raise KijiSparkError(f"kiji binary is not executable: {kiji}")

    jvm = sc._jvm
    hconf = sc._jsc.hadoopConfiguration()
    out_path = jvm.org.apache.hadoop.fs.Path(output_dir)
    out_fs = out_path.getFileSystem(hconf)
    out_path = out_fs.makeQualified(out_path)
    if out_fs.exists(out_path):
        if not overwrite:
            raise KijiSparkError(f"output folder exists: {output_dir} (use --overwrite)")
    tmp_path = jvm.org.apache.hadoop.fs.Path(
        out_path.getParent(), f".{out_path.getName()}.tmp-{uuid.uuid4().hex[:8]}"
    )

    shards = list_shards(sc, input_dir)
    if not shards:
        raise KijiSparkError(f"no .jsonl or .ndjson shards in {input_dir}")
    log(f"{len(shards)} shard(s) in {input_dir}")

    _ship(sc, __file__, py=True)
    _ship(sc, kiji)
    command = mapper_command(os.path.basename(kiji))
    env = mapper_env(sc, cache_dir, ipadic_src)

    n_parts = partitions or max(2, sc.defaultParallelism)
    index = {uri: (i, rel) for i, (uri, rel) in enumerate(shards)}
    index_b = sc.broadcast(index)
    cached = [index_b]  # released when run() returns or fails
    try:
        return _run(spark, sc, shards, index_b, n_parts, command, env, records_format,
                    out_fs, out_path, tmp_path, cached, log, start)
    finally:
        for c in cached:
            c.unpersist()


def _run(spark, sc, shards, index_b, n_parts, command, env, records_format,
         out_fs, out_path, tmp_path, cached, log, start):
    from pyspark import StorageLevel
    from pyspark.sql import types as T

    jvm = sc._jvm
    tmp = tmp_path.toString()

    def shard_lines(item):
        uri, data = item
        found = index_b.value.get(uri)
        if found is None:
            raise KijiSparkError(f"read a file that was not listed: {uri}")
        i, rel = found
        return split_shard(rel, i, data)

    raw = sc.binaryFiles(",".join(uri for uri, _ in shards), minPartitions=n_parts)
    lines = raw.flatMap(shard_lines)
    if lines.getNumPartitions() < n_parts:
        lines = lines.repartition(n_parts)
    # Persisted so that the lines zipped with kiji's output below are the very
    # lines that were piped (and counted).
    lines.persist(StorageLevel.MEMORY_AND_DISK)
    cached.append(lines)
    to_kiji = lines.filter(lambda r: r[5] is None)
    piped = to_kiji.map(lambda r: r[4]).pipe(command, env=env, checkCode=True)
    piped.persist(StorageLevel.MEMORY_AND_DISK)
    cached.append(piped)

    try:
        given = dict(to_kiji.mapPartitionsWithIndex(count_partition).collect())
        log(f"{sum(given.values())} line(s) in {len(given)} partition(s) to kiji")
        returned = dict(piped.mapPartitionsWithIndex(count_partition).collect())
        log(f"{sum(returned.values())} line(s) back from kiji")
    except Exception as e:  # Py4JJavaError, PythonException ...
        raise KijiSparkError(
            f"the kiji mapper failed, nothing written: {_short_error(e)}"
        ) from e
    bad = [(p, given.get(p, 0), returned.get(p, 0)) for p in sorted(set(given) | set(returned))
           if given.get(p, 0) != returned.get(p, 0)]
    if bad:
        detail = "; ".join(f"partition {p}: gave {g} line(s), got {r} back" for p, g, r in bad)
        raise KijiSparkError(
            f"kiji stream did not return one line per input line, nothing written: {detail}"
        )

    merged = to_kiji.zip(piped).map(merge_output)
    direct = lines.filter(lambda r: r[5] is not None).map(
        lambda r: (r[0], r[1], {"id": r[1], "error": r[5]}, None, None)
    )
    docs = merged.union(direct)
    docs.persist(StorageLevel.MEMORY_AND_DISK)
    cached.append(docs)

    sig_schema = T.StructType(
        [
            T.StructField("pos", T.LongType(), False),
            T.StructField("id", T.StringType(), False),
            T.StructField("sig", T.ArrayType(T.LongType(), False), True),
            T.StructField("text_hash", T.StringType(), True),
        ]
    )
    sigs_df = spark.createDataFrame(
        docs.filter(lambda d: d[3] is not None).map(lambda d: (d[0], d[1], d[3], d[4])),
        sig_schema,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    cached.append(sigs_df)
    doc_schema = T.StructType(
        [
            T.StructField("pos", T.LongType(), False),
            T.StructField("body", T.StringType(), False),
            T.StructField("ok", T.BooleanType(), False),
        ]
    )
    docs_df = spark.createDataFrame(
        docs.map(lambda d: (d[0], to_json(d[2]), "source" in d[2])),
        doc_schema,
    )
    try:
        dups = find_duplicates(spark, sigs_df).persist(StorageLevel.MEMORY_AND_DISK)
        cached.append(dups)
        duplicates = dups.count()
        log(f"{duplicates} duplicate(s) found")
        final = docs_df.join(dups, "pos", "left").orderBy("pos")

        def set_duplicate(row):
            doc = json.loads(row.body)
            if row.ok:
                doc["duplicate_of"] = row.duplicate_of
            return to_json(doc)

        final.rdd.map(set_duplicate).saveAsTextFile(tmp + "/documents")
        log("documents written")

        csv = records_format == "csv"
        types = {
            "year": T.IntegerType(),
            # CSV: the number as `kiji ingest --records-format csv` writes it.
            "amount_value": T.StringType() if csv else T.DoubleType(),
        }
        record_schema = T.StructType(
            [T.StructField("pos", T.LongType(), False), T.StructField("n", T.IntegerType(), False)]
            + [T.StructField(c, types.get(c, T.StringType()), c != "id") for c in RECORD_COLUMNS]
        )
        value_at = RECORD_COLUMNS.index("amount_value")

        def rows_of(d):
            rows = []
            for n, row in enumerate(record_rows(d[2])):
                if csv:
                    row = row[:value_at] + (rust_number(row[value_at]),) + row[value_at + 1 :]
                rows.append((d[0], n) + row)
            return rows

        records = (
            spark.createDataFrame(docs.flatMap(rows_of), record_schema)
            .orderBy("pos", "n")
            .drop("pos", "n")
        )
        if csv:
            # One file with one header (records are small next to documents);
            # quotes doubled as in RFC 4180.
            records.coalesce(1).write.mode("error").option("header", True).option(
                "escape", '"'
            ).csv(tmp + "/records")
        else:
            records.write.mode("error").parquet(tmp + "/records")
        log("records written")

        ok, failed, n_records = docs.map(
            lambda d: ("source" in d[2], "source" not in d[2], len(d[2].get("records") or []))
        ).fold((0, 0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2]))
    except KijiSparkError:
        out_fs.delete(tmp_path, True)
        raise
    except Exception as e:
        out_fs.delete(tmp_path, True)
        raise KijiSparkError(f"the Spark job failed, nothing written: {_short_error(e)}") from e

    summary = {
        "shards": len(shards),
        "partitions": len(given),
        "seen": ok + failed,
        "ok": ok,
        "failed": failed,
        "duplicates": duplicates,
        "records": n_records,
        "seconds": round(time.monotonic() - start, 3),
    }
    stream = out_fs.create(jvm.org.apache.hadoop.fs.Path(tmp_path, "summary.json"), True)
    stream.write(bytearray((json.dumps(summary) + "\n").encode("utf-8")))
    stream.close()
    if out_fs.exists(out_path):
        out_fs.delete(out_path, True)
    if not out_fs.rename(tmp_path, out_path):
        raise KijiSparkError(f"could not move {tmp} to {out_path.toString()}")
    log(
        f"seen {summary['seen']}, ok {ok}, failed {failed}, duplicates {duplicates}, "
        f"records {n_records}, {summary['seconds']} s -> {out_path.toString()}"
    )
    return summary


LOCAL_CONF = {
    # Settings verified offline on one machine (shared/notes/spark.md).
    "spark.sql.shuffle.partitions": str(max(4, 2 * (os.cpu_count() or 2))),
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


def session(master: str | None = None, conf: dict | None = None, app: str = "kiji"):
    """A SparkSession; in local mode with the settings of shared/notes/spark.md."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        for k, v in LOCAL_CONF.items():
            builder = builder.config(k, v)
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    return builder.getOrCreate()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        prog="kiji_spark.py",
        description="Run kiji over a folder of JSON Lines shards on Apache Spark.",
    )
    p.add_argument("input", help="folder of .jsonl/.ndjson shards (searched recursively)")
    p.add_argument("output", help="output folder (documents/, records/, summary.json)")
    p.add_argument("--kiji", default="target/release/kiji", help="kiji release binary to ship")
    p.add_argument("--master", default=None,
                   help="Spark master (default: spark-submit's, else local[*])")
    p.add_argument("--partitions", type=int, default=None,
                   help="partitions (= kiji processes) at least (default: max(2, cores))")
    p.add_argument("--records-format", choices=["parquet", "csv"], default="parquet")
    p.add_argument("--cache-dir", default=None,
                   help="KIJI_CACHE_DIR for the mappers (default: as kiji resolves it here)")
    p.add_argument("--ipadic-src", default=None, help="KIJI_IPADIC_SRC for the mappers")
    p.add_argument("--local-dir", default=None, help="spark.local.dir (scratch space)")
    p.add_argument("--overwrite", action="store_true", help="replace the output folder")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="extra Spark setting (repeatable)")
    args = p.parse_args(argv)

    conf = {}
    if args.local_dir:
        conf["spark.local.dir"] = args.local_dir
    for kv in args.conf:
        k, _, v = kv.partition("=")
        conf[k] = v
    master = args.master
    if master is None and not os.environ.get("PYSPARK_GATEWAY_PORT"):
        # Run with plain python (not spark-submit): local mode on this machine.
        master = "local[*]"
    spark = None
    try:
        spark = session(master, conf)
        spark.sparkContext.setLogLevel("ERROR")
        summary = run(
            spark,
            args.input,
            args.output,
            kiji=args.kiji,
            partitions=args.partitions,
            records_format=args.records_format,
            cache_dir=args.cache_dir,
            ipadic_src=args.ipadic_src,
            overwrite=args.overwrite,
        )
    except KijiSparkError as e:
        # Spark is stopped first: the JVM may still print the failed tasks'
        # traces while it shuts down, and the error must be the last line.
        if spark is not None:
            spark.stop()
            spark = None
        print(f"kiji-spark: error: {e}", file=sys.stderr, flush=True)
        return 1
    finally:
        if spark is not None:
            spark.stop()
    return 2 if summary["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
