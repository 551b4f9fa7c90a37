"""The main window: a QtInteractor showing the scene, the structure tree, the info panel and the animation bar.

A thin layer: widgets edit the :class:`ViewState`, the :class:`~calfviewer.viewer.viewer.Viewer` poses the model
and emits one result, the scene and the widgets follow it, and this window only wires them together, renders once
per batch of changes and remembers the window between runs. The mouse on the 3D view is ``view_input.py``; the File
and Help commands are ``file_commands.py``.
"""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMessageBox, QWidget

from calfviewer.anatomy import load_catalogue
from calfviewer.anatomy.names import DEFAULT_NAMES, NAME_STYLES, display_name
from calfviewer.anatomy.side import check_side
from calfviewer.app.animation_bar import AnimationBar, animation_toolbar
from calfviewer.app.animator import Animator
from calfviewer.app.attachment_links import turn_to_clicked
from calfviewer.app.bookmark_thumbnails import ThumbnailProgress, view_steps
from calfviewer.app.bookmarks import BookmarkPanel
from calfviewer.app.bookmarks_not_kept import NotKeptNotices
from calfviewer.app.control_keys import ControlKeys
from calfviewer.app.docks import Dock
from calfviewer.app.file_commands import FileCommands
from calfviewer.app.info_panel import InfoPanel
from calfviewer.app.leg_switch import switch_leg
from calfviewer.app.plain_text import plain
from calfviewer.app.plot_dock import PlotDock
from calfviewer.app.quiz_labels import set_labels
from calfviewer.app.quiz_panel import QuizPanel, in_scroll_area
from calfviewer.app.quiz_room import QuizRoom
from calfviewer.app.scene_widget import SceneWidget
from calfviewer.app.screen_fit import ScreenFit
from calfviewer.app.screen_reader import ViewDescription
from calfviewer.app.section_controls import SectionControls
from calfviewer.app.selection_commands import hide_selected, isolate_selected, offer_with_a_selection
from calfviewer.app.settings import open_settings, remembered_side, restore_window, save_window, unwritten, widen_to_fit
from calfviewer.app.status_notice import LeftOutNotices, StatusNotice
from calfviewer.app.structure_tree import StructureTree
from calfviewer.app.toolbar_keys import chain_last
from calfviewer.app.undo import History, HistoryPanel
from calfviewer.app.view_frame import ViewFrame
from calfviewer.app.view_input import ViewInput
from calfviewer.errors import CalfviewerError
from calfviewer.geometry import load_scene_geometry
from calfviewer.geometry.quiz_targets import targets_of
from calfviewer.musculoskeletal import shared_model
from calfviewer.scene import bookmarks as bookmark_store
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.gl_driver import configure_gl_driver
from calfviewer.viewer.camera import CameraError
from calfviewer.viewer.view_state import VIEWS, Camera, ViewState
from calfviewer.viewer.viewer import Viewer

#: Idle work (cell locators, attachment patches, coarse bones) waits this long after a render was asked for, so
#: the paint that shows a change comes first.
PREPARE_AFTER_MS = 100


