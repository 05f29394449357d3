"""The store's schema and its ordered migrations.

The schema version lives in `PRAGMA user_version`. MIGRATIONS[i] upgrades a
store from version i to i + 1; a store newer than len(MIGRATIONS) is refused
(see store.open_store). Each table block is a function so the schema reads as
one page, grouped by domain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

FTS_TOKENIZE = "unicode61 remove_diacritics 0"
# FTS5 merges a level's segments once it holds this many (its default is 4). Each imported file is a
# segment; merging 16 at a time rewrites each entry half as often as 4 at a time: a quarter of the
# index's insert time on the bench archive, and no slower search (#20.3).
FTS_AUTOMERGE = 16


def search_index_tuned(conn: sqlite3.Connection) -> bool:
    """Whether the store's FTS5 index has its merge setting (or there is no index)."""
    try:
        row = conn.execute("SELECT v FROM sections_fts_config WHERE k = 'automerge'").fetchone()
    except sqlite3.OperationalError:
        return True
    return row is not None and row[0] == FTS_AUTOMERGE


def tune_search_index(conn: sqlite3.Connection) -> None:
    """Give the store's FTS5 index its merge setting, where it has not got it (inside a write)."""
    if not search_index_tuned(conn):
        conn.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('automerge', ?)", (FTS_AUTOMERGE,))


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        conn.execute(buffer)


