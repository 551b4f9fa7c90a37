"""Undo and redo of every change to the view state, on a QUndoStack.

Why record the state rather than each widget's action: every widget, menu, key and mouse drag already ends in one
place, the :class:`ViewState`, so one recorder there catches them all, including ones added later. The recorder
listens to every state event, and at the end of the event-loop turn (so a change that emits several fields, such
as isolating a structure, is one step) compares the state with the last one it saw and pushes one command holding
the fields that changed, before and after.

Undoing assigns the old values to the state under a guard, so the events it causes are not recorded again (undo
never pushes a command). A jump over several steps (a row of the History panel: Qt undoes or redoes each command in
turn) assigns each field once, where the last step leaves it: before, every step in between was put on the leg in
turn, the model posed, the section cut and the facts written for each, so going back 168 steps to the start of the
session took 1.2 s before its one paint.

Steps that come one after another quickly and change the same thing (camera moves from a drag and a wheel, an
opacity slider, the timeline, the section slider) merge into one step (Qt's command ids and ``mergeWith``, called
by the history itself where it can: PySide keeps alive every command Qt deletes after a merge). The
pose is not recorded while a motion plays: one step, from where the leg was to where it stopped, is recorded when
it stops.

The history keeps the last :data:`UNDO_LIMIT` steps (Qt's undo limit: the oldest is let go as a new one comes).
Why a limit: every step holds the fields it changed, before and after, about 0.9 KB of Python objects and 1.6 KB of
the process a step (``scripts/undo-memory``: 5,000 steps grew it by 7.5 MB, 1.9 MB with the limit), so a day-long
session grew without end; a thousand steps are over two hours of a change every eight seconds, far more than anyone
walks back through. The History panel's first row is then the earliest view kept, not the start of the
session, and says so (:meth:`HistoryPanel.follow_start`).

A pose step also keeps where the timeline stood before and after it (the window's playback, :class:`Timeline`), and
giving the pose back gives that time back: a looping motion passes most poses twice a cycle, and the time the leg's
pose alone gives (``Motion.time_of``, nearest the time shown) was often the other pass, so Play went on the other way.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import fields
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QUndoView, QWidget

from calfviewer.anatomy import Catalogue
from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name
from calfviewer.viewer.view_state import ViewState, mirrored_placement

#: The steps the history keeps; older ones are let go (module docstring: why this many).
UNDO_LIMIT = 1000
#: The History panel's first row: the view before the first step, while that is where undo ends.
START_LABEL = "Start of the session"
#: The History panel's first row once the oldest steps have been let go.
EARLIEST_LABEL = f"Earliest view kept (last {UNDO_LIMIT:,} steps)"  # short: the panel is narrow
#: Changes of the same thing this close together (seconds, from the last one) merge into one step.
MERGE_SECONDS = 1.0
#: Fields whose quick successive changes merge: what sliders and camera drags change many times in a row.
MERGING_FIELDS = ("camera", "pose", "structure_opacity", "layer_opacity", "section")
FIELDS = tuple(f.name for f in fields(ViewState))

Snapshot = dict[str, Any]
#: Qt command ids of the kinds of step that merge (one per field, and per structure for opacity).
_MERGE_IDS: dict[tuple[Any, ...], int] = {}
#: Where a timeline stands: (the id of the motion shown, seconds into it).
TimeMark = tuple[str, float]


class Timeline(Protocol):
    """What the history needs of the window's playback (:class:`~calfviewer.viewer.playback.Playback`)."""

    def time_mark(self) -> TimeMark:
        """Where the timeline stands now."""
        ...

    def return_to(self, mark: TimeMark) -> None:
        """Put the time back at ``mark`` for the pose just given back to the leg (only the time is written)."""
        ...


def snapshot(state: ViewState) -> Snapshot:
    """Every field's value: all immutable (frozen mappings, frozen dataclasses), so no copy is needed."""
    return {name: getattr(state, name) for name in FIELDS}


