"""Store benchmark: 1M synthetic quotes in SQLite, search latency, and memory while exporting everything.

Not a test. Run from the repository root::

    .venv/bin/python benchmarks/bench_store.py                 # fill /tmp/attribution-bench.db, measure
    .venv/bin/python benchmarks/bench_store.py --reuse         # measure an existing filled database
    .venv/bin/python benchmarks/bench_store.py --quotes 100000 # smaller run

Data: 200k articles (5 quotes each), 50k speakers with Zipf-distributed quote counts (one in fifty an
organisation with a three-word name and its acronym as an alias), a 20k-word Zipf vocabulary, a stated role
for each speaker in each article, a claim on every third quote. Rows go in with bulk Core inserts (the FTS5
index is kept by the same triggers ingest uses); the derived tables (speaker counts and roles, search terms,
stated roles) are then built by the same code migrations use. Reported: p50/p95 of ``find_quotes`` by
speaker (full name of typical and most-quoted speakers, first name, surname, acronym, a misspelt name that
gets "did you mean"), by role and affiliation, and by text (very common, common, mid-frequency and rare
words), limit 50; the speakers list (first page and page 200) and a speaker's profile (typical and most
quoted); each in its own read transaction as the CLI does. Then a CSV export of everything in a child
process, sampling its RSS every 100k rows, with its peak (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

import db  # noqa: E402
from db.index import name_index, role_match, speaker_stats  # noqa: E402
from db.store.models import Article, Claim, Quote, Role, Speaker, SpeakerAlias  # noqa: E402
from db.store.names import claim_group_id, normalise_name, speaker_key  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "dri", "po", "es", "qui", "na", "bel", "cor",
             "den", "fa", "gri", "hal", "ju", "ke", "lan", "mor", "nix", "ol", "pra", "ru", "sil", "ta", "um"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        w = _word(rng)
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    total, cum = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        cum.append(total)
    return cum


def _org(rng: random.Random) -> tuple[str, str]:
    """An organisation's three-word name and its acronym."""
    words = [_word(rng).title() for _ in range(3)]
    return " ".join(words), "".join(w[0] for w in words)


