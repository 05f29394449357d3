"""kkrdesk: KKR Nordjylland's meeting packs, contracts and figures, offline."""

__version__ = "0.1.0"
APP_NAME = "kkrdesk"
