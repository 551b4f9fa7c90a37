"""calfviewer: the anatomy and mechanics of the human calf in 3D, on the MyoLeg model.

When this process is the ``calfviewer`` command (its script or ``python -m calfviewer``), a Ctrl-C is only noted
from here until ``cli.main`` takes the signal over and answers it with its one line and exit code 130. Why here,
first of all: the command line's own imports take about 40 ms before ``main`` runs, and a Ctrl-C in them printed a
KeyboardInterrupt traceback from whichever module was being imported. The handler goes in before anything else
runs, even the check of whether this is the command line (a Ctrl-C during that check printed a traceback too), and
comes out again when it is not: imported as a library (the tests, another program), the signal is left as it was,
and a Ctrl-C in that moment is raised as Python would have. ``_signal`` (the C module under ``signal``) because
``signal`` imports ``enum``, and a Ctrl-C during that import would still raise.
"""

import _signal

#: Whether a Ctrl-C came while the command line was starting (before ``cli.main`` took the signal over).
interrupted_while_starting = False


def note_interrupt_while_starting(signum: int, frame: object) -> None:
    """The SIGINT handler while the command line starts: the Ctrl-C is noted, never raised."""
    global interrupted_while_starting
    interrupted_while_starting = True


try:
    _took_the_signal = _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler
    if _took_the_signal:
        _signal.signal(_signal.SIGINT, note_interrupt_while_starting)
except ValueError:  # imported first from a thread other than the main one: the signal is not ours to take
    _took_the_signal = False

import sys  # noqa: E402  (after the handler: nothing before it may take time)

__version__ = "0.1.0"


def _is_the_command_line() -> bool:
    """Whether this process is ``calfviewer`` (the script pip writes, which ends by calling ``cli.main``) or
    ``python -m calfviewer`` (whose ``__main__`` calls it): only then is someone sure to take the signal over."""
    script = sys.argv[0].replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".exe")
    if script == "calfviewer":
        return True
    # python [options] -m calfviewer: the module named must be this package itself (-m calfviewer.cli runs no main)
    words = iter(sys.orig_argv[1:])
    for word in words:
        if word == "-m":
            return next(words, None) == "calfviewer"
        if word.startswith("-m"):
            return word == "-mcalfviewer"
        if word in ("-X", "-W"):  # an option whose value is the next word
            next(words, None)
        elif not word.startswith("-") or word.startswith("-c"):
            return False
    return False


if _took_the_signal and not _is_the_command_line():
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    if interrupted_while_starting:  # a Ctrl-C in the moment the handler was in: the importer's, as Python raises it
        interrupted_while_starting = False
        raise KeyboardInterrupt
