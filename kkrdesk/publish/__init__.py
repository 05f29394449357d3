"""Publishing: the meeting folder the secretariat hands out (#7, #16).

Sits above `kkrdesk.data` (packs) and `kkrdesk.briefing` (PDFs); `data/` never imports it.
"""

from kkrdesk.publish.meeting_folder import ExportResult, export_meeting, next_version, pack_name, publications

__all__ = ["ExportResult", "export_meeting", "next_version", "pack_name", "publications"]
