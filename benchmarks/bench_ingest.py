"""Ingest throughput: the naive way against what the user runs, ``attribution ingest --workers 2``.

Not a test. Run from the repository root::

    .venv/bin/python benchmarks/bench_ingest.py --wait-idle 120 --repeat 3 --skip-ray
    .venv/bin/python benchmarks/bench_ingest.py --articles 40 --skip-f1 --skip-pool

The corpus is the mixed set of issue 18, read at run time from ../shared/gold: the texts of
dev/ggt-dev.jsonl followed by dev/polnear-dev.jsonl (``--articles 120``: all 47 GGT articles, then the
first 73 PolNeAR ones), then train/polnear-train.jsonl, repeated with a marker paragraph when more
articles are asked for than it holds. The texts go to a JSONL file under the temporary directory for the
command line to read; they are never written into the repository.

The headline figures, each repeated ``--repeat`` times:

* naive: the full Stanza pipeline over every sentence, one article at a time (below);
* floor: Stanza's tokenizer and multi-word token expander alone (stock Stanza, one process, one article
  at a time, the pipeline loaded beforehand) -- what no parse of these texts can go below;
* cli: ``attribution ingest FILE --workers N`` as a user runs it, in a fresh process, into a fresh
  SQLite database: interpreter start-up, imports, worker start-up, model loading and the database are
  all in its time. The command writes its figures to ``ATTRIBUTION_INGEST_STATS`` (per worker: start-up,
  seconds per stage, peak RSS; the parent's seconds writing the store), printed beside it.

Then, unless ``--skip-pool``, the in-process engines as before. Every engine ingests the same articles
into its own fresh SQLite database (``--db-dir``) through :func:`db.ingest`, so database time is part of
every figure:

* naive: the full Stanza pipeline over every sentence, one document at a time (``batch_size=1``), as
  Stanza comes: its own tokenizer batching and tree decoding, no sentence-length guard, default torch
  threads (see :func:`naive_parser`);
* selective: :mod:`attribution.parsing.pipeline`'s selective mode, documents batched, one process;
* workers: ``attribution ingest --workers N`` (selective, a process pool, the parent writing);
* ray: ``attribution ingest --engine ray`` against a local Ray instance (actors writing).

Then dev F1 (GGT and PolNeAR dev, overlap 0.3 and 0.8) and speaker-name accuracy in full mode, in
selective mode, and in selective mode with every sentence tagged (what selective tagging costs), so that
a speed-up that costs accuracy shows.

The machine may be shared. Each engine's line says how many cores other processes kept busy during its
run ("others"): torch's default of one thread per core is very sensitive to that (two threads on two
cores with one busy core measured ten times slower), and the naive engine uses it, so a run with other
load flatters every ratio. ``--wait-idle S`` waits up to S seconds for the machine to go quiet before each
engine; repeat runs and keep those with others near 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
CORPUS = [SHARED / "gold" / "dev" / "ggt-dev.jsonl", SHARED / "gold" / "dev" / "polnear-dev.jsonl",
          SHARED / "gold" / "train" / "polnear-train.jsonl"]
DEV = [SHARED / "gold" / "dev" / "ggt-dev.jsonl", SHARED / "gold" / "dev" / "polnear-dev.jsonl"]


def load_corpus(n: int) -> list[Any]:
    """``n`` articles with distinct texts: the gold texts in order, repeated with a marker when needed."""
    from attribution.types import Article

    texts: list[tuple[str, str]] = []
    for path in CORPUS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                texts.append((str(d["id"]), d["text"]))
    out = []
    for k in range(n):
        doc_id, text = texts[k % len(texts)]
        copy = k // len(texts)
        if copy:  # a different text, so the store does not skip it as already done
            doc_id, text = f"{doc_id}~{copy}", f"{text}\n\n(Repeat {copy}.)"
        out.append(Article(id=doc_id, text=text))
    return out


def words(articles: list[Any]) -> int:
    """Whitespace-separated words, the same count for every engine."""
    return sum(len(a.text.split()) for a in articles)


def rss_mb() -> float:
    """This process's peak RSS in MiB."""
    from attribution.scale.pool import peak_rss_mb

    return peak_rss_mb()