class MainWindow(FileCommands, QMainWindow):
    """The calfviewer window for one leg: ``side``, or when None the leg the last session showed (right at first)."""

    def __init__(self, side: str | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("calfviewer — the human calf")
        notice = None
        home = None
        if settings is None:
            opened = open_settings()
            settings, notice, home = opened.settings, opened.notice, opened.home
        self.settings = settings
        #: The bookmarks kept between sessions: beside the settings file (its real folder, even when damaged
        #: settings that could not be moved aside make this session use a scratch file).
        self.bookmarks_kept = (home or Path(settings.fileName()).parent) / "bookmarks.json"
        self.catalogue = load_catalogue()
        self.model = shared_model(check_side(side or remembered_side(settings)))  # the leg last shown, as the names
        self.state = ViewState(catalogue=self.catalogue)
        self.viewer = Viewer(self.state, self.model, self.catalogue)
        configure_gl_driver()  # before the QtInteractor makes the process's first GL context
        self.plotter = SceneWidget(self, auto_update=False)
        geometry = load_scene_geometry(self.model)
        self.scene = AnatomyScene(self.plotter, geometry, self.model, self.catalogue, self.state, viewer=self.viewer)
        self.setCentralWidget(ViewFrame(self.plotter))  # its focus ring from the keyboard (view_frame.py)
        self.animator = Animator(self.state, self, self.viewer.playback)
        self.play_action_on_click = True

        self.tree = StructureTree(self.state, self.catalogue, self)
        self.info = InfoPanel(self.viewer, self)
        self.structures_dock = self._dock("Structures", self.tree, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.info_dock = self._dock("Information", self.info, Qt.DockWidgetArea.RightDockWidgetArea)
        self.names = DEFAULT_NAMES
        self.quiz = QuizPanel(self.state, self.catalogue, self._quiz_targets, self)
        self.quiz_dock = self._dock("Quiz", in_scroll_area(self.quiz), Qt.DockWidgetArea.RightDockWidgetArea)
        self.quiz_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)  # View > Quiz mode closes it
        self.quiz_dock.hide()
        self.quiz.attachment_shown.connect(self._show_quiz_attachment)
        self.camera_before_quiz_turn: Camera | None = None  # the view a quiz question turned from, given back after
        self.animation_bar = AnimationBar(self.animator, self)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, animation_toolbar(self.animation_bar, self))
        self.plot_dock = PlotDock(self.animator, self.model, self.catalogue, self)
        self.plot_dock.add_to(self, below=self.findChild(QDockWidget, "information"))
        self.quiz_room = QuizRoom(self, self.quiz_dock, self.quiz, self.info_dock, self.plot_dock)
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self.view_description = ViewDescription(self.plotter, self.viewer, self.actions_by_name)  # keys, selection
        self._build_study_tools()
        # The leg is what the window is for: the docks may not squeeze it to a sliver (before: 68 px wide at the
        # window's smallest); the window's own minimum grows to fit instead, as far as its screen holds it.
        self.screen_fit = ScreenFit(self, self.plotter, (self.structures_dock, self.info_dock), (self.plot_dock,))

        self._render_pending = False
        self.state.events.connect(self.schedule_render)
        self.view_input = ViewInput(self, parent=self)
        self.control_keys = ControlKeys(self)  # a focused button, slider or list keeps its own keys
        self.state.events.selection.connect(self._on_selection)
        self.info.attachment_clicked.connect(lambda role, index: turn_to_clicked(self, role, index))  # or says why not
        self.tree.leave_search.connect(lambda: self.plotter.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.tree.chosen.connect(self.quiz.answer_click)  # the keyboard's click, for a quiz question that asks one
        self.notice = StatusNotice(self)
        self.statusBar().addPermanentWidget(self.notice)
        self.left_out = LeftOutNotices(self.notice, self.plotter.rendered, lambda: self.scene.left_out_overlays())
        self.statusBar().showMessage("Click a structure to learn about it; drag to turn the leg.", 0)
        kept = self.bookmarks.take_kept(self.bookmarks_kept)
        for text in filter(None, (notice, self._restore_settings(), kept, unwritten(settings))):
            self.notice.show_notice(text)
        self.not_kept = NotKeptNotices(self.notice, settings, self.bookmarks_kept, self.bookmarks.loaded)
        self.bookmarks.start_folder = self.not_kept.folder  # Load… opens where the files it names are
        if notice:
            QTimer.singleShot(0, lambda: QMessageBox.information(self, "calfviewer", plain(notice)))
        self.history.reset()  # the view the session starts with is not a step to undo
        chain_last(self, self.section_controls.tab_order)  # Tab: the toolbar at the top, then the view it cuts
        self.schedule_render()

    # --- layout ---------------------------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = Dock(title, self, widget)  # contents disabled while it is a tab behind another (docks.py)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, name: str, text: str, shortcut: str, slot, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        menus = {
            title: self.menuBar().addMenu(title) for title in ("&File", "&View", "&Structure", "&Animation", "&Help")
        }
        file_, view, structure, animation, help_ = menus.values()
        file_.addAction(self._action("open_view", "Open view…", "Ctrl+O", self.open_view_dialog))
        file_.addAction(self._action("save_view", "Save view…", "Ctrl+S", self.save_view_dialog))
        file_.addAction(self._action("screenshot", "Save screenshot…", "Ctrl+Shift+S", self.screenshot_dialog))
        file_.addAction(self._action("export_movie", "Export movie…", "Ctrl+M", self.export_movie_dialog))
        file_.addAction(self._action("export_scene", "Export scene…", "Ctrl+E", self.export_scene_dialog))
        file_.addSeparator()
        file_.addAction(self._action("quit", "Quit", "Ctrl+Q", self.close))
        for key, name in zip("1234", VIEWS, strict=True):
            view.addAction(
                self._action(f"view_{name}", f"{name.title()} view", key, lambda _=False, n=name: self.set_view(n))
            )
        view.addAction(self._action("reset_view", "Reset view", "R", self.reset_view))
        view.addSeparator()
        labels = self._action("labels", "Labels", "L", lambda on: set_labels(self, on), True)  # not in a quiz question
        view.addAction(labels)
        view.addAction(self._action("colour_by_stretch", "Colour muscles by stretch", "C", self._set_stretch, True))
        plots = self.plot_dock.toggle_action("G")
        self.addAction(plots)
        self.actions_by_name[plots.objectName()] = plots
        view.addAction(plots)
        view.addAction(self._action("latin_names", "Latin names", "N", self._set_latin, checkable=True))
        self.panels_menu = view.addMenu("Panels")  # a panel closed by its x comes back here (a right-click did alone)
        legs = view.addMenu("Leg")
        leg_group = QActionGroup(self)
        for side in ("right", "left"):
            leg = self._action(
                f"{side}_leg", f"{side.title()} leg", "", lambda on, s=side: self.set_side(s) if on else None, True
            )
            leg.setChecked(side == self.model.side)
            leg_group.addAction(leg)
            legs.addAction(leg)
        view.addSeparator()
        view.addAction(self._action("quiz", "Quiz mode", "Ctrl+T", self._set_quiz, checkable=True))
        hide = self._action("hide_selected", "Hide selected", "H", lambda: hide_selected(self.state))
        isolate = self._action("isolate_selected", "Isolate selected", "I", lambda: isolate_selected(self.state))
        structure.addActions([hide, isolate])
        offer_with_a_selection([hide, isolate], self.state)  # greyed out with nothing selected
        structure.addAction(self._action("show_all", "Show all", "A", self.state.show_all))
        fade = self._action("fade_others", "Fade others", "F", lambda on: setattr(self.state, "fade_others", on), True)
        structure.addAction(fade)
        structure.addAction(self._action("clear_selection", "Clear selection", "Esc", lambda: self.state.select(None)))
        for layer, key in (("superficial", "Shift+1"), ("intermediate", "Shift+2"), ("deep", "Shift+3")):
            structure.addAction(
                self._action(
                    f"toggle_{layer}",
                    f"Show/hide the {layer} layer",
                    key,
                    lambda _=False, name=layer: self.state.set_visible(
                        name, not self.state.layer_visible.get(name, True)
                    ),
                )
            )
        animation.addAction(self._action("play_pause", "Play/pause", "Space", self.animator.toggle))
        animation.addAction(self._action("rewind", "Back to the start", "Home", lambda: self.animator.seek(0.0)))
        play_action = lambda on: setattr(self, "play_action_on_click", on)  # noqa: E731
        animation.addAction(self._action("play_action_on_click", "Play action on click", "P", play_action, True))
        help_.addAction(self._action("shortcuts", "Keyboard shortcuts", "F1", self.show_shortcuts))
        help_.addAction(self._action("about", "About calfviewer", "", self.show_about))

    def _build_study_tools(self) -> None:
        """Undo and redo (Edit menu, history panel), the Section menu and toolbar, and the bookmark panel."""
        animator = self.animator
        self.history = History(self.state, self.catalogue, self, pause=animator.pause, timeline=animator.playback)
        self.history.kept_fields = lambda: ("selection", "labels") if self.quiz.hides_names else ()
        animator.playing_changed.connect(self.history.hold_pose)
        for moved in (animator.time_changed, animator.motion_changed):
            moved.connect(self.history.timeline_moved)
        edit = QMenu("&Edit", self)
        self.menuBar().insertMenu(self.menuBar().actions()[1], edit)
        undo = self._action("undo", "Undo", "Ctrl+Z", self.history.undo)
        redo = self._action("redo", "Redo", "Ctrl+Shift+Z", self.history.redo)
        stack = self.history.stack
        for action, can, text, prefix in (
            (undo, stack.canUndoChanged, stack.undoTextChanged, "Undo"),
            (redo, stack.canRedoChanged, stack.redoTextChanged, "Redo"),
        ):
            action.setEnabled(False)
            can.connect(action.setEnabled)
            text.connect(lambda t, a=action, p=prefix: a.setText(f"{p} {t.replace('&', '&&')}" if t else p))
            edit.addAction(action)
        edit.addSeparator()
        edit.addAction(
            self._action("add_bookmark", "Bookmark this view…", "Ctrl+B", lambda: self.bookmarks.add_dialog())
        )
        self.section_controls = SectionControls(self.state, self.scene, self.history.step, self)
        self.menuBar().insertMenu(self.menuBar().actions()[3], self.section_controls.menu)
        for action in self.section_controls.actions.values():
            self.actions_by_name[action.objectName()] = action
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.section_controls.toolbar)
        self.history_panel = HistoryPanel(self.history, self)
        marks = (self._capture_bookmark, self.restore_bookmark, view_steps(self.plotter, lambda: self.scene))
        self.bookmarks: BookmarkPanel = BookmarkPanel(self.catalogue, *marks, self, model=self.model)
        self.bookmarks.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.thumbnail_progress = ThumbnailProgress(self.bookmarks.thumbnails, self)
        self.statusBar().addPermanentWidget(self.thumbnail_progress)
        # Tabs behind the information panel, which keeps the column's whole height: a student starts with the facts,
        # and an empty bookmark list or history in view would squeeze them into a few lines.
        information = self.info_dock
        right = Qt.DockWidgetArea.RightDockWidgetArea
        tabs = [self._dock("Bookmarks", self.bookmarks, right), self._dock("History", self.history_panel, right)]
        for dock in tabs:
            self.tabifyDockWidget(information, dock)
        information.raise_()
        docks = (self.structures_dock, information, *tabs)
        self.panels_menu.addActions([dock.toggleViewAction() for dock in docks if dock is not None])
        for name in ("labels", "fade_others"):  # an undo changes these too: the checkable actions follow
            getattr(self.state.events, name).connect(lambda on, *_, n=name: self._mirror_check(n, on))

    def _mirror_check(self, name: str, on: bool) -> None:
        action = self.actions_by_name[name]
        with QSignalBlocker(action):
            action.setChecked(on)

    def _capture_bookmark(self, name: str) -> bookmark_store.Bookmark:
        """The view as the user left it, with a thumbnail of the picture as restoring it shows it: a standard view
        held over a motion framed on the pose as a still (the thumbnail showed the motion's framing)."""
        state = self.quiz.changes.as_the_user_left(self._current_state_for_saving(), self.camera_before_quiz_turn)
        self.history.flush()  # taking in a moved camera is a step of its own, before the bookmark
        with self.scene.framed_as_still():
            thumbnail = bookmark_store.png_thumbnail(self.scene.screenshot())
        return bookmark_store.make_bookmark(name, state, thumbnail, self.model.side)

    def restore_bookmark(self, bookmark: bookmark_store.Bookmark) -> None:
        """Go to a bookmarked view as one undoable step."""
        loaded = bookmark.state(self.catalogue, self.model.side, self.model.ranges)
        self.bring_back(loaded, f"Restore bookmark {bookmark.name!r}")

    # --- state-driven updates -------------------------------------------------------------------------------
    def schedule_render(self, *_: object) -> None:
        """Coalesce every change of one event-loop turn into a single render."""
        if not self._render_pending:
            self._render_pending = True
            QTimer.singleShot(0, self._render_now)

    def _render_now(self) -> None:
        self._render_pending = False
        if self.plotter.render_window is not None:
            self.plotter.request_render()  # drawn at the next paint: one render, however many changes asked
            if not self.animator.playing:  # while playing, the next frame moves the muscles again anyway
                # The paint that answers a click or a toggle is drawn for motion (~30 ms, not ~100), then refined to
                # full quality once nothing has changed for REFINE_AFTER_MS (docs/performance.md).
                self.view_input.moving()
                QTimer.singleShot(PREPARE_AFTER_MS, self._prepare_for_interaction)

    def _prepare_for_interaction(self) -> None:
        ready = self.plotter.render_window is not None and not self._render_pending
        if ready and not self.scene.prepare_for_interaction():  # more to build: the next piece after a paint
            QTimer.singleShot(PREPARE_AFTER_MS, self._prepare_for_interaction)

    def _on_selection(self, selection: str | None, previous: str | None = None, *_: object) -> None:
        bar = self.statusBar()
        if selection is not None:
            bar.showMessage(display_name(self.catalogue.get(selection), self.names))
        elif previous is not None and bar.currentMessage() == display_name(self.catalogue.get(previous), self.names):
            bar.clearMessage()  # cleared: its name goes too (a message about anything else stays)

    # --- commands --------------------------------------------------------------------------------------------
    def select_and_act(self, structure_id: str | None) -> None:
        """What a click does: select, and for a muscle or tendon play its action once (if that is switched on).
        While a quiz question waits for a click, the click is its answer instead."""
        self.viewer.click(structure_id, act=self.play_action_on_click)

    def set_view(self, name: str) -> None:
        # Through the scene, not the state alone: after a mouse orbit the state still names the old view, and
        # naming it again would be no change.
        self.scene.view(name)
        self.view_input.camera_moved_by_hand = False
        self.schedule_render()

    def reset_view(self) -> None:
        self.scene.reset_camera()
        self.schedule_render()

    def _set_stretch(self, on: bool) -> None:
        self.scene.set_colour_by_stretch(on)
        self.schedule_render()

    def set_names(self, names: str) -> None:
        """English or Latin names in the tree, 3D labels, info panel, quiz, plot and history steps (remembered)."""
        selected = self.catalogue.get(self.state.selection) if self.state.selection else None
        for follower in (self.scene, self.tree, self.info, self.quiz, self.plot_dock, self.history):
            follower.set_names(names)
        if names != self.names and self.isVisible():  # names switched: read whole (a start keeps the user's width)
            widen_to_fit(self, self.structures_dock)
        if selected is not None and self.statusBar().currentMessage() == display_name(selected, self.names):
            self.statusBar().showMessage(display_name(selected, names))  # else it stayed, and outlived the selection
        self.names = names
        with QSignalBlocker(self.actions_by_name["latin_names"]):
            self.actions_by_name["latin_names"].setChecked(names == "latin")
        self.schedule_render()

    def _set_latin(self, on: bool) -> None:
        self.set_names("latin" if on else "english")

    def set_side(self, side: str) -> None:
        """Show the right or the left leg, keeping selection, pose and the camera (mirrored). The old leg's scene
        and meshes (~50 MB in reference cycles) are freed now, not at Python's next full collection: switching back
        and forth grew a session from 0.7 to 1.7 GB before one ran. Not for the leg shown (0.1 s at every start)."""
        switched = switch_leg(self, side)
        self.actions_by_name[f"{side}_leg"].setChecked(True)
        if switched:
            gc.collect()

    def _set_quiz(self, on: bool) -> None:
        """Quiz mode: the Quiz panel shown with a round started (from a new seed), or hidden with the round ended."""
        self.quiz_dock.setVisible(on)
        self.viewer.take_clicks(self.quiz.answer_click if on else None)  # a click answers only in quiz mode
        if on and self.quiz.round is None:
            self.quiz.start()
        elif not on:
            self.quiz.stop()
        self.quiz_room.follow(on)  # the question and its choices in sight together, the plot giving way first

    def _quiz_targets(self):
        return targets_of(self.scene.structure_ids, self.scene.geometry.footprints)

    def _show_quiz_attachment(self, attachment: tuple[str, str, int] | None) -> None:
        """Highlight a quiz question's patch and turn the camera to it; afterwards the camera goes back."""
        self.scene.highlight_attachment(attachment)
        if attachment is not None:
            if self.camera_before_quiz_turn is None:
                self.camera_before_quiz_turn = self._current_state_for_saving().camera
            self.turn_to_attachment(attachment[1], attachment[2], attachment[0])
        elif self.camera_before_quiz_turn is not None:
            self.state.camera, self.camera_before_quiz_turn = self.camera_before_quiz_turn, None
        self.schedule_render()

    def turn_to_attachment(self, role: str, index: int, structure_id: str | None = None) -> None:
        """Point the camera at the origin or insertion of ``structure_id`` (default: the selection), keeping the
        direction it looks from."""
        structure_id = structure_id or self.state.selection
        if structure_id is None:
            return
        try:
            camera = self.scene.camera_state()
        except CameraError:  # the camera the mouse left is out of range: turn from the standard view instead
            self.scene.view(self.state.camera.view or "posterior")
            camera = self.scene.camera_state()
        self.state.camera = self.viewer.camera_to_attachment(camera, structure_id, role, index)

    # --- the 3D view's mouse (view_input.py does the work) ------------------------------------------------------
    def pick_at(self, x: float, y: float) -> str | None:
        """The structure under a widget position (Qt logical pixels, y from the top)."""
        return self.view_input.pick_at(x, y)

    # --- settings ----------------------------------------------------------------------------------------------
    def _restore_settings(self) -> str | None:
        """Put the window, the last view and the animation settings back; returns a notice when the last view
        could not be used (the window then starts with the default view instead)."""
        notice = None
        restore_window(self, self.settings, self.structures_dock)
        view = self.settings.value("view/last")
        if isinstance(view, str) and view:
            try:
                source, side, ranges = "last view in settings", self.model.side, self.model.ranges
                self.state.apply(ViewState.from_json(view, self.catalogue, source=source, side=side, ranges=ranges))
                self.plotter.rendered.connect(self._frame_last_view)  # at the 3D view's size once it is shown
            except CalfviewerError as error:
                notice = f"Started with the default view: the last view could not be used ({error})"
        play = self.settings.value("animation/play_action_on_click", True)
        self.actions_by_name["play_action_on_click"].setChecked(play not in (False, "false"))
        self.actions_by_name["labels"].setChecked(self.state.labels)
        self.actions_by_name["fade_others"].setChecked(self.state.fade_others)
        stretch = self.settings.value("view/colour_by_stretch", False)
        self.actions_by_name["colour_by_stretch"].setChecked(stretch in (True, "true"))
        self.animation_bar.set_speed(_float_or_none(self.settings.value("animation/speed")))
        names = self.settings.value("view/names", DEFAULT_NAMES)
        self.set_names(names if names in NAME_STYLES else DEFAULT_NAMES)
        self.actions_by_name["quiz"].setChecked(not self.quiz_dock.isHidden())  # restoreState may have shown it
        return notice

    def save_settings(self) -> None:
        """Remember the window, the view and the animation settings. A pose caught mid-playback is not a pose
        anyone chose: the last view keeps the pose the leg had before the playing started."""
        save_window(self, self.settings)
        state = self._current_state_for_saving()
        resting = self.animator.resting_pose()
        if resting != state.pose:
            state = ViewState.from_dict(state.to_dict(), self.catalogue)
            state.pose = resting
        self.settings.setValue("view/last", state.to_json(self.model.side))
        self.settings.setValue("animation/play_action_on_click", self.play_action_on_click)
        self.settings.setValue("animation/speed", self.animator.speed)
        self.settings.setValue("view/names", self.names)
        self.settings.setValue("view/side", self.model.side)
        self.settings.setValue("view/colour_by_stretch", self.scene.colour_by_stretch)
        self.settings.sync()

    def closeEvent(self, event) -> None:
        if not self._keep_bookmarks():
            event.ignore()  # the user chose to stay and save them with Save all…
            return
        self.bookmarks.thumbnails.stop()  # the list is kept as it is: the next session draws what is left
        self.quiz.stop()  # puts back the layers a question faded, before the view is remembered
        self.quiz_room.put_back()  # the layout remembered is the user's: the quiz folds the plot away again
        self.save_settings()
        self.history.close()
        self.animator.pause()
        self.plot_dock.close_panel()
        self.scene.close()
        self.plotter.close()
        # psygnal keeps each state's signal group in a class-wide map until the state is collected, and holds the
        # lambdas connected to it strongly: those that capture the window kept it, its scene and meshes, for good.
        self.state.events.disconnect()
        super().closeEvent(event)

    def _keep_bookmarks(self) -> bool:
        """Keep the bookmark list for the next session; if it cannot be written (a read-only folder, a full disk),
        ask whether to close anyway, so bookmarks are never lost without the user knowing. False: stay open. Some
        not kept with it (two windows' lists together past what a file holds) are said, with the file they are in."""
        try:
            notice = self.bookmarks.keep(self.bookmarks_kept)
            if notice is not None:
                QMessageBox.information(self, "calfviewer", plain(notice))
        except CalfviewerError as error:
            if not self.bookmarks.unsaved:
                return True  # every bookmark is in a file of the user's: nothing is lost
            answer = QMessageBox.warning(
                self,
                "calfviewer",
                plain(
                    f"Your bookmarks could not be kept for the next session: {error}. Close anyway and lose them, "
                    "or cancel and keep them with Bookmarks → Save all…?"
                ),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            return answer == QMessageBox.StandardButton.Discard
        return True


def _float_or_none(value: object) -> float | None:
    """A number from the settings file (stored as text), or None when it is absent or not a number."""
    if not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None
