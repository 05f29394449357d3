"""The secretariat's commands: `meeting …` (prepare, publish, install) and `correct …`.

Ids go to stdout (for scripts), messages to stderr. Every write refuses a
published pack with one line, because the data layer checks `ensure_writable`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kkrdesk.cli.output import message, print_json
from kkrdesk.data import corrections, meetings, pack_install, packs
from kkrdesk.data.danish import format_date, format_number
from kkrdesk.data.store import Store, StoreError
from kkrdesk.ingest.readers import ImportProblem


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("meeting", help="forbered, udgiv og installér møder (sekretariatet)")
    sub = p.add_subparsers(dest="meeting_command", metavar="HANDLING", required=True)

    c = sub.add_parser("new", help="opret et møde; skriver mødets id")
    c.add_argument("--title", required=True)
    c.add_argument("--date", required=True, metavar="ÅÅÅÅ-MM-DD")
    c.add_argument("--place")
    c.add_argument("--body", default="KKR Nordjylland", help="organ (standard: KKR Nordjylland)")
    c.set_defaults(handler=cmd_new)

    c = sub.add_parser("edit", help="ret et mødes titel, dato, sted eller organ")
    c.add_argument("meeting", type=int, metavar="MØDE")
    c.add_argument("--title")
    c.add_argument("--date", metavar="ÅÅÅÅ-MM-DD")
    c.add_argument("--place")
    c.add_argument("--body")
    c.set_defaults(handler=cmd_edit)

    c = sub.add_parser("add-item", help="tilføj et dagsordenspunkt; skriver punktets id")
    c.add_argument("meeting", type=int, metavar="MØDE")
    c.add_argument("--number", required=True)
    c.add_argument("--title", required=True)
    _item_text_options(c)
    c.add_argument("--closed", action="store_true", help="lukket punkt")
    c.add_argument("--position", type=int, help="placering (1 = først; standard: sidst)")
    c.set_defaults(handler=cmd_add_item)

    c = sub.add_parser("set-item", help="ret et dagsordenspunkt")
    c.add_argument("item", type=int, metavar="PUNKT")
    c.add_argument("--number")
    c.add_argument("--title")
    _item_text_options(c)
    access = c.add_mutually_exclusive_group()
    access.add_argument("--closed", action="store_true", help="gør punktet lukket")
    access.add_argument("--open", action="store_true", help="gør punktet åbent")
    c.set_defaults(handler=cmd_set_item)

    c = sub.add_parser("move-item", help="flyt et punkt til en ny placering (1 = først)")
    c.add_argument("item", type=int, metavar="PUNKT")
    c.add_argument("position", type=int, metavar="PLACERING")
    c.set_defaults(handler=cmd_move_item)

    c = sub.add_parser("remove-item", help="fjern et punkt (dokumenterne bliver i lageret)")
    c.add_argument("item", type=int, metavar="PUNKT")
    c.set_defaults(handler=cmd_remove_item)

    c = sub.add_parser("attach", help="vedhæft filer (PDF, DOCX, TXT/MD) som bilag til et punkt")
    c.add_argument("item", type=int, metavar="PUNKT")
    c.add_argument("files", nargs="+", metavar="FIL")
    c.add_argument("--kind", default="auto", help="dokumenttype (standard: auto)")
    c.set_defaults(handler=cmd_attach)

    c = sub.add_parser("link", help="knyt et punkt til et mål (id) eller et datasæt (navn)")
    c.add_argument("item", type=int, metavar="PUNKT")
    target = c.add_mutually_exclusive_group(required=True)
    target.add_argument("--goal", type=int, metavar="MÅL-ID")
    target.add_argument("--dataset", metavar="NAVN")
    c.set_defaults(handler=cmd_link)

    c = sub.add_parser("export", help="skriv mødemappen: PDF'er og pakker (ny version)")
    c.add_argument("meeting", type=int, metavar="MØDE")
    c.add_argument("--out", type=Path, required=True, metavar="MAPPE")
    c.add_argument("--passphrase-file", dest="seal_passphrase_file", type=Path, metavar="FIL",
                   help="adgangskode der krypterer medlemmernes pakke og PDF (kræves ved lukkede punkter)")
    c.add_argument("--expires", metavar="ÅÅÅÅ-MM-DD",
                   help="efter denne dato vises lukkede punkter kun som 'Lukket punkt (udløbet)'")
    c.set_defaults(handler=cmd_export)

    c = sub.add_parser("install", help="installér en pakke (erstatter en ældre version af samme møde)")
    c.add_argument("file", type=Path, metavar="FIL.kkrpack")
    c.add_argument("--accept-new-key", action="store_true",
                   help="stol på en ny udgivernøgle for dette organ (efter at have tjekket fingeraftrykket)")
    c.set_defaults(handler=cmd_install)

    c = sub.add_parser("installed", help="vis installerede pakker og hvad der er ændret")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=cmd_installed)

    c = sub.add_parser("pack-info", help="vis udgivelsesdato og version for pakken i --db")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=cmd_pack_info)

    p = subparsers.add_parser("correct", help="ret en udtrukket værdi (mål, resultat, nøgletal)")
    sub = p.add_subparsers(dest="correct_command", metavar="HANDLING", required=True)
    c = sub.add_parser("set", help="ret en værdi; den udtrukne værdi og kildelinjen gemmes")
    c.add_argument("table", metavar="HVAD", help="target, outcome eller figure")
    c.add_argument("row", type=int, metavar="ID")
    c.add_argument("value", metavar="VÆRDI", help="fx 1.234,5")
    c.add_argument("--reason", help="hvorfor")
    c.add_argument("--by", help="hvem")
    c.set_defaults(handler=cmd_correct_set)
    c = sub.add_parser("list", help="vis rettelser (nyeste først)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=cmd_correct_list)
    c = sub.add_parser("show", help="vis gældende værdi, den trykte værdi og rettelserne for én værdi")
    c.add_argument("table", metavar="HVAD", help="target, outcome eller figure")
    c.add_argument("row", type=int, metavar="ID")
    c.set_defaults(handler=cmd_correct_show)
    c = sub.add_parser("withdraw", help="fjern en rettelse")
    c.add_argument("correction", type=int, metavar="RETTELSE")
    c.set_defaults(handler=cmd_correct_withdraw)


def _item_text_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--text-file", type=Path, metavar="FIL", help="sagsfremstilling fra en fil")
    parser.add_argument("--indstilling-file", type=Path, metavar="FIL")
    parser.add_argument("--beslutning-file", type=Path, metavar="FIL")


def _read_text(path: Path | None) -> str | None:
    """Item text from a file, through the ordinary readers (so a PDF or DOCX works too)."""
    if path is None:
        return None
    from kkrdesk.ingest.guard import read_guarded
    from kkrdesk.ingest.model import plain_text

    return plain_text(read_guarded(path)).strip()


def _texts(args: argparse.Namespace) -> dict[str, str]:
    texts = {
        "sagsfremstilling": _read_text(args.text_file),
        "indstilling": _read_text(args.indstilling_file),
        "beslutning": _read_text(args.beslutning_file),
    }
    return {k: v for k, v in texts.items() if v is not None}


def cmd_new(args: argparse.Namespace, store: Store) -> int:
    print(meetings.create_meeting(store, args.title, args.date, args.place, body=args.body))
    return 0


def cmd_edit(args: argparse.Namespace, store: Store) -> int:
    fields = {k: getattr(args, k) for k in ("title", "date", "place", "body") if getattr(args, k) is not None}
    meetings.update_meeting(store, args.meeting, **fields)
    return 0


def cmd_add_item(args: argparse.Namespace, store: Store) -> int:
    position = args.position - 1 if args.position else None
    item_id = meetings.add_item(store, args.meeting, args.number, args.title, access="lukket" if args.closed else "åben",
                                position=position, **_texts(args))
    print(item_id)
    return 0


def cmd_set_item(args: argparse.Namespace, store: Store) -> int:
    fields: dict = {k: getattr(args, k) for k in ("number", "title") if getattr(args, k) is not None}
    fields.update(_texts(args))
    if args.closed or args.open:
        fields["access"] = "lukket" if args.closed else "åben"
    if not fields:
        message("kkrdesk: intet at ændre (se meeting set-item --help)")
        return 1
    meetings.update_item(store, args.item, **fields)
    return 0


def cmd_move_item(args: argparse.Namespace, store: Store) -> int:
    meetings.move_item(store, args.item, args.position - 1)
    return 0


def cmd_remove_item(args: argparse.Namespace, store: Store) -> int:
    meetings.remove_item(store, args.item)
    return 0


def cmd_attach(args: argparse.Namespace, store: Store) -> int:
    """Each file is all-or-nothing on its own; one that fails says why and the others still attach."""
    failed = 0
    for name in args.files:
        try:
            attached = meetings.attach_file(store, args.item, name, kind=args.kind)
        except ImportProblem as exc:
            message(f"kkrdesk: {exc} (intet vedhæftet)")
            failed += 1
            continue
        reused = " (fandtes allerede i lageret)" if attached.reused else ""
        message(f"{Path(name).name}: bilag {attached.number} «{attached.title}»{reused}")
        for warning in attached.warnings:
            message(f"  advarsel: {warning}")
    return 1 if failed else 0


def cmd_link(args: argparse.Namespace, store: Store) -> int:
    if args.goal is not None:
        meetings.link_item(store, args.item, "goal", args.goal)
    else:
        meetings.link_item(store, args.item, "dataset", args.dataset)
    return 0


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    from kkrdesk.data.sealed_store import configured_passphrase, read_passphrase_file
    from kkrdesk.publish import export_meeting
    from kkrdesk.publish.sealing import parse_expiry

    passphrase = (read_passphrase_file(args.seal_passphrase_file) if args.seal_passphrase_file
                  else configured_passphrase())
    result = export_meeting(store, args.meeting, args.out, passphrase=passphrase,
                            expires=parse_expiry(args.expires))
    message(f"Version {result.version} skrevet til {result.folder}:")
    for path in result.files:
        print(path)
    return 0


def cmd_install(args: argparse.Namespace, store: Store) -> int:
    result = pack_install.install_pack(args.file, accept_new_signer=args.accept_new_key)
    verb = "Opdateret" if result.previous_version else "Installeret"
    message(f"{verb}: {result.info.title} – {result.info.label}")
    if result.new_signer:
        message(f"Ny udgiver, fingeraftryk {result.new_signer} – sammenlign det med sekretariatets")
    for change in result.changes:
        print(f"  {change.status:<8} {change.number:<6} {change.title}")
    return 0


def cmd_installed(args: argparse.Namespace, store: Store) -> int:
    entries = pack_install.installed_packs()
    rows = []
    for entry in entries:
        try:
            changes = pack_install.pack_changes(entry.meeting_key)
        except StoreError as exc:   # an installed file damaged since: say so, list the others
            message(f"kkrdesk: {exc}")
            changes = []
        rows.append({
            "meeting_key": entry.meeting_key, "title": entry.title, "version": entry.version,
            "published": entry.published, "public": entry.public, "path": str(entry.path),
            "changes": [{"number": c.number, "title": c.title, "status": c.status} for c in changes],
        })
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        message("Ingen installerede pakker.")
    for row in rows:
        print(f"{row['title']} – udgivet {format_date(row['published'])}, version {row['version']}")
        for change in row["changes"]:
            print(f"  {change['status']:<8} {change['number']:<6} {change['title']}")
    return 0


def cmd_pack_info(args: argparse.Namespace, store: Store) -> int:
    info = packs.read_pack_info(store.db)
    if info is None:
        raise StoreError(f"{store.path.name if store.path else 'lageret'}: er ikke en pakke")
    if args.json:
        print_json({"meeting_key": info.meeting_key, "meeting_id": info.meeting_id, "title": info.title,
                    "published": info.published, "version": info.version, "public": info.public})
    else:
        print(f"{info.title}: {info.label}")
    return 0


def cmd_correct_set(args: argparse.Namespace, store: Store) -> int:
    print(corrections.correct_value(store, args.table, args.row, args.value, reason=args.reason, author=args.by))
    return 0


def cmd_correct_list(args: argparse.Namespace, store: Store) -> int:
    rows = corrections.list_corrections(store.db)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        message("Ingen rettelser.")
    for row in rows:
        label = corrections.TABLE_LABELS[row["target_table"]]
        print(f"{row['id']:>4}  {label} {row['row_id']}: {format_number(row['extracted_value'])} → "
              f"{format_number(row['corrected_value'])}")
        print(f"      {corrections.correction_note(row)}")
        if row["source_text"]:
            print(f"      «{row['source_text']}»")
    return 0


def cmd_correct_show(args: argparse.Namespace, store: Store) -> int:
    value, correction = corrections.corrected_value(store.db, args.table, args.row)
    if correction is None:
        print(f"{format_number(value)} (som trykt; ingen rettelser)")
        return 0
    print(f"{format_number(value)} (rettet; dokumentet: {format_number(correction['extracted_value'])})")
    for row in corrections.correction_history(store.db, args.table, args.row):
        print(f"  {row['id']:>4}  {corrections.correction_note(row)}")
    if correction["source_text"]:
        print(f"  Kildelinje: «{correction['source_text']}»")
    return 0


def cmd_correct_withdraw(args: argparse.Namespace, store: Store) -> int:
    corrections.withdraw_correction(store, args.correction)
    return 0