def _proc_cpu_ticks() -> tuple[int, int]:
    """(busy ticks of the whole machine, ticks of this process and its descendants) from /proc."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    busy = sum(fields) - fields[3] - (fields[4] if len(fields) > 4 else 0)  # minus idle and iowait
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                rest = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(rest[1])
        ticks[int(entry)] = int(rest[11]) + int(rest[12])  # utime + stime
    ours, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in ours:
                ours.add(child)
                frontier.append(child)
    return busy, sum(ticks.get(pid, 0) for pid in ours)


class CpuWatch:
    """Cores kept busy by other processes (and by this process tree) between start and stop.

    Linux only (``/proc``); elsewhere the figures are ``None``. Processes of ours that exit meanwhile
    count as others' -- the engines here keep their workers until after the run.
    """

    def __init__(self) -> None:
        self.available = os.path.exists("/proc/stat")
        self.hz = os.sysconf("SC_CLK_TCK") if self.available else 100
        self.started = 0.0
        self.ticks = (0, 0)

    def start(self) -> None:
        self.started = time.perf_counter()
        if self.available:
            self.ticks = _proc_cpu_ticks()

    def stop(self) -> dict[str, float | None]:
        wall = max(time.perf_counter() - self.started, 1e-9)
        if not self.available:
            return {"others_cores": None, "ours_cores": None}
        busy, ours = _proc_cpu_ticks()
        d_busy, d_ours = busy - self.ticks[0], ours - self.ticks[1]
        return {"others_cores": round(max(0, d_busy - d_ours) / self.hz / wall, 2),
                "ours_cores": round(d_ours / self.hz / wall, 2)}


def wait_idle(limit: float) -> float:
    """Wait up to ``limit`` seconds until other processes use under 0.15 core; the seconds waited."""
    if limit <= 0 or not os.path.exists("/proc/stat"):
        return 0.0
    started = time.perf_counter()
    watch = CpuWatch()
    while time.perf_counter() - started < limit:
        watch.start()
        time.sleep(3)
        if (watch.stop()["others_cores"] or 0.0) < 0.15:
            break
    return time.perf_counter() - started


def naive_parser(parser: Any) -> dict[str, Any]:
    """Switch a parser to Stanza as it comes; returns the settings to restore with :func:`restore`."""
    saved = {"max_parse_words": parser.max_parse_words, "exact_shortcuts": parser.exact_shortcuts}
    parser.max_parse_words = None
    parser.exact_shortcuts = False
    return saved


def restore(parser: Any, saved: dict[str, Any]) -> None:
    """Undo :func:`naive_parser`."""
    for k, v in saved.items():
        setattr(parser, k, v)


def run_ingest(name: str, articles: list[Any], extractor: Any, db_dir: Path, batch_size: int) -> dict[str, Any]:
    """Ingest into a fresh SQLite database; wall time, throughput and failures."""
    import db

    path = db_dir / f"{name}.sqlite"
    path.unlink(missing_ok=True)
    with db.open_store(str(path), create=True) as store:
        watch = CpuWatch()
        watch.start()
        started = time.perf_counter()
        report = db.ingest(store, articles, extractor, batch_size=batch_size)
        wall = time.perf_counter() - started
        cpu = watch.stop()
    return {"engine": name, "seconds": wall, "articles": report.total, "failed": report.failed,
            "quotes": report.quotes, "articles_per_s": report.total / wall, "words_per_s": words(articles) / wall,
            "cpu": cpu}


def in_process(name: str, articles: list[Any], parser: Any, mode: str, batch_size: int, db_dir: Path,
               naive: bool = False) -> dict:
    """One of the single-process engines, with its per-stage seconds."""
    from attribution.extract import Extractor

    parser.reset_stats()
    ex = Extractor(parser=parser, batch_size=batch_size, mode=mode)
    saved = naive_parser(parser) if naive else None
    try:
        res = run_ingest(name, articles, ex, db_dir, batch_size)
    finally:
        if saved is not None:
            restore(parser, saved)
    stages = {k: v for k, v in parser.stage_seconds.items()}
    stages["extraction"] = ex.extract_seconds
    stages["database"] = res["seconds"] - sum(stages.values())  # the rest: skip checks, writes, commits
    res["stages"] = stages
    res["sentences"] = dict(parser.sentences)
    res["peak_rss_mb"] = {"main": rss_mb()}
    return res


def warm_up(engine: Any, n: int) -> float:
    """Start every worker (pipeline loading is a one-off cost, reported apart from throughput)."""
    from attribution.types import Article

    started = time.perf_counter()
    tiny = [[Article(id=f"warm{k}", text="“Yes,” she said.")] for k in range(n)]
    if hasattr(engine, "extract_batches"):
        list(engine.extract_batches(tiny))
    else:
        list(engine._map("extract", tiny))
    return time.perf_counter() - started


def pooled(name: str, articles: list[Any], engine: Any, db_dir: Path, batch_size: int, workers: int,
           idle: float = 0.0) -> dict:
    """A multi-process engine: per-stage seconds summed over its workers, peak RSS per worker."""
    startup = warm_up(engine, workers)
    wait_idle(idle)
    res = run_ingest(name, articles, engine, db_dir, batch_size)
    res["startup_seconds"] = startup
    stages: dict[str, float] = {}
    for st in engine.stats.values():
        for k, v in st["stages"].items():
            stages[k] = stages.get(k, 0.0) + v
    res["stages_summed_over_workers"] = stages
    res["peak_rss_mb"] = {"main": rss_mb(), **{f"worker {pid}": round(st["peak_rss_mb"], 1)
                                               for pid, st in engine.stats.items()}}
    res["load_seconds"] = [round(st["load_seconds"], 1) for st in engine.stats.values()]
    return res


def dev_f1(parser: Any, mode: str) -> dict[str, Any]:
    """GGT and PolNeAR dev F1 at both overlap thresholds with one parse mode."""
    from attribution.evaluation import evaluate, load_gold
    from attribution.extract import Extractor
    from attribution.types import Article

    out = {}
    for path in DEV:
        gold = load_gold(path)
        ex = Extractor(parser=parser, mode=mode)
        pred = {r.article.id: r.to_prediction()
                for r in ex.extract_many(Article(id=k, text=d["text"]) for k, d in gold.items())}
        result, _ = evaluate(gold, pred)
        out[path.stem] = {t: result[t]["f1"] for t in ("t0.3", "t0.8")}
        out[path.stem]["speaker_name_acc@0.3"] = result["t0.3"]["speaker_name_acc"]
    return out


def show(res: dict[str, Any]) -> None:
    """One engine's figures on one line, then its breakdown."""
    print(f"{res['engine']:>10}: {res['articles']} articles in {res['seconds']:.1f}s = {res['articles_per_s']:.3f} "
          f"articles/s, {res['words_per_s']:.0f} words/s, {res['quotes']} quotes, {res['failed']} failed; cores busy: "
          f"ours {res['cpu']['ours_cores']}, others {res['cpu']['others_cores']}", flush=True)
    for key in ("stages", "stages_summed_over_workers"):
        if key in res:
            print(f"{'':>12}{key}: " + ", ".join(f"{k} {v:.1f}s" for k, v in res[key].items()), flush=True)
    if "startup_seconds" in res:
        print(f"{'':>12}worker start-up (not in the time above): {res['startup_seconds']:.1f}s", flush=True)
    if "sentences" in res:
        s = res["sentences"]
        print(f"{'':>12}sentences parsed: {s['parsed']}/{s['total']}, NER-tagged: {s['tagged']}/{s['total']}, "
              f"too long to parse: {s.get('too_long', 0)}", flush=True)
    print(f"{'':>12}peak RSS MiB: " + ", ".join(f"{k} {v:.0f}" for k, v in res["peak_rss_mb"].items()), flush=True)


