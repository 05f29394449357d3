"""Briefing packs (#6): the meeting and contract PDFs board members print or read.

reportlab platypus with an embedded DejaVu Sans, a linked table of contents,
an outline mirroring items and bilag, and an atomic write to the target.
"""

from kkrdesk.briefing.contract_pack import build_contract_pack
from kkrdesk.briefing.doc import PackError, PackResult
from kkrdesk.briefing.meeting_pack import build_meeting_pack
from kkrdesk.briefing.theme_pack import build_theme_pack

__all__ = ["PackError", "PackResult", "build_contract_pack", "build_meeting_pack", "build_theme_pack"]
