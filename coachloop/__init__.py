"""coachloop: coach managers on their real, recorded 1:1s.

The library is the product; the CLI (:mod:`coachloop.cli`) and the web app
(:mod:`coachloop.web`) are thin layers on top. Nothing in the library prints.
"""

from coachloop.errors import CoachloopError
from coachloop.model import Meeting, Role, SourceLocation, Speaker, Utterance, Word

__version__ = "0.1.0"

__all__ = [
    "CoachloopError",
    "Meeting",
    "Role",
    "SourceLocation",
    "Speaker",
    "Utterance",
    "Word",
    "__version__",
]