def write_jsonl(articles: list[Any], path: Path) -> Path:
    """The articles as the ``{"id", "text"}`` JSONL that ``attribution ingest`` reads (outside the repository)."""
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"id": a.id, "text": a.text}, ensure_ascii=False) + "\n")
    return path


def floor_seconds(articles: list[Any], models: str) -> float:
    """Stock Stanza tokenize + mwt over every article, one at a time, in this process (loaded beforehand)."""
    import stanza
    from stanza.pipeline.core import DownloadMethod

    nlp = _floor_pipeline(models, stanza, DownloadMethod)
    started = time.perf_counter()
    for a in articles:
        nlp(a.text)
    return time.perf_counter() - started


_FLOOR: dict[str, Any] = {}


def _floor_pipeline(models: str, stanza: Any, download_method: Any) -> Any:
    if models not in _FLOOR:
        _FLOOR[models] = stanza.Pipeline("en", dir=models, processors="tokenize,mwt", verbose=False,
                                         download_method=download_method.NONE)
    return _FLOOR[models]


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def cli_run(jsonl: Path, db_dir: Path, workers: int, models: str, batch_size: int | None, k: int) -> dict[str, Any]:
    """``attribution ingest JSONL --workers N`` in a fresh process, into a fresh SQLite database."""
    import subprocess

    db_path = db_dir / f"cli{k}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    stats_path = db_dir / f"cli{k}.json"
    env = {**os.environ, "ATTRIBUTION_MODELS": models, "ATTRIBUTION_INGEST_STATS": str(stats_path)}
    cmd = [str(Path(sys.executable).parent / "attribution"), "ingest", str(jsonl), "--workers", str(workers),
           "--db", f"sqlite:///{db_path}"] + (["--batch-size", str(batch_size)] if batch_size else [])
    watch = CpuWatch()
    watch.start()
    cpu0, launched, started = _children_cpu(), time.time(), time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    cpu = watch.stop()
    ours = (_children_cpu() - cpu0) / wall
    if cpu["others_cores"] is not None:  # the command's processes had exited: their time is ours, not others'
        cpu = {"ours_cores": round(ours, 2), "others_cores": round(max(0.0, cpu["others_cores"] - ours), 2)}
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    stages: dict[str, float] = {}
    for w in stats["workers"]:
        for name, v in w["stages"].items():
            stages[name] = stages.get(name, 0.0) + v
    return {"engine": "cli", "seconds": wall, "cpu": cpu, "stages_summed_over_workers": stages,
            "store_seconds": stats["store_seconds"], "articles": stats["articles"],
            "ready_after": sorted(round(w["ready_at"] - launched, 1) for w in stats["workers"]),
            "load_seconds": [round(w["load_seconds"], 1) for w in stats["workers"]],
            "peak_rss_mb": {"main": stats["peak_rss_mb"], **{f"worker {w['pid']}": w["peak_rss_mb"]
                                                            for w in stats["workers"]}},
            "sentences": _summed([w["sentences"] for w in stats["workers"]]), "summary": done.stdout.strip()}


