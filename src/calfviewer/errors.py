"""The one exception type the command line turns into a one-line message and exit code 2.

Raised for anything the user can fix (a bad id, angle, file or size); the message is a single line that says
what is valid or what to do. Programming errors stay ordinary exceptions, so they are not hidden.
"""


class CalfviewerError(Exception):
    """A problem the user can fix; ``str(error)`` is the one line shown to them."""


class CatalogueError(CalfviewerError):
    """The anatomy catalogue data file is broken; the message names the structure and the field."""


class PoseError(CalfviewerError):
    """A joint angle is not a number or is outside the model's range; the message gives the range."""


class MeshDataError(CalfviewerError):
    """A file in meshes/ is missing, corrupt or stale; the message says how to rebuild it."""