def _changed_names(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


def describe(before: Snapshot, after: Snapshot, catalogue: Catalogue, names: str = DEFAULT_NAMES) -> str:
    """What a step did, for the Edit menu and the history panel: "Hide Soleus", "Camera", "Section: axial at 35%";
    a structure by its name in ``names`` ("Hide Musculus soleus" with Latin names)."""

    def name(key: str) -> str:
        return display_name(catalogue.get(key), names) if key in catalogue else f"the {key} layer"

    parts = []
    isolated = _isolated(before, after)
    for field_name in FIELDS:
        if field_name not in after:
            continue
        old, new = before[field_name], after[field_name]
        if isolated is not None and field_name == "structure_visible":
            parts.append(f"Isolate {name(isolated)}")
        elif isolated is not None and field_name == "layer_visible" and all(new[k] for k in _changed_names(old, new)):
            continue  # its layer shown with it: part of the isolating, not a step of its own
        elif field_name.endswith("_visible"):
            keys = _changed_names(old, new)
            if len(keys) == 1:
                parts.append(f"{'Show' if new.get(keys[0], True) else 'Hide'} {name(keys[0])}")
            else:
                parts.append(f"Show/hide {len(keys)} {'layers' if field_name.startswith('layer') else 'structures'}")
        elif field_name.endswith("_opacity"):
            keys = _changed_names(old, new)
            kinds = "layers" if field_name.startswith("layer") else "structures"
            parts.append(f"Opacity of {name(keys[0])}" if len(keys) == 1 else f"Opacity of {len(keys)} {kinds}")
        elif field_name == "selection":
            parts.append("Clear selection" if new is None else f"Select {name(new)}")
        elif field_name == "pose":
            parts.append(f"Pose: plantarflexion {new.plantarflexion:.0f}°, knee flexion {new.knee_flexion:.0f}°")
        elif field_name == "camera":
            parts.append(f"{new.view.title()} view" if new.view else "Camera")
        elif field_name == "section":
            parts.append("No section" if new is None else f"Section: {new.describe()}")
        else:
            parts.append(f"{field_name.replace('_', ' ').capitalize()} {'on' if new else 'off'}")
    text = "; ".join(parts[:2])
    return text + (f" (+{len(parts) - 2} more)" if len(parts) > 2 else "")


def _isolated(before: Snapshot, after: Snapshot) -> str | None:
    """The structure a step isolated (every other one hidden, it shown), else None: Isolate was worded "Show/hide
    43 structures; Show the bone layer (+1 more)", not as the user did it."""
    if "structure_visible" not in after:
        return None
    old, new = before["structure_visible"], after["structure_visible"]
    shown = [key for key, visible in new.items() if visible]
    if len(shown) != 1 or len(new) < 3 or len(_changed_names(old, new)) < 2:
        return None
    return shown[0]


class StateCommand(QUndoCommand):
    """One step: the fields that changed, their values before and after.

    Its text is worded from them in the names the window shows (:meth:`reword` when that switches), unless the step
    was given a name of its own (``label``: restoring a bookmark, opening a view file), which is kept as it was."""

    def __init__(
        self,
        history: History,
        before: Snapshot,
        after: Snapshot,
        label: str | None,
        when: float,
        started: float,
        times: tuple[TimeMark | None, TimeMark | None] = (None, None),
    ) -> None:
        super().__init__()
        self.history = history
        self.before = before
        self.after = after
        # Where the timeline stood with the pose before and after (a pose step; None: no timeline or no pose).
        self.before_time, self.after_time = times
        self.label = label
        self.reword(history.names)
        self.when = when  # when the change was recorded
        self.started = started  # when the hand began it (a drag's press), for merging
        self._done = True  # pushed after the change happened: the first redo() has nothing to do
        self.merge_key = self._merge_key()

    def reword(self, names: str) -> None:
        """Name the step in ``names`` ("english" or "latin")."""
        self.setText(self.label or describe(self.before, self.after, self.history.catalogue, names))

    def _merge_key(self) -> tuple[Any, ...] | None:
        if len(self.after) != 1:
            return None
        (field_name,) = self.after
        if field_name not in MERGING_FIELDS:
            return None
        if field_name.endswith("_opacity"):  # one slider: the same structure or layer
            return (field_name, *_changed_names(self.before[field_name], self.after[field_name]))
        return (field_name,)

    def id(self) -> int:
        if self.merge_key is None:
            return -1
        return _MERGE_IDS.setdefault(self.merge_key, 1000 + len(_MERGE_IDS))

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, StateCommand) or other.merge_key != self.merge_key:
            return False
        if other.started - self.when > MERGE_SECONDS:
            return False
        self.after = other.after
        self.after_time = other.after_time
        self.when = other.when
        self.label = other.label
        self.setText(other.text())
        if self.after == self.before:
            self.setObsolete(True)  # back where it started: no step at all
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.history.stage(self.after, self.after_time)

    def undo(self) -> None:
        self.history.stage(self.before, self.before_time)


