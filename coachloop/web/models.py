"""Tables of the web app (accounts, server-side sessions, the audit log, debrief notes,
practice sessions in progress). They are part of the one workspace schema, defined in
:mod:`coachloop.workspace.models` and created by its migrations (0004); re-exported here.
"""

from coachloop.workspace.models import (
    USER_ROLES,
    AuditEntry,
    DebriefNote,
    PracticeState,
    User,
    WebSession,
)

__all__ = ["USER_ROLES", "AuditEntry", "DebriefNote", "PracticeState", "User", "WebSession"]