def _summed(dicts: list[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


def _spread(values: list[float]) -> str:
    """Median and range of repeated figures."""
    import statistics

    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def headline(args: Any, articles: list[Any], parser: Any, db_dir: Path) -> dict[str, Any]:
    """Naive, floor and the command line, ``--repeat`` times each, interleaved; the ratios of each round."""
    jsonl = write_jsonl(articles, db_dir / "arts.jsonl")
    rounds = []
    for k in range(args.repeat):
        one: dict[str, Any] = {}
        wait_idle(args.wait_idle)
        one["cli"] = cli_run(jsonl, db_dir, args.workers, args.models, args.cli_batch_size, k)
        show_cli(one["cli"])
        wait_idle(args.wait_idle)
        watch = CpuWatch()
        watch.start()
        one["floor"] = {"seconds": floor_seconds(articles, args.models), "cpu": watch.stop()}
        print(f"     floor: {one['floor']['seconds']:.1f}s (stock tokenize + mwt, one process); cores busy: "
              f"others {one['floor']['cpu']['others_cores']}", flush=True)
        if not args.skip_naive:
            wait_idle(args.wait_idle)
            one["naive"] = in_process("naive", articles, parser, "full", 1, db_dir, naive=True)
            show(one["naive"])
            one["cli_vs_naive"] = one["naive"]["seconds"] / one["cli"]["seconds"]
        one["cli_vs_floor"] = one["cli"]["seconds"] / one["floor"]["seconds"]
        rounds.append(one)
    for key, label in (("cli_vs_naive", "naive / cli"), ("cli_vs_floor", "cli / floor")):
        if all(key in r for r in rounds):
            print(f"{label}: {_spread([r[key] for r in rounds])} over {len(rounds)} rounds", flush=True)
    for key in ("naive", "floor", "cli"):
        if all(key in r for r in rounds):
            print(f"{key} seconds: {_spread([r[key]['seconds'] for r in rounds])}", flush=True)
    return {"rounds": rounds}


def show_cli(res: dict[str, Any]) -> None:
    """The command line's figures."""
    print(f"       cli: {res['articles']} articles in {res['seconds']:.1f}s end to end; cores busy: ours "
          f"{res['cpu']['ours_cores']}, others {res['cpu']['others_cores']}", flush=True)
    print(f"{'':>12}workers ready after {res['ready_after']} s (pipeline load {res['load_seconds']} s); parent "
          f"writing the store {res['store_seconds']:.1f}s", flush=True)
    print(f"{'':>12}stages_summed_over_workers: " + ", ".join(
        f"{k} {v:.1f}s" for k, v in res["stages_summed_over_workers"].items()), flush=True)
    s = res["sentences"]
    print(f"{'':>12}sentences tagged: {s.get('pos', 0)}/{s['total']}, parsed: {s['parsed']}/{s['total']}, "
          f"NER-tagged: {s['tagged']}/{s['total']}", flush=True)
    print(f"{'':>12}peak RSS MiB: " + ", ".join(f"{k} {v:.0f}" for k, v in res["peak_rss_mb"].items()), flush=True)


def accuracy(parser: Any) -> dict[str, Any]:
    """Dev F1 in full mode, selective mode, and selective mode with every sentence tagged."""
    f1 = {}
    for label, mode, selective_tagging in (("full", "full", True), ("selective", "selective", True),
                                           ("selective, all tagged", "selective", False)):
        parser.selective_tagging = selective_tagging
        try:
            f1[label] = dev_f1(parser, mode)
        finally:
            parser.selective_tagging = True
    for label, by_set in f1.items():
        print(f"dev F1 {label:>21}: " + "; ".join(
            f"{name} {v['t0.3']}/{v['t0.8']} (name acc {v['speaker_name_acc@0.3']})" for name, v in by_set.items())
            + "  [F1 at overlap 0.3/0.8]", flush=True)
    return f1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=120, help="articles per engine (default 120: the mixed set)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds of naive, floor and command line")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=4,
                    help="articles per batch of the in-process engines (small enough that every worker gets several)")
    ap.add_argument("--cli-batch-size", type=int, default=None, help="--batch-size of the command (default: its own)")
    ap.add_argument("--models", default=str(SHARED / "models" / "stanza"))
    ap.add_argument("--db-dir", type=Path, default=None, help="where the SQLite files go (default: a temp dir)")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--skip-pool", action="store_true", help="skip the in-process engines (selective, workers, ray)")
    ap.add_argument("--skip-workers", action="store_true")
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-f1", action="store_true")
    ap.add_argument("--wait-idle", type=float, default=0.0, metavar="S",
                    help="before each engine, wait up to S seconds for other processes to leave the CPUs")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    args = ap.parse_args()

    from attribution.parsing.pipeline import Parser
    from attribution.scale.pool import cpu_count

    articles = load_corpus(args.articles)
    db_dir = args.db_dir or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    db_dir.mkdir(parents=True, exist_ok=True)
    print(f"{len(articles)} articles, {words(articles)} words; {cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f}; databases in {db_dir}", flush=True)
    results: dict[str, Any] = {"articles": len(articles), "words": words(articles), "cores": cpu_count()}

    started = time.perf_counter()
    parser = Parser(Path(args.models))
    print(f"pipeline loaded in {time.perf_counter() - started:.1f}s, peak RSS {rss_mb():.0f} MiB", flush=True)
    results["headline"] = headline(args, articles, parser, db_dir)
    if not args.skip_pool:
        results["runs"] = pool_engines(args, articles, parser, db_dir, cpu_count())
    if not args.skip_f1:
        results["dev_f1"] = accuracy(parser)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