def _core_tables(conn: sqlite3.Connection) -> None:
    run_script(conn,
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT
        );

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            part_index INTEGER,                 -- order of a part within its file
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            kind TEXT NOT NULL,                 -- contract | report | meeting-pack | document | bundle
            title TEXT,
            year INTEGER,
            imported_at TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'user', -- user | bundle
            line_start INTEGER NOT NULL,        -- lines are always those of the imported file
            line_end INTEGER NOT NULL,
            -- the two large texts last: listing documents then never reads their overflow pages
            original_text TEXT NOT NULL,
            normalised_text TEXT NOT NULL
        );
        CREATE UNIQUE INDEX documents_file_sha ON documents(sha256) WHERE parent_id IS NULL;
        CREATE INDEX documents_parent ON documents(parent_id);

        CREATE TABLE warnings (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            line INTEGER,
            message TEXT NOT NULL
        );
        CREATE INDEX warnings_document ON warnings(document_id);

        CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            number TEXT,                        -- "3", "3.2", "Mål 4", NULL for untitled text
            title TEXT NOT NULL,
            level INTEGER NOT NULL,
            body TEXT NOT NULL,                 -- normalised text of the section
            body_lines TEXT NOT NULL DEFAULT '[]', -- JSON: original line number of each body line
            line_start INTEGER NOT NULL,
            line_end INTEGER NOT NULL
        );
        CREATE INDEX sections_document ON sections(document_id, position);

        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            body TEXT NOT NULL DEFAULT 'KKR Nordjylland',
            date TEXT,                          -- ISO date, NULL when the material does not say
            year INTEGER,                       -- the year, when only that is known (orders undated meetings)
            title TEXT NOT NULL,
            place TEXT,
            uid TEXT,                           -- stable key of a meeting the secretariat publishes (#7)
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            line_start INTEGER,
            line_end INTEGER
        );

        CREATE TABLE agenda_items (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            number TEXT NOT NULL,               -- "3.5"
            title TEXT NOT NULL,
            access TEXT NOT NULL DEFAULT 'åben' CHECK (access IN ('åben', 'lukket')),
            sagsfremstilling TEXT,
            indstilling TEXT,
            beslutning TEXT,
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            line_start INTEGER,
            line_end INTEGER
        );
        CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

        CREATE TABLE bilag (
            id INTEGER PRIMARY KEY,
            agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            number TEXT NOT NULL,
            title TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            line_start INTEGER,
            line_end INTEGER
        );
        CREATE INDEX bilag_item ON bilag(agenda_item_id, position);
        """
    )
    # Prefix indexes for 2–6 letters: search as you type asks for "ko*", "kommun*" … and a
    # prefix without its index merges the entries of every word it covers (bench, #8).
    conn.execute(
        f"CREATE VIRTUAL TABLE sections_fts USING fts5(title, body, content='sections', "
        f"content_rowid='id', tokenize='{FTS_TOKENIZE}', prefix='2 3 4 5 6')"
    )
    run_script(conn,
        """
        CREATE TRIGGER sections_ai AFTER INSERT ON sections BEGIN
            INSERT INTO sections_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER sections_ad AFTER DELETE ON sections BEGIN
            INSERT INTO sections_fts(sections_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER sections_au AFTER UPDATE ON sections BEGIN
            INSERT INTO sections_fts(sections_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO sections_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        """
    )


def _contract_tables(conn: sqlite3.Connection) -> None:
    """Resultatkontrakter, framework agreements and their reports (#3).

    A report (afrapportering) reprints its contract's goal boxes, so it is stored
    as a contract row with is_report = 1 carrying both goals and outcomes.
    """
    run_script(conn,
        """
        CREATE TABLE contracts (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL DEFAULT 'resultatkontrakt',  -- resultatkontrakt | rammeaftale
            is_report INTEGER NOT NULL DEFAULT 0,
            year INTEGER,
            title TEXT,
            parties TEXT,                       -- JSON list
            framework TEXT,
            signatories TEXT,                   -- JSON list of {"name", "role", "date", "date_text", "line"}
            date TEXT,                          -- ISO date printed on the document, if any
            in_force_from TEXT,
            in_force_to TEXT,
            overall_fulfilment_pct REAL,
            overall_line INTEGER,
            line_start INTEGER,
            line_end INTEGER
        );
        CREATE INDEX contracts_year ON contracts(year);
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            number TEXT NOT NULL,
            title TEXT NOT NULL,
            scope TEXT,                         -- national | fælles | regional | lokal
            theme TEXT,                         -- stable key across years
            description TEXT,
            goal_text TEXT,                     -- the "Mål" row of the box
            method TEXT,
            rationale TEXT,                     -- Begrundelse
            reporting TEXT,
            fulfilment_rule TEXT,
            report_text TEXT,                   -- the report's text on the goal (afrapportering og målopfyldelse)
            fulfilment_pct REAL,
            fulfilment_line INTEGER,
            overview_title TEXT,
            overview_pct REAL,
            warnings TEXT NOT NULL DEFAULT '[]', -- JSON list of {"line", "message"}
            line_start INTEGER,
            line_end INTEGER
        );
        CREATE INDEX goals_contract ON goals(contract_id, position);
        CREATE INDEX goals_theme ON goals(theme);
        CREATE TABLE indicators (
            id INTEGER PRIMARY KEY,
            goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            label TEXT NOT NULL,                -- "Delmål 7.1" as printed, "Målepunkt 2.1" when unlabelled
            printed_label INTEGER NOT NULL DEFAULT 1,
            title TEXT,
            text TEXT,
            line_start INTEGER,
            line_end INTEGER
        );
        CREATE INDEX indicators_goal ON indicators(goal_id, position);
        CREATE TABLE targets (
            id INTEGER PRIMARY KEY,
            goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
            indicator_id INTEGER REFERENCES indicators(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            value REAL NOT NULL,
            unit TEXT,
            comparator TEXT,                    -- ">=", ">", "=", "<=", "<"
            year INTEGER,
            measure TEXT,                       -- "Vækst- & Driftsforløb" for a labelled count
            fulfilment_level REAL NOT NULL DEFAULT 100,  -- 50 for "Målet er 50 pct. opfyldt, når …"
            source TEXT NOT NULL DEFAULT 'kontrakt',     -- kontrakt | rapport
            text TEXT,                          -- the sentence it was read from
            line INTEGER
        );
        CREATE INDEX targets_goal ON targets(goal_id);
        CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
            indicator_id INTEGER REFERENCES indicators(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            measure TEXT,                       -- resultat | målopfyldelse | a printed label
            value REAL,
            unit TEXT,
            indicator_label TEXT,               -- "Delmål 1" when the report says so
            text TEXT,
            line INTEGER
        );
        CREATE INDEX outcomes_goal ON outcomes(goal_id);
        """
    )


def _figure_tables(conn: sqlite3.Connection) -> None:
    """Nøgletal: one long table of figures plus the shared municipality list (#4)."""
    run_script(conn,
        """
        CREATE TABLE municipalities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            variants TEXT NOT NULL DEFAULT '[]' -- JSON list of other spellings
        );
        CREATE TABLE datasets (
            name TEXT PRIMARY KEY,              -- "sosu-dimensionering"
            title TEXT NOT NULL,
            description TEXT
        );
        CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            dataset TEXT NOT NULL,
            grp TEXT,                           -- the printed table a row belongs to ("SEL § 107", a secretariat)
            label TEXT NOT NULL,                -- usually a municipality; "I alt" for a printed total
            municipality_id INTEGER REFERENCES municipalities(id),
            period TEXT NOT NULL,
            measure TEXT NOT NULL DEFAULT '',
            value REAL,
            unit TEXT,
            is_total INTEGER NOT NULL DEFAULT 0,
            flag TEXT,                          -- e.g. printed total differs from the sum of rows
            raw TEXT,                           -- the cell or phrase as printed
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            line INTEGER
        );
        CREATE INDEX figures_dataset ON figures(dataset, period, measure);
        CREATE INDEX figures_document ON figures(document_id);
        CREATE INDEX figures_dataset_document ON figures(dataset, document_id);  -- list_datasets
        """
    )


def _theme_tables(conn: sqlite3.Connection) -> None:
    """Recurring matters (#10): tags on items, bilag and documents, automatic or set by the secretariat."""
    run_script(conn, """
        CREATE TABLE theme_tags (
            id INTEGER PRIMARY KEY,
            theme TEXT NOT NULL,                -- key from resources/themes.json
            target_type TEXT NOT NULL CHECK (target_type IN ('item', 'bilag', 'document')),
            target_id INTEGER NOT NULL,
            source TEXT NOT NULL DEFAULT 'auto' CHECK (source IN ('auto', 'manual')),
            removed INTEGER NOT NULL DEFAULT 0, -- 1: the secretariat took an automatic tag off
            UNIQUE (theme, target_type, target_id)
        );
        CREATE INDEX theme_tags_target ON theme_tags(target_type, target_id);
    """)


def _secretariat_tables(conn: sqlite3.Connection) -> None:
    """The secretariat's side (#7): item links, corrections, published versions, pack metadata."""
    run_script(conn, """
        CREATE TABLE item_links (
            id INTEGER PRIMARY KEY,
            agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('goal', 'dataset')),
            target TEXT NOT NULL,               -- goal key "goal:<year>:<number>" or a dataset name
            label TEXT NOT NULL,                -- as shown, so a pack without the contract still says what
            UNIQUE (agenda_item_id, kind, target)
        );
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            target_table TEXT NOT NULL CHECK (target_table IN ('targets', 'outcomes', 'figures')),
            row_id INTEGER NOT NULL,
            extracted_value REAL,               -- what the document prints (the row itself is never changed)
            corrected_value REAL NOT NULL,
            reason TEXT,
            author TEXT,
            corrected_at TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            line INTEGER,                       -- original line the value was read from
            source_text TEXT                    -- that line as printed
        );
        CREATE INDEX corrections_row ON corrections(target_table, row_id);
        CREATE TABLE publications (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            published_at TEXT NOT NULL,
            UNIQUE (meeting_id, version)
        );
        CREATE TABLE pack_info (                -- one row in a .kkrpack, empty elsewhere
            meeting_key TEXT NOT NULL,
            meeting_id INTEGER NOT NULL,
            title TEXT NOT NULL,
            published TEXT NOT NULL,            -- ISO date-time
            version INTEGER NOT NULL,
            public INTEGER NOT NULL,
            item_hashes TEXT NOT NULL DEFAULT '{}' -- JSON {item number: {"hash", "title"}}
        );
    """)


def _v1(conn: sqlite3.Connection) -> None:
    _core_tables(conn)
    _theme_tables(conn)
    _contract_tables(conn)
    _figure_tables(conn)
    _secretariat_tables(conn)


def _v2_lean(conn: sqlite3.Connection) -> None:
    """Each text once (#20.2): a file's original compressed on its document, a part's original only where
    it is not exactly its lines of the file, the normalised text only on documents without sections.

    Existing rows are rewritten the same way; nothing a reader shows changes (see data/texts.py).
    """
    from kkrdesk.data.texts import original_for_part, pack_original

    for doc_id, text in conn.execute(
            "SELECT id, original_text FROM documents WHERE parent_id IS NULL AND typeof(original_text) = 'text'"
            ).fetchall():
        parts = conn.execute("SELECT id, original_text, line_start, line_end FROM documents WHERE parent_id = ?",
                             (doc_id,)).fetchall()
        for part_id, own, first, last in parts:
            if isinstance(own, str) and own:
                conn.execute("UPDATE documents SET original_text = ? WHERE id = ?",
                             (original_for_part(text, first, last, own), part_id))
        if text:
            conn.execute("UPDATE documents SET original_text = ? WHERE id = ?", (pack_original(text), doc_id))
    conn.execute("UPDATE documents SET normalised_text = '' "
                 "WHERE normalised_text != '' AND EXISTS (SELECT 1 FROM sections s WHERE s.document_id = documents.id)")


# Version 2 (#13–#17): one step per change, each a small named function; a store made by
# version 1 is upgraded in place (with a backup, see store.migrate) and keeps every row.
def _v2_originals(conn: sqlite3.Connection) -> None:
    """The imported files' own bytes (#15), content-addressed, compressed, one row per distinct file.

    `page_lines` is a JSON list: the first original line of each page (PDF), so a line maps to its page.
    """
    run_script(conn, """
        CREATE TABLE originals (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,              -- bytes of the file as imported
            format TEXT NOT NULL,               -- pdf | docx | text
            compression TEXT NOT NULL DEFAULT 'zlib',
            pages INTEGER,                      -- PDF page count
            page_lines TEXT,                    -- JSON: first original line of each page
            data BLOB NOT NULL
        );
        ALTER TABLE documents ADD COLUMN original_sha256 TEXT REFERENCES originals(sha256);
        CREATE INDEX documents_original ON documents(original_sha256);
    """)


def _v2_agenda(conn: sqlite3.Connection) -> None:
    """The dagsorden/referat as structure (#14): meeting time and attendance, item group, case number,
    Baggrund, and flags ("kun i bilagspakken") where two documents of one meeting disagree."""
    run_script(conn, """
        ALTER TABLE meetings ADD COLUMN time TEXT;          -- "10.00–13.00" as printed on the cover
        ALTER TABLE meetings ADD COLUMN absent TEXT;        -- Afbud
        ALTER TABLE meetings ADD COLUMN participants TEXT;  -- Deltagere
        ALTER TABLE agenda_items ADD COLUMN group_title TEXT;   -- "3. Sager til drøftelse og beslutning"
        ALTER TABLE agenda_items ADD COLUMN case_number TEXT;   -- Sagsnr. / Sags ID
        ALTER TABLE agenda_items ADD COLUMN baggrund TEXT;
        ALTER TABLE agenda_items ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';  -- JSON list of Danish notes
    """)


def _v2_contract_pages(conn: sqlite3.Connection) -> None:
    """#13: the page a goal, delmål, target or result was printed on (PDF, Word), beside its line."""
    for table in ("goals", "indicators", "targets", "outcomes"):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN page INTEGER")


def _v2_results(conn: sqlite3.Connection) -> None:
    """Results per indicator (#17): each reported result with the target it answers and one status word.

    The target is copied beside its id: a derived one (delmål "mervækst i produktivitet", > 0) has no
    targets row, and a result never loses what it was measured against.
    """
    run_script(conn, """
        CREATE TABLE results (
            id INTEGER PRIMARY KEY,
            goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            indicator TEXT NOT NULL,            -- "Kendskabsgrad", "Net Promoter Score (NPS)", "Målet samlet"
            indicator_key TEXT,                 -- stable across years: kendskabsgrad | nps | omsaetning | …
            indicator_label TEXT,               -- the target's delmål/målepunkt ("Delmål 5.1")
            value REAL,                         -- NULL: a target not answered (yet)
            unit TEXT,                          -- procent | procentpoint | NPS | virksomheder | forløb | …
            segment TEXT,                       -- drift | vækst | samlet | NULL
            period TEXT,                        -- "2024", "ultimo 2023", "2024 (virksomheder vejledt i 2022)"
            fulfilment_pct REAL,                -- as the report prints it for this result
            status TEXT CHECK (status IS NULL OR status IN
                ('opfyldt', 'delvist opfyldt', 'ikke opfyldt', 'ikke målt endnu')),
            status_source TEXT,                 -- rapport | beregnet
            outcome_id INTEGER REFERENCES outcomes(id) ON DELETE SET NULL,  -- a correction of it applies
            target_id INTEGER REFERENCES targets(id) ON DELETE SET NULL,
            target_value REAL,
            target_unit TEXT,
            target_comparator TEXT,
            target_year INTEGER,
            target_text TEXT,
            target_line INTEGER,
            text TEXT,                          -- the sentence the result was read from
            line INTEGER,
            page INTEGER,                       -- when the document has pages
            warning TEXT                        -- why it was not placed on a target, or what to know
        );
        CREATE INDEX results_goal ON results(goal_id, position);
        CREATE INDEX results_key ON results(indicator_key);
    """)
    # a version-1 store keeps its contracts: their results are paired now, as an import would have
    from kkrdesk.data.contracts.repo import pair_stored_results

    pair_stored_results(conn)


V2_STEPS: list[Callable[[sqlite3.Connection], None]] = [
    _v2_originals,
    _v2_agenda,
    _v2_lean,
    _v2_contract_pages,
    _v2_results,
]


def _v2(conn: sqlite3.Connection) -> None:
    for step in V2_STEPS:
        step(conn)


_SECTION_TRIGGERS = """
    CREATE TRIGGER sections_ai AFTER INSERT ON sections BEGIN
        INSERT INTO sections_fts(rowid, body, title) VALUES (new.id, kkr_text(new.body), new.title);
    END;
    CREATE TRIGGER sections_ad AFTER DELETE ON sections BEGIN
        INSERT INTO sections_fts(sections_fts, rowid, body, title)
        VALUES ('delete', old.id, kkr_text(old.body), old.title);
    END;
    CREATE TRIGGER sections_au AFTER UPDATE ON sections BEGIN
        INSERT INTO sections_fts(sections_fts, rowid, body, title)
        VALUES ('delete', old.id, kkr_text(old.body), old.title);
        INSERT INTO sections_fts(rowid, body, title) VALUES (new.id, kkr_text(new.body), new.title);
    END;
"""


def _v3(conn: sqlite3.Connection) -> None:
    """A leaner search index and section text (#20.2), measured against a bare FTS5 table of the same text.

    - Body first, title second: FTS5 marks every position list of a column other than the first, and
      nearly every entry is a body entry (the index shrank by a fifth; bm25's weights follow the order).
    - A section's text is stored zstd-compressed when longer than a line (data/section_text.py); the index
      reads it through the view `sections_text`, so 'rebuild' and 'integrity-check' still work.
    Existing sections are packed and the index is rebuilt; what a search finds and how it ranks is unchanged.
    """
    from kkrdesk.data.section_text import pack_body, register

    register(conn)
    for trigger in ("sections_ai", "sections_ad", "sections_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP TABLE IF EXISTS sections_fts")
    rows = conn.execute("SELECT id, body FROM sections WHERE typeof(body) = 'text'").fetchall()
    conn.executemany("UPDATE sections SET body = ? WHERE id = ?", [(pack_body(body), sid) for sid, body in rows])
    conn.execute("CREATE VIEW sections_text AS SELECT id, kkr_text(body) AS body, title FROM sections")
    conn.execute(
        f"CREATE VIRTUAL TABLE sections_fts USING fts5(body, title, content='sections_text', "
        f"content_rowid='id', tokenize='{FTS_TOKENIZE}', prefix='2 3 4 5 6')"
    )
    run_script(conn, _SECTION_TRIGGERS)
    conn.execute("INSERT INTO sections_fts(sections_fts) VALUES('rebuild')")
    tune_search_index(conn)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)
