"""Packaging: build.spec, the icon, the .desktop entry, frozen-mode start-up, and (slow) a real build.

The fast tests check what can break without building: the spec's data files exist, its
filters keep Danish/English Qt catalogues and the platform plugins, the desktop entry
has its keys, the frozen entry point survives a windowed start (no stdout).

The slow tests (`pytest -m slow tests/test_packaging.py`, or `make test-packaging`) build
the one-folder app with PyInstaller into a temp dir and run the built binary headless.
"""

from __future__ import annotations

import ast
import configparser
import glob
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
DESKTOP = ROOT / "resources" / "kkrdesk.desktop"
ICONS = ROOT / "resources" / "icons"
CORPUS_FILE = ROOT / "resources" / "corpus" / "kkr-moede-2021-bilag.txt"
# Issue #15 allows the page view (QtPdf) and the PDF reader (pdfium): ≤ 170 MB (du-style, MiB) on Linux.
SIZE_BUDGET_MIB = 170
ICU_TRIM = ROOT / "packaging" / "icu_trim.py"


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _spec_constant(name: str):
    for node in _spec_tree().body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in build.spec")


def _spec_functions(*names: str) -> dict:
    """Execute only the named pure helper functions from build.spec (the rest needs PyInstaller)."""
    tree = _spec_tree()
    wanted = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names]
    assert {f.name for f in wanted} == set(names)
    namespace = {"Path": Path, "QT_PLUGINS_KEEP": _spec_constant("QT_PLUGINS_KEEP"),
                 "MPL_DATA_DROP": _spec_constant("MPL_DATA_DROP")}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)  # noqa: S102
    return namespace


# ---------------------------------------------------------------- fast: the spec


def test_spec_is_onedir_with_qtagg_and_frozen_entry():
    text = SPEC.read_text(encoding="utf-8")
    compile(text, str(SPEC), "exec")  # valid Python
    assert "exclude_binaries=True" in text and "COLLECT(" in text  # onedir, not onefile
    assert '"QtAgg"' in text and "hooksconfig" in text
    assert 'kkrdesk" / "frozen.py"' in text
    assert "upx=False" in text


def test_spec_data_files_exist():
    datas = _spec_constant("DATAS")
    sources = [src for src, _dest in datas]
    assert "resources/corpus" in sources and "resources/themes.json" in sources
    for src, dest in datas:
        matches = glob.glob(str(ROOT / src))
        assert matches, f"build.spec lists {src}, which does not exist"
        assert dest.startswith("resources")
    assert any(Path(p).suffix == ".txt" for p in glob.glob(str(ROOT / "resources/corpus/*")))


def test_spec_excludes_heavy_qt_modules_and_test_tools():
    text = SPEC.read_text(encoding="utf-8")  # QT_EXCLUDES is a comprehension: check the names listed
    for name in ("QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia", "QtCharts", "QtSql"):
        assert f'"{name}"' in text
    for name in ('"tkinter"', '"pytest"', '"pytestqt"'):
        assert name in text
    # matplotlib's Qt backend imports QtSvg unconditionally: excluding it breaks every chart.
    assert '"QtSvg",' not in text


def test_translation_filter_keeps_only_danish_and_english_qt_catalogues():
    keep = _spec_functions("keep_translation")["keep_translation"]
    base = "PySide6/Qt/translations/"
    assert keep(base + "qtbase_da.qm") and keep(base + "qt_da.qm") and keep(base + "qtbase_en.qm")
    assert not keep(base + "qtbase_de.qm")
    assert not keep(base + "designer_da.qm")  # Danish, but Qt Designer's own strings
    assert keep("resources/themes.json")


