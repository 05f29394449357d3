import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from kkrdesk.data.store import open_store  # noqa: E402
from kkrdesk.ingest.importer import import_file  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "resources" / "corpus"
MEETING_PACK = CORPUS / "kkr-moede-2021-bilag.txt"
CONTRACT_2019 = CORPUS / "resultatkontrakt-2019.txt"
REPORT_2022 = CORPUS / "afrapportering-resultatkontrakt-2022.txt"
BUNDLE_2024 = CORPUS / "resultatkontrakt-2024-afrapportering-og-kkr-bilag-2025.txt"


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """Every test gets its own user data dir: no test sees another's store, notes or settings."""
    monkeypatch.setenv("KKRDESK_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))


@pytest.fixture
def store():
    s = open_store(None)
    yield s
    s.close()


@pytest.fixture(scope="session")
def corpus_db_path(tmp_path_factory):
    """A store file with the whole corpus imported once per test session (read it, don't change it)."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.sqlite"
    s = open_store(path)
    for f in sorted(CORPUS.glob("*.txt")):
        import_file(s, f)
    s.close()
    return path


@pytest.fixture
def corpus_store(corpus_db_path):
    s = open_store(corpus_db_path)
    yield s
    s.close()
