"""Entry points: ``calfviewer`` (the window), ``render``, ``export``, ``movie``, ``info``, ``measure``, ``quiz``
and ``build-meshes``.

Over 500 lines on purpose: argument parsing and dispatch only, one parser per command, read top to bottom; each
command's work lives in its own module.

Every mistake a user can make on the command line ends in exit code 2 and one line on stderr that says what is
valid; heavy modules are imported only by the command that needs them, so ``info`` answers instantly.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import calfviewer
from calfviewer import __version__
from calfviewer.anatomy.names import NAME_STYLES
from calfviewer.anatomy.side import SIDES
from calfviewer.callbacks import in_vtk_callback
from calfviewer.errors import CalfviewerError
from calfviewer.typed_numbers import parse_whole

if TYPE_CHECKING:
    from calfviewer.scene.view_flags import ViewFlags

EXIT_USAGE = 2
#: Decimals of an angle ``measure`` prints in its text (its header and a sweep's columns): as many as a typed
#: angle usually has, in fixed notation (musculoskeletal.pose.fixed_text).
ANGLE_DIGITS = 6
#: The shell's code for a command stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def one_line(text: str) -> str:
    """The message with control characters (a pasted newline in an id, say) escaped, so it stays one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class _Once(argparse._StoreAction):
    """An option with a value that may be given once: a second one (``--plantarflexion 10 --plantarflexion 20``, or
    ``--inversion 5 --subtalar 6``) is an error, not a silent replacement of the first, since either value may be the
    one meant. The options given are remembered on the namespace, so an option with a default is caught as well."""

    GIVEN = "_options_given"

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        given: set[str] = getattr(namespace, self.GIVEN, set())
        if self.option_strings and self.dest in given:
            parser.error(f"{'/'.join(self.option_strings)} is given twice; give it once")
        setattr(namespace, self.GIVEN, given | {self.dest})
        super().__call__(parser, namespace, values, option_string)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with where to find help) rather than a usage dump, and an option
    with a value is taken once (:class:`_Once` is every parser's default action)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, _Once)
        self.register("action", "store", _Once)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see `{self.prog} --help`)\n")


#: A value that starts with a minus and then a digit, a point, "inf" or "nan" is a (negative) value, not an option:
#: argparse on its own takes only ``-5`` and ``-.5`` so, and reads ``-5.``, ``-1e1`` or ``-5.,0`` as an unknown
#: option with a message that says no value was given. No option of ours starts so. (A private attribute of
#: argparse, stable since Python 3.2, set per parser.)
NEGATIVE_VALUE = re.compile(r"^-(\d|\.|inf|nan)", re.IGNORECASE)


def _takes_negative_values(parser: argparse.ArgumentParser) -> None:
    parser._negative_number_matcher = NEGATIVE_VALUE


def _fail(message: str) -> int:
    print(f"calfviewer: error: {one_line(message)}", file=sys.stderr)
    return EXIT_USAGE