def test_qt_plugin_filter_keeps_desktop_platforms_drops_embedded_ones():
    keep = _spec_functions("keep_qt_plugin")["keep_qt_plugin"]
    plugins = "PySide6/Qt/plugins/"
    for kept in ("platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
                 "platforms/qwindows.dll", "platforms/libqcocoa.dylib", "xcbglintegrations/libqxcb-glx-integration.so",
                 "platforminputcontexts/libibusplatforminputcontextplugin.so", "styles/qmodernwindowsstyle.dll"):
        assert keep(plugins + kept), kept
    for dropped in ("platforms/libqvnc.so", "platforms/libqeglfs.so", "platformthemes/libqgtk3.so",
                    "imageformats/libqtiff.so", "generic/libqevdevmouseplugin.so", "tls/libqopensslbackend.so"):
        assert not keep(plugins + dropped), dropped
    assert keep("PySide6/Qt/lib/libQt6Core.so.6")
    # Windows wheels have no Qt/ level: PySide6/plugins/...
    assert keep("PySide6/plugins/platforms/qwindows.dll") and keep("PySide6/plugins/styles/qmodernwindowsstyle.dll")
    assert not keep("PySide6/plugins/imageformats/qtiff.dll") and not keep("PySide6/plugins/tls/qschannelbackend.dll")
    assert keep("matplotlib/plugins/whatever.so")  # only Qt's plugins are filtered


def test_matplotlib_data_filter_drops_samples_keeps_dejavu():
    keep = _spec_functions("keep_mpl_data")["keep_mpl_data"]
    data = "matplotlib/mpl-data/"
    assert keep(data + "fonts/ttf/DejaVuSans.ttf") and keep(data + "matplotlibrc")
    assert not keep(data + "sample_data/goog.npz") and not keep(data + "fonts/afm/pagd8a.afm")


# ---------------------------------------------------------------- fast: icon and desktop entry


def test_desktop_entry_has_required_keys():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "kkrdesk"
    assert entry["Exec"].split()[0] == "kkrdesk" and entry["Terminal"] == "false"
    assert entry["Icon"] == "kkrdesk"  # installed as hicolor/<size>/apps/kkrdesk.png
    assert entry["Categories"].endswith(";") and "Office" in entry["Categories"]
    assert "ø" in entry["Comment"]  # Danish first, UTF-8


def test_icons_exist_in_every_size_with_transparent_corners():
    from PIL import Image

    for size in (16, 32, 64, 128, 256):
        with Image.open(ICONS / f"kkrdesk-{size}.png") as img:
            assert img.size == (size, size) and img.mode == "RGBA"
            if size >= 64:
                assert img.getpixel((0, 0))[3] == 0  # rounded corner is transparent
                r, g, b, a = img.getpixel((size // 10, size // 2))  # the blue border
                assert a == 255 and b > r and b > g
    with Image.open(ICONS / "kkrdesk.ico") as ico:
        assert {(16, 16), (32, 32), (256, 256)} <= set(ico.info["sizes"])


# ---------------------------------------------------------------- fast: frozen-mode start-up


def test_windowed_start_without_stdout_does_not_crash(monkeypatch):
    """Windowed builds start with sys.stdout = None; printing must still work (into devnull)."""
    from kkrdesk import frozen

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    frozen.guard_std_streams()
    assert sys.stdout is not None and sys.stderr is not None
    print("hej")  # would raise AttributeError on None
    sys.stdout.close()
    sys.stderr.close()


def test_frozen_entry_delegates_to_cli(tmp_path, capsys):
    from kkrdesk import __version__, frozen

    with pytest.raises(SystemExit) as exc:
        frozen.main(["--version"])
    assert exc.value.code == 0 and __version__ in capsys.readouterr().out
    db = tmp_path / "x.sqlite"
    assert frozen.main(["--db", str(db), "import", str(CORPUS_FILE)]) == 0 and db.exists()


def test_logging_and_caches_go_to_user_dirs(monkeypatch, tmp_path):
    from kkrdesk import frozen
    from kkrdesk.paths import user_cache_dir, user_log_dir

    monkeypatch.setenv("KKRDESK_DATA_DIR", str(tmp_path))
    assert user_log_dir() == tmp_path / "logs" and user_cache_dir() == tmp_path / "cache"
    root = logging.getLogger()
    before_handlers, before_level, before_hook = list(root.handlers), root.level, sys.excepthook
    try:
        path = frozen.setup_logging()
        logging.getLogger("kkrdesk.test").warning("lageret kan ikke åbnes")
        for handler in root.handlers:
            handler.flush()
        assert path == str(tmp_path / "logs" / "kkrdesk.log")
        assert "lageret kan ikke åbnes" in Path(path).read_text(encoding="utf-8")
        monkeypatch.delenv("MPLCONFIGDIR", raising=False)
        frozen.persistent_matplotlib_cache()
        assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "cache" / "matplotlib")
    finally:
        for handler in root.handlers[:]:
            if handler not in before_handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before_level)
        sys.excepthook = before_hook


