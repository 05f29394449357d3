"""import, list, show meeting, search."""

from __future__ import annotations

import argparse

from kkrdesk.cli.output import message, print_json, public_wanted
from kkrdesk.data import queries
from kkrdesk.data.danish import count_text, format_date
from kkrdesk.data.search import run_search
from kkrdesk.data.store import Store
from kkrdesk.ingest.importer import KIND_CHOICES, KIND_LABELS
from kkrdesk.ingest.readers import ImportProblem


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("import", help="importér dokumenter (PDF, DOCX, TXT/MD)")
    p.add_argument("files", nargs="+", metavar="FIL")
    p.add_argument("--kind", choices=KIND_CHOICES, default="auto", help="dokumenttype (standard: auto)")
    p.set_defaults(handler=cmd_import)

    p = subparsers.add_parser("list", help="vis dokumenter eller møder")
    p.add_argument("what", choices=("documents", "meetings"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = subparsers.add_parser("show", help="vis et møde")
    show = p.add_subparsers(dest="show_what", metavar="HVAD", required=True)
    m = show.add_parser("meeting", help="et møde med punkter og bilag")
    m.add_argument("id", type=int)
    m.add_argument("--json", action="store_true")
    m.add_argument("--public", action="store_true", help="uden lukkede punkter")
    m.set_defaults(handler=cmd_show_meeting)

    p = subparsers.add_parser("search", help="fritekstsøgning")
    p.add_argument("query", metavar="SØGNING")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.add_argument("--public", action="store_true", help="uden lukkede punkter")
    p.set_defaults(handler=cmd_search)


def cmd_import(args: argparse.Namespace, store: Store) -> int:
    """Import each file in its own transaction, the next one read in a worker meanwhile (ingest/batch.py);
    one bad file doesn't stop the others."""
    from kkrdesk.ingest.batch import import_files

    failed = 0
    for result in import_files(store, args.files, kind=args.kind):
        if isinstance(result, ImportProblem):
            message(f"kkrdesk: {result}")
            failed += 1
            continue
        if result.skipped:
            message(f"{result.path.name}: allerede importeret (uændret)")
            continue
        label = KIND_LABELS.get(result.kind, result.kind)
        extra = f", {result.parts} dele" if result.parts > 1 else ""
        meeting = f", møde {result.meeting_id}" if result.meeting_id else ""
        message(f"{result.path.name}: importeret som {label.lower()} (dokument {result.document_id}{extra}{meeting})")
        for warning in result.warnings:
            message(f"  advarsel: {warning}")
    return 1 if failed else 0      # import_files caught the search's postings up once for the batch (#20)


def cmd_list(args: argparse.Namespace, store: Store) -> int:
    if args.what == "documents":
        docs = queries.list_documents(store.db)
        if args.json:
            print_json(docs)
        else:
            for d in docs:
                parts = f" ({d['parts']} dele)" if d["parts"] else ""
                print(f"{d['id']:>4}  {KIND_LABELS.get(d['kind'], d['kind']):<17} {d['title']}{parts}  [{d['file_name']}]")
        return 0
    meetings = queries.list_meetings(store.db)
    if args.json:
        print_json([{"id": m["id"], "title": m["title"], "date": m["date"], "items": m["items"]} for m in meetings])
    else:
        for m in meetings:
            print(f"{m['id']:>4}  {format_date(m['date']):<20} {m['title']}  ({count_text(m['items'], 'punkt', 'punkter')})")
    return 0


def cmd_show_meeting(args: argparse.Namespace, store: Store) -> int:
    meeting = queries.get_meeting(store.db, args.id, public=public_wanted(args, store))
    if meeting is None:
        message(f"kkrdesk: intet møde med id {args.id}")
        return 1
    if args.json:
        print_json(queries.meeting_json(meeting))
        return 0
    print(f"{meeting['title']} – {format_date(meeting['date'])}")
    for item in meeting["items"]:
        lock = "  [Lukket]" if item["access"] == "lukket" else ""
        print(f"  {item['number']:<6} {item['title']}{lock}")
        for b in item["bilag"]:
            print(f"         Bilag {b['number']}: {b['title']}")
    return 0


def cmd_search(args: argparse.Namespace, store: Store) -> int:
    """Hits per matching line of the best sections (at most --limit lines), best first."""
    result = run_search(store.db, args.query, limit=args.limit, public=getattr(args, "public", False), places=False)
    hits = result.hits[:args.limit]
    if result.folded:
        message(f"Intet fundet for »{args.query}«; viser resultater for »{result.query}«.")
    if args.json:
        print_json([hit.as_json() for hit in hits])
        return 0
    if not hits:
        message("Ingen resultater.")
    for hit in hits:
        place = " · ".join(p for p in (hit.meeting, hit.item) if p)
        lock = "[Lukket] " if hit.locked else ""
        print(f"{lock}{hit.document}:{hit.line}  {hit.section}{'  (' + place + ')' if place else ''}\n    {hit.snippet}")
    return 0
    if not hits:
        message("Ingen resultater.")
    for hit in hits:
        print(f"{hit.document}:{hit.line}  {hit.section}\n    {hit.snippet}")
    return 0
