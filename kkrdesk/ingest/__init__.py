"""Ingestion: a file → reader → normalised lines → kind → extractors → one transaction in the store.

Readers per format (`readers/`: text, Word, PDF → the document model of `model.py`), the
normaliser, kind detection (`kinds.py`), the meeting-pack and section parsers, the contract and figure extractors, and `importer.import_file`, the one path
every import takes (CLI, window, secretariat attach, bundled store). Never imports Qt.
"""