def test_selftest_passes_from_source():
    """The same self-test the built app runs: resources, fonts, FTS5, Danish Qt catalogue, QtAgg."""
    from kkrdesk.frozen import selftest

    report = selftest()
    assert report["checks"] == {k: True for k in report["checks"]}, report["checks"]
    assert "kkr-moede-2021-bilag.txt" in report["corpus_files"]
    assert "qtbase_da.qm" in report["qt_translations"]
    assert report["frozen"] is False


# ---------------------------------------------------------------- fast: the ICU data trimmer


def _icu_trim():
    import importlib.util

    if "icu_trim" not in sys.modules:  # registered first: its dataclass looks itself up there
        spec = importlib.util.spec_from_file_location("icu_trim", ICU_TRIM)
        sys.modules["icu_trim"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["icu_trim"])
    return sys.modules["icu_trim"]


def _wheel_icudata() -> Path:
    site = Path(pytest.importorskip("PySide6").__file__).parent
    found = sorted(site.glob("Qt/lib/libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 has no libicudata.so (not a Linux wheel)")
    return found[0]


def _header() -> bytes:
    """A CmnD data header like icupkg writes: headerSize, magic, UDataInfo, padded to 32 bytes."""
    import struct

    info = struct.pack("<HHBBBB4s4s4s", 20, 0, 0, 0, 2, 0, b"CmnD", bytes([1, 0, 0, 0]), bytes([3, 0, 0, 0]))
    return (struct.pack("<H", 32) + b"\xda\x27" + info).ljust(32, b"\0")


def test_icu_package_write_and_parse_synthetic():
    import struct

    icu = _icu_trim()
    items = {"icudt73l/zone/da.res": b"Z" * 20, "icudt73l/coll/da.res": b"C" * 16, "icudt73l/a.cnv": b"abc"}
    blob = icu.write_package(icu.Package(header=_header(), items=items))
    toc = blob[32:]
    count, = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    names = [toc[n:toc.index(b"\0", n)].decode() for n, _ in entries]
    assert names == sorted(items)  # ICU binary-searches the TOC
    assert all(offset % 16 == 0 for _, offset in entries)  # items 16-byte aligned
    assert toc[entries[0][1] - 1:entries[0][1]] == b"\xaa"  # name block padding, as icupkg does
    parsed = icu.parse_package(blob)
    assert parsed.header == _header()
    assert {n: d.rstrip(b"\0") for n, d in parsed.items.items()} == items  # padded to 16, content intact
    assert icu.write_package(parsed) == blob

    trimmed = icu.trim_package(parsed, keep=lambda name: name.startswith("coll/"))
    assert list(icu.parse_package(icu.write_package(trimmed)).items) == ["icudt73l/coll/da.res"]
    with pytest.raises(ValueError):
        icu.parse_package(b"\x20\x00\x00\x00" + bytes(60))  # no 0xda27 magic


def test_icu_keep_list_keeps_danish_and_core_data_drops_the_rest():
    keep = _icu_trim().keep_item
    for kept in ("coll/da.res", "coll/root.res", "coll/ucadata.icu", "coll/res_index.res", "da.res", "en_DK.res",
                 "root.res", "pool.res", "zone/pool.res", "zone/tzdbNames.res", "curr/supplementalData.res",
                 "zoneinfo64.res", "metaZones.res", "supplementalData.res", "likelySubtags.res", "plurals.res",
                 "icuver.res", "cnvalias.icu", "uprops.icu", "nfkc.nrm", "brkitr/line.brk", "brkitr/word.brk",
                 "brkitr/root.res", "ibm-5348_P100-1997.cnv", "ibm-850_P100-1995.cnv", "ibm-865_P100-1995.cnv",
                 "iso-8859_10-1998.cnv", "ibm-923_P100-1998.cnv", "rbnf/da.res"):
        assert keep(kept), kept
    for dropped in ("coll/zh.res", "coll/fr.res", "de.res", "zh_Hant_TW.res", "coll/de__PHONEBOOK.res",
                    "brkitr/cjdict.dict", "brkitr/thaidict.dict", "brkitr/line_cj.brk", "translit/root.res",
                    "rbnf/fr.res", "ibm-943_P15A-2003.cnv", "gb18030.cnv", "ibm-37_P100-1995.cnv", "zone/ja.res"):
        assert not keep(dropped), dropped


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux wheel's libicudata.so")
def test_icu_wheel_data_round_trips_byte_for_byte():
    """Our writer reproduces the wheel's own package exactly: the format is understood, not guessed."""
    icu = _icu_trim()
    lib = _wheel_icudata()
    blob = icu.elf_symbol_bytes(lib, icu.icu_symbol_name(lib))
    package = icu.parse_package(blob)
    assert len(package.items) > 1000 and "icudt73l/coll/da.res" in package.items
    assert icu.write_package(package) == blob
    trimmed = icu.trim_package(package)
    reparsed = icu.parse_package(icu.write_package(trimmed))
    assert list(reparsed.items) == sorted(trimmed.items)
    assert reparsed.items["icudt73l/coll/da.res"] == package.items["icudt73l/coll/da.res"]
    assert "icudt73l/brkitr/cjdict.dict" not in reparsed.items
    assert len(icu.write_package(trimmed)) < len(blob) / 4


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("gcc") is None, reason="Linux + gcc")
def test_trimmed_icu_library_serves_danish_in_qt(tmp_path):
    """Build the trimmed libicudata.so, load it into Qt (LD_LIBRARY_PATH beats the wheel's RUNPATH)
    and run the same ICU checks the built app's --selftest runs."""
    icu = _icu_trim()
    lib = _wheel_icudata()
    out = tmp_path / lib.name
    before, after = icu.trim_library(lib, out)
    assert after < before / 10
    assert icu.parse_package(icu.elf_symbol_bytes(out, icu.icu_symbol_name(lib))).items.keys() <= \
        icu.parse_package(icu.elf_symbol_bytes(lib, icu.icu_symbol_name(lib))).items.keys()
    if shutil.which("readelf"):
        dynamic = subprocess.run(["readelf", "-d", str(out)], capture_output=True, text=True).stdout
        assert f"[{lib.name}]" in dynamic  # same soname as the wheel's library
    code = ("import json, sys; from kkrdesk.frozen import icu_checks; "
            "sys.stdout.write(json.dumps(icu_checks()))")
    env = dict(os.environ, LD_LIBRARY_PATH=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    checks = json.loads(result.stdout)
    count = checks.pop("icu_codec_count")
    assert checks == {"icu_danish_collation": True, "word_boundaries": True, "line_breaks": True, "icu_codecs": True}
    assert 20 < count < 150  # the trimmed converters are really the ones in use (the full data has 200+)


# ---------------------------------------------------------------- slow: a real build


def _run(exe: Path, *args: str, env: dict, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


@pytest.fixture(scope="module")
def built_app(tmp_path_factory) -> Path:
    """Build once per test run into a temp dir (not ./dist, so a developer's build is untouched).

    KKRDESK_TEST_APP=dist/kkrdesk tests an existing build instead (e.g. right after `make build`).
    """
    existing = os.environ.get("KKRDESK_TEST_APP")
    if existing:
        return Path(existing).resolve()
    pytest.importorskip("PyInstaller", reason="PyInstaller missing: pip install -e '.[build]'")
    base = tmp_path_factory.mktemp("pyinstaller")
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(base / "dist"), "--workpath", str(base / "build"), str(SPEC)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    app = base / "dist" / "kkrdesk"
    assert (app / "kkrdesk").is_file() or (app / "kkrdesk.exe").is_file()
    return app


@pytest.fixture
def app_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", KKRDESK_DATA_DIR=str(tmp_path / "userdata"), HOME=str(tmp_path / "home"))
    return env


def _exe(app: Path) -> Path:
    # kkrdesk-cli exists on Windows/macOS (console); on Linux the one executable serves both.
    for name in ("kkrdesk-cli.exe", "kkrdesk-cli", "kkrdesk"):
        if (app / name).is_file():
            return app / name
    raise AssertionError(f"no executable in {app}")


@pytest.mark.slow
def test_built_app_prints_version(built_app, app_env, tmp_path):
    from kkrdesk import __version__

    result = _run(_exe(built_app), "--version", env=app_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kkrdesk {__version__}"


@pytest.mark.slow
def test_built_app_selftest(built_app, app_env, tmp_path):
    """Resources, DejaVu fonts, FTS5, Danish Qt catalogue and a QtAgg canvas, all from inside the bundle."""
    result = _run(_exe(built_app), "--selftest", env=app_env, cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["frozen"] is True and report["ok"] is True, report
    assert Path(report["resources"]).is_relative_to(built_app)
    assert set(report["qt_translations"]) <= {"qt_da.qm", "qtbase_da.qm", "qt_en.qm", "qtbase_en.qm"}
    assert "qtbase_da.qm" in report["qt_translations"]
    # ICU through Qt, with the (on Linux: trimmed) ICU data inside the bundle
    for check in ("icu_danish_collation", "word_boundaries", "line_breaks", "icu_codecs"):
        assert report["checks"][check] is True, report["checks"]
    if sys.platform.startswith("linux") and os.environ.get("KKRDESK_FULL_ICU") != "1":
        assert report["icu_codec_count"] < 150, "the bundle uses the full ICU data, not the trimmed copy"


@pytest.mark.slow
def test_built_app_imports_into_new_store_and_builds_bundled_store(built_app, app_env, tmp_path):
    exe = _exe(built_app)
    db = tmp_path / "tmp" / "x.sqlite"
    db.parent.mkdir()
    before = sorted(p.relative_to(built_app) for p in built_app.rglob("*"))
    result = _run(exe, "--db", str(db), "import", str(CORPUS_FILE), env=app_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "kkr-moede-2021-bilag.txt: importeret" in result.stderr
    meetings = json.loads(_run(exe, "--db", str(db), "list", "meetings", "--json", env=app_env, cwd=tmp_path).stdout)
    assert len(meetings) == 1 and meetings[0]["items"] == 9

    # No --db: the bundled store is built on first start from the bundled corpus, in the user data dir.
    result = _run(exe, "list", "documents", "--json", env=app_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {d["file_name"] for d in json.loads(result.stdout)} >= {"kkr-moede-2021-bilag.txt", "resultatkontrakt-2019.txt"}
    assert (Path(app_env["KKRDESK_DATA_DIR"]) / "kkrdesk.sqlite").is_file()
    # ...and nothing was written into the app folder.
    assert sorted(p.relative_to(built_app) for p in built_app.rglob("*")) == before


@pytest.mark.slow
def test_built_app_exports_meeting_pack(built_app, app_env, tmp_path):
    from kkrdesk.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    if "pack" not in commands:
        pytest.skip("the pack command (kkrdesk/cli/pack.py) is not registered yet")
    exe = _exe(built_app)
    db = tmp_path / "x.sqlite"
    assert _run(exe, "--db", str(db), "import", str(CORPUS_FILE), env=app_env, cwd=tmp_path).returncode == 0
    pdf = tmp_path / "x.pdf"
    result = _run(exe, "--db", str(db), "pack", "--meeting", "1", "-o", str(pdf), env=app_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) > 5
    assert "KKR Nordjylland" in reader.pages[0].extract_text()
    fonts = {str(f.get_object().get("/BaseFont")) for page in reader.pages[:3]
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any("DejaVuSans" in f for f in fonts), fonts  # embedded TTF found inside the bundle


@pytest.mark.slow
def test_built_app_opens_window_headless(built_app, app_env, tmp_path):
    """No command: the window starts (offscreen) on a fresh user dir, and keeps running until closed.

    Catches imports that only the window does (hidden imports PyInstaller cannot see).
    """
    import time

    exe = built_app / ("kkrdesk.exe" if sys.platform == "win32" else "kkrdesk")
    data = Path(app_env["KKRDESK_DATA_DIR"])
    proc = subprocess.Popen([str(exe)], env=app_env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        deadline = time.monotonic() + 120
        while not (data / "notes.sqlite").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(5)  # the main window is built right after the notes store is opened
        alive = proc.poll() is None
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert alive, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert (data / "kkrdesk.sqlite").is_file()  # bundled store built on first start


@pytest.mark.slow
def test_built_app_size_and_contents(built_app):
    # like `du`: PyInstaller puts symlinks to the Qt/numpy libraries in _internal; count files once
    size_mib = sum(p.lstat().st_size for p in built_app.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    assert size_mib <= SIZE_BUDGET_MIB, f"{size_mib:.0f} MiB"
    names = {p.name for p in built_app.rglob("*")}
    assert not {n for n in names if "WebEngine" in n or n.startswith(("libQt6Qml", "libQt6Quick", "libQt6PdfQuick"))}
    assert {"libQt6Pdf.so.6", "libQt6PdfWidgets.so.6"} <= names     # the page view (#15) uses QtPdf
    assert not {n for n in names if n.endswith(".qm") and not n.endswith(("_da.qm", "_en.qm"))}
    assert not {n for n in names if n.startswith(("tkinter", "_tkinter", "pytest"))}
    assert (built_app / "_internal" / "resources" / "corpus" / CORPUS_FILE.name).is_file()
    assert not (built_app / "_internal" / "resources" / "icons" / "make_icons.py").exists()
    assert (built_app / "_internal" / "resources" / "licenses" / "LGPL-3.0.txt").is_file()  # LGPL: ship the text


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None, reason="Linux/ldd only")
def test_built_app_libraries_resolve(built_app):
    """The orphan-library pruning in build.spec must not remove anything a shipped binary links to.

    A library that ldd cannot find is only acceptable if the build host lacks it too (e.g. the
    xcb plugin's libxcb-icccm on a headless CI image) — then it was never ours to ship.
    """
    internal = built_app / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
    host = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    site = Path(pytest.importorskip("PySide6").__file__).parent.parent
    missing: dict[str, set[str]] = {}
    for path in internal.rglob("*.so*"):
        if not path.is_file():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        for line in out.splitlines():
            if "=> not found" in line:
                missing.setdefault(line.split()[0], set()).add(str(path.relative_to(internal)))
    problems = {name: sorted(users) for name, users in missing.items()
                if name in host or next(site.rglob(name), None) is not None}
    assert not problems, problems
