"""The workspace: storage, org, ingestion, imports and the weekly cycle.

``Workspace.open(dir_or_url)`` is the entry point; see docs/workspace.md.
"""

from coachloop.workspace.core import Workspace
from coachloop.workspace.settings import WorkspaceSettings

__all__ = ["Workspace", "WorkspaceSettings"]