def fill(store: db.Store, n_quotes: int, seed: int = 7) -> dict:
    """Bulk-insert synthetic articles, speakers, aliases, roles, quotes and claims; build the derived tables."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 20_000)
    vocab_cum = _zipf_cum(len(vocab))
    n_speakers = max(10, n_quotes // 20)
    n_articles = max(1, n_quotes // 5)
    speakers_cum = _zipf_cum(n_speakers)
    names: list[tuple[str, str, str | None]] = []  # (name, type, acronym)
    seen_names: set[str] = set()
    while len(names) < n_speakers:
        org = len(names) % 50 == 49
        name, acronym = _org(rng) if org else (f"{_word(rng).title()} {_word(rng).title()}", None)
        if name not in seen_names:
            seen_names.add(name)
            names.append((name, "ORG" if org else "PERSON", acronym))
    base = datetime(2015, 1, 1)
    dates = [base + timedelta(minutes=rng.randrange(60 * 24 * 3650)) for _ in range(n_articles)]
    started = time.perf_counter()
    with store.engine.begin() as conn:
        conn.execute(Article.__table__.insert(), [
            {"id": i + 1, "sha256": f"{i + 1:064x}", "source_id": f"a{i + 1}", "url": f"https://news.example/{i + 1}",
             "outlet": f"Outlet {i % 40}", "title": f"Story {i + 1}", "dated_at": d, "published": d,
             "text": " ".join(rng.choices(vocab, cum_weights=vocab_cum, k=40)), "ingested_at": base,
             "extracted_at": base, "extractor_version": "0.3.0", "model_ids": {}}
            for i, d in enumerate(dates)])
        conn.execute(Speaker.__table__.insert(), [
            {"id": i + 1, "key": speaker_key(normalise_name(n, t), t), "type": t, "name": n,
             "norm_name": normalise_name(n, t), "created_at": base} for i, (n, t, _a) in enumerate(names)])
        # An alias each: a person's surname, an organisation's acronym.
        conn.execute(SpeakerAlias.__table__.insert(), [
            {"speaker_id": i + 1, "article_id": 1, "alias": a or n.split()[-1],
             "norm_alias": normalise_name(a or n.split()[-1])} for i, (n, _t, a) in enumerate(names)])
        quote_table, claim_table, role_table = Quote.__table__, Claim.__table__, Role.__table__
        batch, claims, roles = [], [], {}
        for qid in range(1, n_quotes + 1):
            content = " ".join(rng.choices(vocab, cum_weights=vocab_cum, k=rng.randint(6, 30)))
            sid = rng.choices(range(1, n_speakers + 1), cum_weights=speakers_cum)[0]
            aid = (qid - 1) // 5 + 1
            batch.append({"id": qid, "article_id": aid, "speaker_id": sid, "start": 0,
                          "dated_at": dates[aid - 1],
                          "end": len(content), "content": content, "kind": "direct", "cue": "said",
                          "speaker_name": names[sid - 1][0], "speaker_mention": names[sid - 1][0],
                          "role": "spokesperson", "affiliation": f"Agency {sid % 300}", "confidence": rng.random(),
                          "rule": "cue-subject", "extractor_version": "0.3.0", "fragments": []})
            roles[(sid, aid)] = {"speaker_id": sid, "article_id": aid, "title": "spokesperson",
                                 "affiliation": f"Agency {sid % 300}", "start": 0, "end": 1, "rule": "as-stated",
                                 "first_seen": dates[aid - 1], "last_seen": dates[aid - 1]}
            if qid % 3 == 0:
                claims.append({"quote_id": qid, "article_id": aid, "text": content, "start": 0,
                               "end": len(content), "check_worthiness": 0.5, "checkable": True,
                               "status": "unreviewed", "group_id": claim_group_id(content), "version": 1,
                               "created_at": base, "updated_at": base})
            if len(batch) == 20_000:
                conn.execute(quote_table.insert(), batch)
                conn.execute(claim_table.insert(), claims)
                conn.execute(role_table.insert(), list(roles.values()))
                batch, claims, roles = [], [], {}
        if batch:
            conn.execute(quote_table.insert(), batch)
        if claims:
            conn.execute(claim_table.insert(), claims)
        if roles:
            conn.execute(role_table.insert(), list(roles.values()))
        speaker_stats.rebuild(conn)
        role_match.rebuild(conn)
        name_index.rebuild(conn)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return {"quotes": n_quotes, "articles": n_articles, "speakers": n_speakers, "vocabulary": vocab,
            "names": names, "fill_seconds": round(time.perf_counter() - started, 1)}


def _time(store: db.Store, f: db.QuoteFilter) -> float:
    started = time.perf_counter()
    with store.session() as s:
        db.find_quotes(s, f)
    return (time.perf_counter() - started) * 1000


def _summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1), "max_ms": round(ms[-1], 1)}


def _timed(store: db.Store, fn) -> float:
    started = time.perf_counter()
    with store.session() as s:
        fn(s)
    return (time.perf_counter() - started) * 1000


def measure_search(store: db.Store, names: list[tuple[str, str, str | None]], vocab: list[str], k: int,
                   seed: int = 11) -> dict:
    """Latency of speaker, role and text searches (limit 50, newest first), speaker lists and profiles."""
    rng = random.Random(seed)
    people = [n for n, t, _a in names if t == "PERSON"]
    acronyms = [a for _n, t, a in names if t == "ORG" and a]
    out = {}
    pools = (("speaker_typical", rng.sample(people, k)), ("speaker_top10", people[:10]),
             ("speaker_first_name", [n.split()[0] for n in rng.sample(people, k)]),
             ("speaker_surname", [n.split()[-1] for n in rng.sample(people, k)]),
             ("speaker_acronym", rng.sample(acronyms, min(k, len(acronyms)))))
    for label, pool in pools:
        out[label] = _summary([_time(store, db.QuoteFilter(speaker=n, limit=50)) for n in pool])
    misspelt = [n[:-2] + n[-1] for n in rng.sample(people, min(k, 50))]
    out["speaker_did_you_mean"] = _summary([_time(store, db.QuoteFilter(speaker=n, limit=50)) for n in misspelt])
    out["role"] = _summary([_time(store, db.QuoteFilter(role="spokesperson", limit=50)) for _ in range(20)])
    out["affiliation"] = _summary([_time(store, db.QuoteFilter(affiliation=f"agency {rng.randrange(300)}",
                                                               limit=50)) for _ in range(k)])
    # Vocabulary ranks: 0-100 match 5-80% of quotes each (in English text these would be stop words),
    # 100-1000 are common content words (0.2-2%), then mid-frequency and rare words.
    buckets = (("text_top100_words", 0, 100), ("text_common", 100, 1000), ("text_mid", 1000, 5000),
               ("text_rare", 10_000, 20_000))
    for label, lo, hi in buckets:
        words = [vocab[rng.randrange(lo, hi)] for _ in range(k)]
        out[label] = _summary([_time(store, db.QuoteFilter(text=w, limit=50)) for w in words])
    two = [f"{vocab[rng.randrange(100, 2000)]} {vocab[rng.randrange(0, 500)]}" for _ in range(k)]
    out["text_two_words"] = _summary([_time(store, db.QuoteFilter(text=t, limit=50)) for t in two])
    out["speakers_list"] = _summary([_timed(store, lambda s: db.list_speakers(s)) for _ in range(20)])
    out["speakers_list_page_200"] = _summary([_timed(store, lambda s: db.list_speakers(s, offset=199 * 50))
                                              for _ in range(20)])
    # As `attribution speaker NAME` asks for it (its --limit 200).
    out["speaker_profile_typical"] = _summary([_timed(store, lambda s, n=n: db.speaker_profile(s, n, 200))
                                               for n in rng.sample(people, min(k, 50))])
    out["speaker_profile_top10"] = _summary([_timed(store, lambda s, n=n: db.speaker_profile(s, n, 200))
                                             for n in people[:10]])
    return out


def _rss_kb(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def export_child(url: str, out: str) -> None:
    """Export everything to CSV, printing RSS samples as JSON (run in a fresh process)."""
    samples = [(0, _rss_kb())]

    def on_rows(n: int) -> None:
        if n % 100_000 == 0:
            samples.append((n, _rss_kb()))

    started = time.perf_counter()
    with db.open_store(url) as store, store.session() as s, db.atomic_output(out) as f:
        count = db.write_export(s, "csv", db.QuoteFilter(), f, on_rows=on_rows)
    print(json.dumps({"rows": count, "seconds": round(time.perf_counter() - started, 1),
                      "rss_mb": [(n, round(kb / 1024, 1)) for n, kb in samples],
                      "peak_rss_mb": round(_rss_kb("VmHWM") / 1024, 1),
                      "file_mb": round(os.path.getsize(out) / 2**20)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/attribution-bench.db")
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="Measure the database as it is (no refill).")
    parser.add_argument("--export-child", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return
    url = f"sqlite:///{Path(args.db).resolve()}"
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        db.setup_database(url)
    with db.open_store(url) as store:
        if args.reuse:
            rng = random.Random(7)  # the fill's seed: the same vocabulary comes out first
            vocab = _vocabulary(rng, 20_000)
            with store.session() as s:
                names = [(n, t, None) for n, t in s.execute(select(Speaker.name, Speaker.type).order_by(Speaker.id))]
                aliases = dict(s.execute(select(SpeakerAlias.speaker_id, SpeakerAlias.alias)).all())
                names = [(n, t, aliases.get(i + 1) if t == "ORG" else None) for i, (n, t, _a) in enumerate(names)]
            info = {"vocabulary": vocab, "names": names, "fill_seconds": None}
        else:
            info = fill(store, args.quotes)
        with store.session() as s:
            stats = db.stats(s)
        search = measure_search(store, info["names"], info["vocabulary"], args.queries)
    out = str(Path(args.db).with_suffix(".export.csv"))
    child = subprocess.run([sys.executable, __file__, "--export-child", url, out], capture_output=True, text=True,
                           check=True)
    export = json.loads(child.stdout.strip().splitlines()[-1])
    Path(out).unlink(missing_ok=True)
    report = {"quotes": stats["quotes"], "articles": stats["articles"], "speakers": stats["speakers"],
              "claims": stats["claims"], "fill_seconds": info["fill_seconds"],
              "db_mb": round(Path(args.db).stat().st_size / 2**20), "search": search, "export_csv": export}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