class History(QObject):
    """Records every change of ``state`` on :attr:`stack` and applies undo and redo back to it.

    Signals:
        session_start_changed(bool): whether undoing every step kept goes back to where the history started
            (:meth:`starts_the_session`) changed: the oldest step was let go, or the history started again.
    """

    session_start_changed = Signal(bool)

    def __init__(
        self,
        state: ViewState,
        catalogue: Catalogue,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
        pause: Callable[[], None] | None = None,
        timeline: Timeline | None = None,
    ) -> None:
        super().__init__(parent)
        self._pause = pause  # stops the motion playing (the window's animator), for undo and redo
        self._timeline = timeline  # the window's playback: its time is kept with each pose step
        self.state = state
        self.catalogue = catalogue
        self.names: str = DEFAULT_NAMES  # the names steps are worded in: the window's (set_names)
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)  # only while the stack is empty; Qt frees the steps it lets go
        self._starts_session = True  # undoing every step kept goes back to where the history started
        self.clock_source = clock  # what :meth:`clock` reads (time.monotonic; a test's own clock to merge steps)
        self._last = snapshot(state)
        self._applying = False
        self._pose_held = False  # a motion is playing: the pose is recorded when it stops
        self._pending = False
        self._label: str | None = None
        self._staged: Snapshot = {}  # what the commands undone or redone so far in this move of the stack leave
        self._staged_time: TimeMark | None = None  # the timeline's time with the staged pose
        self._last_time = self._time_mark()  # the timeline's time with the last pose recorded (``_last["pose"]``)
        # The stack says its index changed once a move is over (one step, or a jump over several): then the state
        # takes the values the move leaves, once.
        self.stack.indexChanged.connect(self._apply_staged)
        #: The fields undo and redo leave as they are now (the window's: while a quiz question waits for its answer,
        #: the selection and the labels, either of which would show or name the answer).
        self.kept_fields: Callable[[], Collection[str]] = lambda: ()
        state.events.connect(self._on_state_changed)

    def reset(self) -> None:
        """Start the history here: no steps, the state as it is now is where undo stops."""
        self._pending = False
        self._last = snapshot(self.state)
        self._last_time = self._time_mark()
        self.stack.clear()
        if not self._starts_session:
            self._starts_session = True
            self.session_start_changed.emit(True)

    def close(self) -> None:
        """Stop recording (the window closes)."""
        self.state.events.disconnect(self._on_state_changed)

    # --- recording ------------------------------------------------------------------------------------------
    def _on_state_changed(self, *_: object) -> None:
        if self._applying or self._pending:
            return
        self._pending = True
        QTimer.singleShot(0, self.flush)

    def flush(self, started: float | None = None) -> None:
        """Record what changed since the last step as one step (the event loop does this after every turn; undo,
        redo and tests call it directly so nothing waits for the loop). ``started``: when the change began, on
        :meth:`clock` (a camera drag's press), if before now: a drag that begins soon after the last one ended
        merges with it however long it lasts."""
        self._pending = False
        if self._applying:
            return
        now = snapshot(self.state)
        changed = [name for name in FIELDS if now[name] != self._last[name]]
        if self._pose_held and "pose" in changed:
            changed.remove("pose")
            now["pose"] = self._last["pose"]
        times = (self._last_time, self._time_mark()) if "pose" in changed else (None, None)
        before = {name: self._last[name] for name in changed}
        after = {name: now[name] for name in changed}
        self._last = now
        self._note_time()
        if not changed:
            return
        now_time = self.clock_source()
        start = now_time if started is None else started
        command = StateCommand(self, before, after, self._label, now_time, start, times)
        if not self._merged_in_place(command):
            self._push(command)

    def _merged_in_place(self, command: StateCommand) -> bool:
        """Merge ``command`` into the last step ourselves, as the stack's push would, and say whether it was.

        Why not let the stack merge: PySide (6.11) keeps every command Qt deletes after merging it alive, held by
        the stack, with the state it holds, for the whole session: each event-loop turn of a timeline scrub, a
        slider or a camera drag, about a kilobyte a frame. Only where the stack would keep the step it merges into:
        no redo steps after it (a push drops them first) and the change not back where that step began (the stack
        removes an obsolete step)."""
        stack = self.stack
        index = stack.index()
        top = stack.command(index - 1) if index > 0 and index == stack.count() else None
        if not isinstance(top, StateCommand) or top.id() == -1 or top.id() != command.id():
            return False
        if command.after == top.before or not top.mergeWith(command):
            return False
        # What the stack tells its views (the History panel, the Edit menu) after a merge.
        stack.indexChanged.emit(index)
        stack.canUndoChanged.emit(stack.canUndo())
        stack.undoTextChanged.emit(stack.undoText())
        stack.canRedoChanged.emit(stack.canRedo())
        stack.redoTextChanged.emit(stack.redoText())
        return True

    def _time_mark(self) -> TimeMark | None:
        return None if self._timeline is None else self._timeline.time_mark()

    def _note_time(self) -> None:
        """Keep where the timeline stands now as the time of the pose last recorded, unless a motion playing holds
        that pose (its time is the one the motion started at) or the leg has moved since (a step not yet
        recorded: its before is the time kept)."""
        if not self._pose_held and self.state.pose == self._last["pose"]:
            self._last_time = self._time_mark()

    def timeline_moved(self, *_: object) -> None:
        """The timeline moved without a step (another motion chosen, in the same pose): what it shows now is what
        the next pose step goes back to."""
        if not self._applying:
            self._note_time()

    def set_names(self, names: str) -> None:
        """Word every step in ``names`` ("english" or "latin"), those already taken too: a step is worded from what
        it changed whenever the names switch, so the history panel and the Edit menu never show a structure by a name
        the rest of the window no longer uses."""
        self.names = check_names(names)
        for index in range(self.stack.count()):
            command = self.stack.command(index)
            if isinstance(command, StateCommand):
                command.reword(self.names)
        # The stack does not tell its views that a step's text changed; these are what they listen to.
        self.stack.undoTextChanged.emit(self.stack.undoText())
        self.stack.redoTextChanged.emit(self.stack.redoText())
        self.stack.indexChanged.emit(self.stack.index())

    def starts_the_session(self) -> bool:
        """Whether undoing every step kept goes back to the view the history started with (:meth:`reset`), rather
        than to a later one: the oldest steps are let go past :data:`UNDO_LIMIT`."""
        return self._starts_session

    def _push(self, command: StateCommand) -> None:
        self.stack.push(command)
        # The stack's clean index (nothing else sets it) is where the history started; Qt drops it (-1) with the
        # step after it when the limit lets that step go.
        if self._starts_session and self.stack.cleanIndex() != 0:
            self._starts_session = False
            self.session_start_changed.emit(False)

    def clock(self) -> float:
        """The history's time (seconds, monotonic): what :meth:`flush`'s ``started`` is measured on."""
        return self.clock_source()

    @contextlib.contextmanager
    def step(self, text: str) -> Iterator[None]:
        """Everything the block changes is one step named ``text`` (restoring a bookmark, opening a view file)."""
        self.flush()
        self._label = text
        try:
            yield
        finally:
            self.flush()
            self._label = None

    def hold_pose(self, held: bool) -> None:
        """While a motion plays (``held``), pose changes are not steps; when it stops, the whole move is one."""
        self.flush()
        self._pose_held = held
        if not held:
            self.flush()

    # --- undo and redo --------------------------------------------------------------------------------------
    def stage(self, values: Snapshot, time_mark: TimeMark | None = None) -> None:
        """A command's values, to be put into the state when the stack's move is over: of the steps a jump passes,
        the last to change a field says where it is left (undoing, the earliest step's ``before``), and the
        timeline's time with the pose (``time_mark``) is the one of the step that left the pose."""
        self._staged.update(values)
        if "pose" in values:
            self._staged_time = time_mark

    def _apply_staged(self, *_: object) -> None:
        staged, self._staged = self._staged, {}
        if staged:
            self.apply({name: staged[name] for name in FIELDS if name in staged})
            if "pose" in staged and "pose" not in self.kept_fields():
                self._return_to(self._staged_time)
        self._staged_time = None

    def _return_to(self, mark: TimeMark | None) -> None:
        """The timeline back at ``mark``, where it stood with the pose just given back (after the playback has put
        it where the pose alone says, maybe on the motion's other pass)."""
        if mark is not None and self._timeline is not None:
            self._timeline.return_to(mark)
        self._note_time()

    def apply(self, values: Snapshot) -> None:
        """Put ``values`` back into the state without recording them, but for the fields :attr:`kept_fields` keeps:
        before, Ctrl+Z while a quiz question waited switched the labels back on (naming the structure to click) and
        selected the last answer again, often the structure the next question asked about."""
        kept = set(self.kept_fields())
        self._applying = True
        try:
            with self.state.events.paused():
                for name, value in values.items():
                    if name not in kept:
                        setattr(self.state, name, value)
        finally:
            self._applying = False
            held_pose = self._last["pose"]
            self._last = snapshot(self.state)
            if self._pose_held and "pose" not in values:
                self._last["pose"] = held_pose

    def mirror(self) -> None:
        """The other leg is now shown: the state's camera and section, and every camera and section the history
        holds, become the same view of that leg (mirrored across the midline), so undo after a leg switch goes back
        through the views as they were seen, on the leg shown. Not a step itself: which leg is shown is not part of
        the view state, so there is nothing to undo."""
        self.flush()
        for index in range(self.stack.count()):
            command = self.stack.command(index)
            if isinstance(command, StateCommand):
                command.before, command.after = mirrored_placement(command.before), mirrored_placement(command.after)
        self.apply(mirrored_placement({"camera": self.state.camera, "section": self.state.section}))

    def undo(self) -> None:
        self.drop_motion()
        self.flush()
        self.stack.undo()

    def redo(self) -> None:
        self.drop_motion()
        self.flush()
        self.stack.redo()

    def drop_motion(self) -> None:
        """Undo or redo (or a row of the History panel) while a motion plays: the motion stops and the leg goes
        back to the pose it had before it played, as no step (the motion's pose is no one's choice). Before, the
        motion went on posing the leg over the pose undo had put back, and the step its pose made when it stopped
        wiped out the redo."""
        if self._pose_held and self._pause is not None:
            self.flush()
            started = self._last_time  # the time the motion started at, with the pose held
            self.apply({"pose": self._last["pose"]})  # the pose held since the motion started
            self._pause()
            self._return_to(started)


class HistoryPanel(QUndoView):
    """The list of steps; clicking one goes back (or forward) to it. The first row is the view as the session
    began, or, once the oldest steps are let go, the earliest view kept, and says which."""

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(history.stack, parent)
        self.setEmptyLabel(START_LABEL)
        self.setAccessibleName("History of changes")
        self.history = history
        history.session_start_changed.connect(self.follow_start)

    def follow_start(self, starts_the_session: bool) -> None:
        """Name the first row for where undoing every step goes: the start of the session, or the earliest view
        kept ("Start of the session" there sent a user back to a view hours later than the one they started with)."""
        self.setEmptyLabel(START_LABEL if starts_the_session else EARLIEST_LABEL)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.history.drop_motion()  # the motion stops before the view goes to the step clicked, as undo does
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.history.drop_motion()  # the arrow keys move through the steps too
        super().keyPressEvent(event)