def _print_json(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# --- info ---------------------------------------------------------------------------------------------------
def _cmd_info(args: argparse.Namespace) -> int:
    from calfviewer.anatomy import describe, load_catalogue, structure_to_dict
    from calfviewer.anatomy.names import display_name

    catalogue = load_catalogue()
    if args.id is None:
        groups = catalogue.by_layer()
        if args.json:
            _print_json(
                {
                    "layers": [
                        {
                            "layer": layer,
                            "structures": [{"id": s.id, "name": display_name(s, args.names)} for s in structures],
                        }
                        for layer, structures in groups.items()
                    ]
                }
            )
        else:
            for layer, structures in groups.items():
                print(f"{layer}:")
                for s in structures:
                    print(f"  {s.id:<28} {display_name(s, args.names)}")
        return 0
    structure = catalogue.get(args.id)
    if args.json:
        _print_json(structure_to_dict(structure, catalogue))
    else:
        print(describe(structure, catalogue, names=args.names))
    return 0


# --- measure ------------------------------------------------------------------------------------------------
def _cmd_measure(args: argparse.Namespace) -> int:
    from calfviewer.musculoskeletal import ANGLES, JOINTS, MusculoskeletalModel, Pose
    from calfviewer.musculoskeletal.pose import fixed_text, shown

    model = MusculoskeletalModel(args.side)
    if args.sweep is not None or args.csv:
        return _measure_sweep(args, model)
    angles = {angle: getattr(args, angle) for angle in ANGLES if getattr(args, angle) is not None}
    result = model.pose(Pose(**angles))
    rows: list[dict[str, Any]] = [  # JSON rows: text, numbers and the list of joints crossed
        {
            "id": muscle_id,
            "name": model.catalogue.get(muscle_id).name,
            "length": shown(path.length, 6),
            **{f"moment_arm_{joint}": shown(getattr(path, f"moment_arm_{joint}"), 6) for joint in JOINTS},
            "crosses": list(path.crosses),
        }
        for muscle_id, path in result.muscles.items()
    ]
    if args.json:
        _print_json(
            {
                "side": args.side,
                "pose": {angle: getattr(result.pose, angle) + 0.0 for angle in ANGLES},
                "units": "m",
                "muscles": rows,
            }
        )
        return 0
    pose = result.pose
    angle = {name: fixed_text(getattr(pose, name), ANGLE_DIGITS) for name in ANGLES}  # -0.00001, not -1e-05
    print(
        f"{args.side} leg, plantarflexion {angle['plantarflexion']}°, knee flexion {angle['knee_flexion']}°, "
        f"subtalar inversion {angle['subtalar']}°, toe flexion {angle['toes']}° (metres; a moment arm is "
        "positive where the muscle plantarflexes the ankle, flexes the knee, inverts the foot or flexes the toes; "
        "- where the muscle does not cross the joint; one toe joint moves all five toes)"
    )
    print(f"{'muscle':<28} {'length':>8}" + "".join(f" {joint + ' arm':>12}" for joint in JOINTS))
    for row in rows:
        arms = "".join(
            f" {shown(row[f'moment_arm_{joint}'], 4):>12.4f}" if joint in row["crosses"] else f" {'-':>12}"
            for joint in JOINTS
        )
        print(f"{row['id']:<28} {row['length']:>8.4f}{arms}")
    return 0


def _measure_sweep(args: argparse.Namespace, model: Any) -> int:
    """``measure --sweep JOINT=START:STOP:STEP`` and ``measure --csv``: the same fields as ``measure --json``, one
    row per pose and muscle (CSV), one ``measure --json`` body per pose (JSON), or a table."""
    from calfviewer.musculoskeletal import ANGLES, Pose
    from calfviewer.musculoskeletal.pose import fixed_text, shown
    from calfviewer.musculoskeletal.sweep import JOINTS, csv_rows, parse_sweep, sweep_joint, sweep_poses, write_csv

    if args.csv and args.json:
        raise CalfviewerError("--csv and --json are two formats of the same numbers: give one of them")
    held = Pose(**{angle: getattr(args, angle) for angle in ANGLES if getattr(args, angle) is not None})
    if args.sweep is None:
        sweep = sweep_poses([held], model)
    else:
        spec = parse_sweep(args.sweep, model)
        given = {"ankle": args.plantarflexion, "knee": args.knee_flexion}[spec.joint]
        if given is not None:
            option = "--" + JOINTS[spec.joint].replace("_", "-")
            raise CalfviewerError(f"--sweep {spec.joint} sets the {spec.joint} angle; leave out {option}")
        model.check_pose(held)  # the held joint's range is named before the sweep's
        if spec.short_of_stop is not None:  # the numbers are still those asked for: said, not refused
            print(f"calfviewer: {spec.short_of_stop}", file=sys.stderr)
        sweep = sweep_joint(spec.joint, spec.angles, held, model)
    names = {muscle_id: model.catalogue.get(muscle_id).name for muscle_id in sweep.muscle_ids}
    rows = csv_rows(sweep, names)
    if args.csv:
        write_csv(rows, sys.stdout)
        return 0
    pose_keys = ("plantarflexion", "knee_flexion", "subtalar", "toes")
    muscle_keys = ("id", "name", "length", *(f"moment_arm_{joint}" for joint in ("ankle", "knee", "subtalar", "toes")))
    if args.json:
        per_muscle = len(sweep.muscle_ids)
        _print_json(
            {
                "side": args.side,
                "units": "m",
                # + 0.0: a typed -0 is printed 0.0, not -0.0 (as the poses are)
                "sweep": {"joint": spec.joint, "start": spec.start + 0.0, "stop": spec.stop + 0.0, "step": spec.step},
                "poses": [
                    {
                        "pose": {key: rows[start][key] for key in pose_keys},
                        "muscles": [
                            {key: row[key] for key in muscle_keys} | {"crosses": list(model.crosses(str(row["id"])))}
                            for row in rows[start : start + per_muscle]
                        ],
                    }
                    for start in range(0, len(rows), per_muscle)
                ],
            }
        )
        return 0
    print(
        f"{args.side} leg, subtalar inversion {fixed_text(float(rows[0]['subtalar']), ANGLE_DIGITS)}°, toe flexion "
        f"{fixed_text(float(rows[0]['toes']), ANGLE_DIGITS)}° (metres; a "
        "moment arm is positive where the muscle plantarflexes the ankle, flexes the knee, inverts the foot or flexes "
        "the toes; - where the muscle does not cross the joint)"
    )
    joints = ("ankle", "knee", "subtalar", "toes")
    # The angle columns as wide as their widest value: a sweep's steps may print more digits than a header holds
    # (ankle=-0.00001:0.00001:0.000005 prints -0.00001, which pushed every later column of its rows right).
    angles = [[fixed_text(float(row[key]), ANGLE_DIGITS) for key in ("plantarflexion", "knee_flexion")] for row in rows]
    pf, kn = (max(6, *(len(pair[i]) for pair in angles)) for i in (0, 1))
    print(
        f"{'PF °':>{pf}} {'knee °':>{kn}}  {'muscle':<28} {'length':>8}" + "".join(f" {j + ' arm':>12}" for j in joints)
    )
    crosses = {muscle_id: model.crosses(muscle_id) for muscle_id in sweep.muscle_ids}
    for row, (plantarflexion, knee) in zip(rows, angles, strict=True):
        arms = "".join(
            f" {shown(float(row[f'moment_arm_{joint}']), 4):>12.4f}"
            if joint in crosses[str(row["id"])]
            else f" {'-':>12}"
            for joint in joints
        )
        print(f"{plantarflexion:>{pf}} {knee:>{kn}}  {row['id']:<28} {row['length']:>8.4f}{arms}")
    return 0


# --- render -------------------------------------------------------------------------------------------------
def _look(args: argparse.Namespace) -> ViewFlags:
    """The flags ``render`` and ``movie`` share (``--select`` ... ``--section``), as typed."""
    from calfviewer.scene.view_flags import ViewFlags

    return ViewFlags(
        select=args.select,
        hide=tuple(args.hide or ()),
        view=args.view,
        labels=args.labels,
        names=args.names,
        colour_by=args.colour_by,
        section=args.section,
    )


def _cmd_render(args: argparse.Namespace) -> int:
    from calfviewer.scene.render import RenderRequest, render

    out = render(
        RenderRequest(
            out=args.out,
            size=args.size,
            plantarflexion=args.plantarflexion,
            knee_flexion=args.knee_flexion,
            subtalar=args.subtalar,
            toes=args.toes,
            state=args.state,
            side=args.side,
            scale=args.scale,
            transparent=args.transparent,
            look=_look(args),
        )
    )
    print(out)
    return 0


# --- quiz ---------------------------------------------------------------------------------------------------
def _cmd_quiz(args: argparse.Namespace) -> int:
    """A round for a teacher: the same seed gives the window's round with that seed (same meshes, same questions)."""
    import random

    from calfviewer.anatomy import load_catalogue
    from calfviewer.anatomy.names import display_name
    from calfviewer.anatomy.quiz import SEED_MAX, make_round
    from calfviewer.geometry.quiz_targets import stored_targets

    seed = args.seed if args.seed is not None else random.SystemRandom().randint(0, SEED_MAX)
    catalogue = load_catalogue()
    quiz = make_round(catalogue, stored_targets(), seed, args.names)
    if args.json:
        _print_json(quiz.to_dict())
        return 0
    # The command that prints this page again: in Latin it needs --names latin (the same round, but it printed the
    # English page).
    again = f"calfviewer quiz --seed {quiz.seed}" + (" --names latin" if args.names == "latin" else "")
    print(f"calfviewer quiz, seed {quiz.seed} ({len(quiz.questions)} questions; `{again}`")
    print("gives this round again, and so does the seed in the window's Quiz panel)")
    for number, question in enumerate(quiz.questions, start=1):
        print(f"\n{number:>2}. {question.text}")
        for letter, choice in zip("abcdefgh", question.choices, strict=False):
            print(f"    {letter}) {choice}")
        if question.by_click:
            print("    (answer with a click on the 3D view)")
    print("\nAnswers:")
    for number, question in enumerate(quiz.questions, start=1):
        if question.by_click:  # the structure to click, by the name the round uses, and its id
            name = display_name(catalogue.get(question.answer), args.names)
            print(f"{number:>2}. {name}, id {question.answer}")
        else:  # the letter printed beside the right choice, then its text
            print(f"{number:>2}. {'abcdefgh'[question.choices.index(question.answer)]}) {question.answer}")
    return 0


# --- export -------------------------------------------------------------------------------------------------
def _cmd_export(args: argparse.Namespace) -> int:
    from calfviewer.scene.export import ExportRequest, export, mtl_note

    out = export(
        ExportRequest(
            out=args.out,
            plantarflexion=args.plantarflexion,
            knee_flexion=args.knee_flexion,
            subtalar=args.subtalar,
            toes=args.toes,
            state=args.state,
            side=args.side,
            hide=tuple(args.hide or ()),
        )
    )
    note = mtl_note(out)  # "my leg.obj" comes with my_leg.mtl: said on the one line, so the pair is kept together
    print(out if note is None else f"{out}; {note}")
    return 0


# --- movie --------------------------------------------------------------------------------------------------
def _cmd_movie(args: argparse.Namespace) -> int:
    from calfviewer.scene.movie import MovieRequest, movie

    out = movie(
        MovieRequest(
            out=args.out,
            action=args.action,
            start=getattr(args, "from"),
            end=args.to,
            seconds=args.seconds,
            fps=args.fps,
            size=args.size,
            state=args.state,
            side=args.side,
            quiet=args.quiet,
            look=_look(args),
        )
    )
    print(out)
    return 0


# --- build-meshes -------------------------------------------------------------------------------------------
def _cmd_build_meshes(args: argparse.Namespace) -> int:
    """Build into a staged folder beside the target and swap it in at the end (``files.staged_folder``), so
    a failure halfway (a full disk) leaves the old meshes as they were; a target that cannot work is refused
    before the half minute of building starts."""
    from calfviewer.files import staged_folder
    from calfviewer.geometry import mesh_store
    from calfviewer.geometry.build_extra import missing_build_message, missing_build_modules
    from calfviewer.scene.outputs import check_folder_output

    target = check_folder_output(args.out if args.out is not None else mesh_store.meshes_dir())
    missing = missing_build_modules()
    if missing:
        raise CalfviewerError(missing_build_message(missing))
    from calfviewer.geometry.build import build_all

    def say(line: str) -> None:  # a line per stage and per structure: the build takes minutes
        print(f"calfviewer: {line}", file=sys.stderr, flush=True)

    try:
        with staged_folder(target) as staged:
            build_all(staged, say=None if args.quiet else say)
    except OSError as error:
        raise CalfviewerError(
            f"cannot write meshes to {str(target)!r}: {error.strerror or error}; the old meshes are untouched"
        ) from None
    print(target)  # where the meshes are, as render, export and movie print what they wrote
    return 0


# --- gui ----------------------------------------------------------------------------------------------------
def _cmd_gui(args: argparse.Namespace) -> int:
    from calfviewer.app.launch import run_app

    return run_app(side=args.side)


def _shared_options() -> dict[str, _Parser]:
    """Each option several commands take, defined once, as argparse parent parsers.

    ``--side`` has no default of its own (``SUPPRESS``): the top-level ``--side`` stands unless the subcommand is
    given one (unset, :func:`main` takes the right leg for a command and the window the leg last shown), so
    ``calfviewer --side left measure`` and ``calfviewer measure --side left`` agree.
    Angles stay text (no ``type=float``) until the model checks them, so the message states the model's range.
    """
    side = _Parser(add_help=False)
    side.add_argument("--side", choices=SIDES, default=argparse.SUPPRESS, help="which leg (default right)")
    # info and quiz take --side too, so one command line serves every command, but their text is the same for
    # either leg (info's landmarks are in the right leg's body frames): their help says so, not "which leg".
    any_side = _Parser(add_help=False)
    any_side.add_argument(
        "--side",
        choices=SIDES,
        default=argparse.SUPPRESS,
        help="taken as by the other commands; the output is the same for either leg (landmarks in the right leg's "
        "body frames)",
    )
    # The window opens on the leg the last session showed: "default right" in its help was not so.
    window_side = _Parser(add_help=False)
    window_side.add_argument(
        "--side", choices=SIDES, default=argparse.SUPPRESS, help="which leg (default: the leg last shown, else right)"
    )
    pose = _Parser(add_help=False)
    pose.add_argument("--plantarflexion", default=None, metavar="DEG", help="degrees, dorsiflexion negative")
    pose.add_argument("--knee-flexion", default=None, metavar="DEG", help="degrees, 0 = straight knee")
    pose.add_argument(
        "--inversion",
        "--subtalar",
        dest="subtalar",
        default=None,
        metavar="DEG",
        help="subtalar degrees, eversion negative",
    )
    pose.add_argument(
        "--toe-flexion",
        "--toes",
        dest="toes",
        default=None,
        metavar="DEG",
        help="degrees at the one toe joint (all five toes), extension negative",
    )
    hide = _Parser(add_help=False)
    hide.add_argument(
        "--hide",
        nargs="+",
        action="extend",
        default=None,
        metavar="LAYER_OR_ID",
        help="hide layers (superficial, ...) or ids",
    )
    as_json = _Parser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON (shape in the README)")
    names = _Parser(add_help=False)
    names.add_argument(
        "--names", choices=NAME_STYLES, default="english", help="English or Latin (Terminologia Anatomica) names"
    )
    return {
        "side": side,
        "any_side": any_side,
        "window_side": window_side,
        "pose": pose,
        "hide": hide,
        "json": as_json,
        "names": names,
    }


def _look_options(labels_where: str) -> _Parser:
    """How the scene looks: ``render``'s and ``movie``'s flags (scene/view_flags.py), one parser each, since
    ``--labels`` is laid out differently in a still and in a movie (``labels_where`` says where the names go
    besides the columns)."""
    look = _Parser(add_help=False)
    look.add_argument("--select", default=None, metavar="ID", help="highlight a structure and its attachments")
    look.add_argument(
        "--view", choices=("posterior", "anterior", "medial", "lateral"), default=None, help="standard view"
    )
    look.add_argument(
        "--labels",
        action="store_true",
        help=f"draw name labels with leader lines, in columns beside the leg{labels_where} (left out, with a note on "
        "stderr, where the picture is too narrow or too low for them)",
    )
    look.add_argument(
        "--colour-by",
        "--color-by",
        choices=("tissue", "stretch"),
        default="tissue",
        help="muscle colours: tissue (default) or stretch (length over length at neutral, with a colour bar)",
    )
    look.add_argument(
        "--section",
        default=None,
        metavar="PLANE@F",
        help="cut the leg open: axial@F (F of the way from knee to ankle), sagittal@F (medial to lateral) or "
        "coronal@F (anterior to posterior), F from 0 to 1; seen face on unless --view is given",
    )
    return look


def _state_option(over: str) -> _Parser:
    """``--state``, its help saying what this command's own flags put over the file (``over``)."""
    state = _Parser(add_help=False)
    state.add_argument(
        "--state",
        default=None,
        metavar="FILE.json",
        help=f"a view file (File > Save view) to start from; what the command line gives goes over it: {over}",
    )
    return state


def _seed(text: str) -> int:
    """A quiz seed: a whole number 0..SEED_MAX as int() reads it in ASCII digits (whitespace round it, a sign,
    leading zeros; typed_numbers.py). One of more digits than SEED_MAX has is refused before ``int()``, which raises
    on thousands of digits."""
    from calfviewer.anatomy.quiz import SEED_MAX

    seed = parse_whole(text, len(str(SEED_MAX)))
    if seed is None or not 0 <= seed <= SEED_MAX:
        shown = repr(text) if len(repr(text)) <= 30 else f"{repr(text)[:12]}…"
        raise argparse.ArgumentTypeError(f"{shown} is not a whole number from 0 to {SEED_MAX}")
    return seed


def build_parser() -> argparse.ArgumentParser:
    shared = _shared_options()
    side, pose, as_json, names = shared["side"], shared["pose"], shared["json"], shared["names"]
    any_side, window_side = shared["any_side"], shared["window_side"]
    hide = shared["hide"]
    angles_over = "an angle replaces the file's (angles not given keep the file's)"
    looks_over = (
        "--select, --view and --section replace its selection, camera and section, --hide hides more, --labels "
        "turns labels on"
    )
    parser = _Parser(prog="calfviewer", description="The human calf in 3D, on the MyoLeg musculoskeletal model.")
    parser.add_argument(
        "--side", choices=SIDES, default=None, help="which leg (default right; the window opens on the leg last shown)"
    )
    parser.add_argument("--version", action="version", version=f"calfviewer {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    gui = sub.add_parser("gui", parents=[window_side], help="open the viewer window (the default)")
    gui.set_defaults(func=_cmd_gui)

    info = sub.add_parser(
        "info", parents=[as_json, names, any_side], help="list the structures by layer, or one structure's facts"
    )
    info.add_argument("id", nargs="?", help="a structure id, e.g. soleus")
    info.set_defaults(func=_cmd_info)

    measure = sub.add_parser(
        "measure",
        parents=[pose, side, as_json],
        help="muscle-tendon lengths and moment arms in one pose",
        description="Every muscle's muscle-tendon length and its moment arm at each joint it crosses, in metres. A "
        "moment arm is minus the derivative of the length with respect to the joint angle: + plantarflexes the "
        "ankle, + flexes the knee, + inverts the foot (subtalar), + flexes the toes (MyoLeg's one toe joint, all "
        "five toes). A joint the muscle does not cross shows '-' in the table and 0 in --json, whose 'crosses' "
        "lists the joints it does.",
    )
    measure.add_argument(
        "--sweep",
        default=None,
        metavar="JOINT=START:STOP:STEP",
        help="ankle or knee over a range, e.g. ankle=-30:40:5; the stop is included when whole steps reach it "
        "(stderr says where a sweep ends short of it)",
    )
    measure.add_argument("--csv", action="store_true", help="print CSV: one row per pose and muscle")
    measure.set_defaults(func=_cmd_measure)

    render = sub.add_parser(
        "render",
        parents=[
            pose,
            side,
            _state_option(f"{angles_over}, {looks_over}"),
            names,
            _look_options(" or, where it lies across the picture, in the free space round it"),
            hide,
        ],
        help="draw the scene off screen into a PNG, JPEG or TIFF (no display needed)",
    )
    render.add_argument("--out", required=True, help="picture to write: .png, .jpg, .jpeg, .tif or .tiff")
    render.add_argument(
        "--size", default="900x1200", metavar="WxH", help="pixels, 64 to 8192 a side, at most 22 million in all"
    )
    render.add_argument(
        "--scale", type=int, choices=(1, 2, 3, 4), default=1, help="picture at 2x, 3x or 4x --size, drawn in tiles"
    )
    render.add_argument(
        "--transparent", action="store_true", help="transparent background (PNG or TIFF; JPEG has no alpha)"
    )
    render.set_defaults(func=_cmd_render)

    export = sub.add_parser(
        "export",
        parents=[pose, side, _state_option(f"{angles_over}, --hide hides more"), hide],
        help="write the scene at a pose as a 3D file: .glb, .gltf or .obj",
    )
    export.add_argument("--out", required=True, metavar="FILE", help="file to write: .glb, .gltf or .obj (+ .mtl)")
    export.set_defaults(func=_cmd_export)

    movie = sub.add_parser(
        "movie",
        parents=[
            side,
            _state_option(f"--action or --from/--to replaces the file's pose, {looks_over}"),
            names,
            # Laid out once for the whole movie (scene/movie.py, frames_of), so they do not jump from frame to frame.
            _look_options(" clear of where it goes in any frame, kept there in every frame"),
            hide,
        ],
        help="draw a muscle's action or a pose sweep off screen into an MP4 (H.264) or an animated GIF",
    )
    movie.add_argument("--out", required=True, metavar="FILE", help="movie to write: .mp4 or .gif")
    movie.add_argument("--action", default=None, metavar="ID", help="a muscle's action, as a click plays it")
    movie.add_argument(
        "--from",
        default=None,
        metavar="PF,KNEE[,INV[,TOES]]",
        help="sweep start: plantarflexion,knee flexion[,inversion[,toe flexion]] degrees",
    )
    movie.add_argument("--to", default=None, metavar="PF,KNEE[,INV[,TOES]]", help="sweep end, the same way")
    movie.add_argument(
        "--seconds",
        default=None,
        metavar="S",
        help="length in seconds (default: the action's own, 1.8 s for each joint movement it plays, out and back, "
        "or 2 for a sweep; the default is rounded to a whole number of frames at --fps, half a frame up: 1.8 s at "
        "7 fps is 13 frames, 1.857 s)",
    )
    movie.add_argument(
        "--fps", default="25", metavar="F", help="frames per second, 1 to 60, a GIF at most 50 (default 25)"
    )
    movie.add_argument(
        "--size", default="640x800", metavar="WxH", help="pixels (default 640x800); MP4 rounds to multiples of 16"
    )
    movie.add_argument("--quiet", action="store_true", help="no progress bar")
    movie.set_defaults(func=_cmd_movie)

    quiz = sub.add_parser(
        "quiz",
        parents=[as_json, names, any_side],
        help="a seeded round of ten quiz questions, with the answers, for a teacher",
    )
    quiz.add_argument(
        "--seed", type=_seed, default=None, metavar="N", help="the round's seed, 0 to 2147483647 (default: random)"
    )
    quiz.set_defaults(func=_cmd_quiz)

    build = sub.add_parser("build-meshes", help="regenerate meshes/ from the installed myo-sim")
    build.add_argument(
        "--out", default=None, help="folder to write (default: the package's meshes/, or $CALFVIEWER_MESHES)"
    )
    build.add_argument("--quiet", action="store_true", help="no progress lines (each stage and structure, on stderr)")
    build.set_defaults(func=_cmd_build_meshes)

    for command in (measure, render, export, movie):  # angles and poses, dorsiflexion and the like negative
        _takes_negative_values(command)
    parser.set_defaults(usage=parser)
    for command in (gui, info, measure, render, export, movie, quiz, build):
        command.set_defaults(usage=command)  # a word it does not know points to its own --help (see main)
    return parser


class _StdoutFailed(Exception):
    """Writing standard output failed (a full disk, ``> /dev/full``, a reader that went away)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _GuardedStdout:
    """Standard output whose failures are told apart from every other OSError: only these become "cannot write to
    standard output" (files a command writes report their own errors, naming the file)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise _StdoutFailed(error) from None
        except UnicodeEncodeError as error:  # PYTHONIOENCODING=ascii, or a locale whose encoding has no "°"
            raise CalfviewerError(
                f"cannot write to standard output: its encoding, {self._stream.encoding}, has no "
                f"{error.object[error.start : error.end]!r}; use a UTF-8 locale (LANG=C.UTF-8) or set "
                "PYTHONIOENCODING=utf-8"
            ) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise _StdoutFailed(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _QuietStderr:
    """Standard error whose failures are dropped: a note, a progress bar or the one-line error that cannot be
    written (``2>/dev/full``) must not fail the command or change its exit code. After the first failure the stream
    is pointed at /dev/null, so the flush at exit does not fail again.

    Why: a movie with standard error on a full disk ended in exit 1 before its first frame (the progress bar's
    write raised), and ``calfviewer info solues 2>/dev/full`` exited 1 instead of 2."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError:
            _silence(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            _silence(self._stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence(stream: TextIO) -> None:
    """Point a standard stream at /dev/null, so Python's flush at exit cannot fail a second time and print a
    traceback ("Exception ignored ... BrokenPipeError") after the one-line message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's capture): nothing will flush it at exit
        pass


class _Interrupts:
    """Ctrl-C, noticed as well as raised, and held back while a module is being imported or VTK is calling Python.

    Why held back: a KeyboardInterrupt raised inside the import of a compiled module leaves it half made: VTK's next
    module then crashes the process (a segmentation fault, nothing said), mujoco's says "ImportError: initialization
    failed". One raised in a VTK observer (the scene's layout before each render) ends the process with exit 1 and
    no unwinding, leaving a movie's temporary file behind (callbacks.py). So a Ctrl-C that comes during either is
    noted and the signal sent again a moment later, until it lands outside both. Why noticed: an error that still
    comes of it is reported as the interrupt it is.
    """

    #: How soon a Ctrl-C held back during an import is tried again.
    RETRY_SECONDS = 0.05

    def __init__(self) -> None:
        self.seen = False
        #: Set once the command is ending (its one line printed or being printed): a further Ctrl-C is only noted.
        self.stopping = False
        self._retry: threading.Timer | None = None
        #: Whether a retry is on its way. Not ``self._retry.is_alive()``: the timer's thread may still be ending when
        #: the signal it sent is handled, so a Ctrl-C held back a second time (an import still running) was dropped
        #: and the command ran to its end, exit 0 (seen on a loaded machine).
        self._retry_pending = False
        self._previous: Any = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.seen = True
        if self.stopping:
            return
        if _importing(frame) or in_vtk_callback(frame):
            if not self._retry_pending:
                self._retry_pending = True
                self._retry = threading.Timer(self.RETRY_SECONDS, self._send_again)
                self._retry.daemon = True
                self._retry.start()
            return
        raise KeyboardInterrupt

    def _send_again(self) -> None:
        self._retry_pending = False  # before the signal: its handler may hold it back again and schedule another
        if not self.stopping:  # the command has ended meanwhile: the signal would go to the handler put back
            os.kill(os.getpid(), signal.SIGINT)

    def install(self) -> None:
        """Catch SIGINT from here on: only from the main thread, and only over Python's own handler or the one that
        noted a Ctrl-C while the command line was starting (calfviewer/__init__.py), whose Ctrl-C is taken over as
        seen. :meth:`restore` puts back what was there."""
        if threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGINT)
        if previous not in (signal.default_int_handler, calfviewer.note_interrupt_while_starting):
            return
        self._previous = previous
        signal.signal(signal.SIGINT, self)
        if calfviewer.interrupted_while_starting:
            self.seen = True
            calfviewer.interrupted_while_starting = False
            raise KeyboardInterrupt

    def restore(self) -> None:
        """Put back the handler :meth:`install` replaced and drop a retry not yet sent."""
        self.stopping = True  # from here on a Ctrl-C is only noted: the command is ending
        if self._retry is not None:
            self._retry.cancel()
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _importing(frame: FrameType | None) -> bool:
    """Whether ``frame`` or a caller of it is in Python's import machinery."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _side_before_and_after(argv: list[str], args: argparse.Namespace) -> bool:
    """Whether ``--side`` was given both before the command and after it (``--side left measure --side right``):
    each parser takes one and neither sees the other, so the one after would win silently. Read from the words
    themselves; a word that argparse took as an abbreviation of ``--side`` (``--sid``) counts, as it did there."""
    if args.command is None or args.command not in argv:
        return False
    at = argv.index(args.command)

    def is_side(word: str) -> bool:
        name = word.split("=", 1)[0]
        return len(name) > 2 and "--side".startswith(name)

    return any(map(is_side, argv[:at])) and any(map(is_side, argv[at + 1 :]))


def _option_before_command(argv: list[str], parser: argparse.ArgumentParser) -> str | None:
    """The error for a command's option given before the command (``calfviewer --names latin quiz``), or None.

    Why: argparse passes over an option the top level does not know and reads its value as the command, so it said
    "invalid choice: 'latin'" (or, for ``--json info``, that ``info`` does not know the ``--json`` it lists). The
    line names the option and shows the command line with it moved after the command."""
    commands: dict[str, argparse.ArgumentParser] = next(
        action.choices for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    top = [option for option in parser._option_string_actions if option.startswith("--")]
    for at, word in enumerate(argv):
        if word in commands or word == "--":
            return None
        if not word.startswith("--"):
            continue
        name = word.split("=", 1)[0]
        if any(option.startswith(name) for option in top):  # argparse takes an abbreviation too
            continue
        owners = [command for command, sub in commands.items() if name in sub._option_string_actions]
        if not owners:
            return None  # no command knows it either: argparse's own "unrecognized arguments"
        later = next((other for other in argv[at + 1 :] if other in commands), None)
        if later not in owners:
            takers = f"{', '.join(owners[:-1])} and {owners[-1]} take" if len(owners) > 1 else f"{owners[0]} takes"
            return f"{name} belongs after the command, and only {takers} it"
        takes_value = commands[later]._option_string_actions[name].nargs != 0 and "=" not in word
        moved = argv[at : at + 1 + int(takes_value)]
        rest = [other for index, other in enumerate(argv) if not at <= index < at + len(moved)]
        where = rest.index(later) + 1
        shown = " ".join(["calfviewer", *rest[:where], *moved, *rest[where:]])
        return f"{name} belongs after the command: {shown}"
    return None


def _interrupted() -> int:
    print("calfviewer: interrupted; nothing was written", file=sys.stderr)
    return EXIT_INTERRUPTED


def main(argv: Sequence[str] | None = None) -> int:
    interrupts = _Interrupts()
    real_stdout, real_stderr = sys.stdout, sys.stderr
    stack = contextlib.ExitStack()
    try:
        interrupts.install()  # in the try: a Ctrl-C noted while starting, or one the moment after, is the one line
        # Started with standard output or error closed (`>&-`, `2>&-`): each is pointed at /dev/null, output first,
        # so that each takes its own file descriptor back (1, then 2) and no file the command opens later does (a
        # VTK or ffmpeg warning written to descriptor 2 would go into it). print() to a stream that is None writes
        # to standard output: the notes and the one-line error went into the output (a CSV, the path printed), and
        # a movie's progress bar raised a traceback.
        if real_stdout is None:
            sys.stdout = stack.enter_context(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        sys.stderr = (
            _QuietStderr(real_stderr)
            if real_stderr is not None
            else stack.enter_context(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        )
        parser = build_parser()
        misplaced = _option_before_command(list(sys.argv[1:] if argv is None else argv), parser)
        if misplaced is not None:
            parser.error(misplaced)
        # Not parse_args: it reports a word a subcommand does not know through the top-level parser, whose --help
        # does not list the subcommand's options.
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            args.usage.error(f"unrecognized arguments: {' '.join(unknown)}")
        if _side_before_and_after(list(sys.argv[1:] if argv is None else argv), args):
            args.usage.error("--side is given twice (before and after the command); give it once")
        if args.command is None:
            args.func = _cmd_gui
        if args.side is None and args.func is not _cmd_gui:
            args.side = "right"  # the window alone remembers the leg last shown
        if real_stdout is not None:
            sys.stdout = _GuardedStdout(real_stdout)
        # else: closed (`>&-`), pointed at /dev/null above: nothing reads it, as for a reader that went away.
        # print() alone writes nothing to None, but --json and --csv write to the stream and raised a traceback.
        code = int(args.func(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk shows here (small outputs are only written at the flush), not at exit
        return code
    except KeyboardInterrupt:  # Ctrl-C: every writer leaves the old file whole and no temporary one
        interrupts.stopping = True
        return _interrupted()
    except CalfviewerError as error:
        interrupts.stopping = True
        return _interrupted() if interrupts.seen else _fail(str(error))
    except _StdoutFailed as failed:
        _silence(real_stdout)
        if isinstance(failed.error, BrokenPipeError):
            return 0  # the reader went away (`| head`): not an error
        return _fail(f"cannot write to standard output: {failed.error.strerror or failed.error}")
    except Exception:
        if interrupts.seen:  # the interrupt, turned into another error on its way out of an import
            interrupts.stopping = True
            return _interrupted()
        raise
    finally:
        interrupts.restore()
        sys.stdout, sys.stderr = real_stdout, real_stderr
        stack.close()