def pool_engines(args: Any, articles: list[Any], parser: Any, db_dir: Path, cores: int) -> list[dict[str, Any]]:
    """The in-process engines: selective in this process, the process pool, the local Ray engine."""
    runs: list[dict[str, Any]] = []
    wait_idle(args.wait_idle)
    runs.append(in_process("selective", articles, parser, "selective", args.batch_size, db_dir))
    show(runs[-1])
    if not args.skip_workers:
        from attribution.scale.pool import ParallelExtractor

        with ParallelExtractor(args.models, args.workers, batch_size=args.batch_size, mode="selective") as pool:
            pool.start(wait=True)
            runs.append(pooled(f"workers={args.workers}", articles, pool, db_dir, args.batch_size, args.workers,
                               args.wait_idle))
        show(runs[-1])
    if not args.skip_ray:
        try:
            from db.write.ray_writer import RayIngestEngine

            with RayIngestEngine(str(db_dir / "ray.sqlite"), args.models, num_cpus=cores, mode="selective",
                                 batch_size=args.batch_size) as ray_engine:
                runs.append(pooled("ray", articles, ray_engine, db_dir, args.batch_size, cores, args.wait_idle))
            show(runs[-1])
        except Exception as exc:  # reported, not fatal: the other figures stand
            print(f"       ray: not run ({type(exc).__name__}: {exc})", flush=True)
    return runs


if __name__ == "__main__":
    main()
