"""Entry points: ``calfviewer`` (the window), ``render``, ``export``, ``info``, ``measure`` and ``build-meshes``.

Every mistake a user can make on the command line ends in exit code 2 and one line on stderr that says what is
valid; heavy modules are imported only by the command that needs them, so ``info`` answers instantly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from calfviewer.errors import CalfviewerError

EXIT_USAGE = 2


def one_line(text: str) -> str:
    """The message with control characters (a pasted newline in an id, say) escaped, so it stays one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with where to find help) rather than a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see `{self.prog} --help`)\n")


def _fail(message: str) -> int:
    print(f"calfviewer: error: {one_line(message)}", file=sys.stderr)
    return EXIT_USAGE


def _print_json(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# --- info ---------------------------------------------------------------------------------------------------
def _cmd_info(args: argparse.Namespace) -> int:
    from calfviewer.anatomy import describe, load_catalogue, structure_to_dict

    catalogue = load_catalogue()
    if args.id is None:
        groups = catalogue.by_layer()
        if args.json:
            _print_json(
                {
                    "layers": [
                        {"layer": layer, "structures": [{"id": s.id, "name": s.name} for s in structures]}
                        for layer, structures in groups.items()
                    ]
                }
            )
        else:
            for layer, structures in groups.items():
                print(f"{layer}:")
                for s in structures:
                    print(f"  {s.id:<28} {s.name}")
        return 0
    structure = catalogue.get(args.id)
    if args.json:
        _print_json(structure_to_dict(structure, catalogue))
    else:
        print(describe(structure, catalogue))
    return 0


# --- measure ------------------------------------------------------------------------------------------------
def _cmd_measure(args: argparse.Namespace) -> int:
    from calfviewer.musculoskeletal import MusculoskeletalModel, Pose

    model = MusculoskeletalModel(args.side)
    result = model.pose(Pose(plantarflexion=args.plantarflexion, knee_flexion=args.knee_flexion))
    rows = [
        {
            "id": muscle_id,
            "name": model.catalogue.get(muscle_id).name,
            "length": round(path.length, 6),
            "moment_arm_ankle": round(path.moment_arm_ankle, 6),
            "moment_arm_knee": round(path.moment_arm_knee, 6),
        }
        for muscle_id, path in result.muscles.items()
    ]
    if args.json:
        _print_json(
            {
                "side": args.side,
                "pose": {
                    "plantarflexion": result.pose.plantarflexion,
                    "knee_flexion": result.pose.knee_flexion,
                    "subtalar": result.pose.subtalar,
                },
                "units": "m",
                "muscles": rows,
            }
        )
        return 0
    print(
        f"{args.side} leg, plantarflexion {result.pose.plantarflexion:g}°, "
        f"knee flexion {result.pose.knee_flexion:g}° (metres; moment arms positive for plantarflexion "
        "and knee flexion)"
    )
    print(f"{'muscle':<28} {'length':>8} {'ankle arm':>10} {'knee arm':>9}")
    for row in rows:
        print(f"{row['id']:<28} {row['length']:>8.4f} {row['moment_arm_ankle']:>10.4f} {row['moment_arm_knee']:>9.4f}")
    return 0


# --- render -------------------------------------------------------------------------------------------------
def _cmd_render(args: argparse.Namespace) -> int:
    from calfviewer.scene.render import RenderRequest, render

    out = render(
        RenderRequest(
            out=args.out,
            size=args.size,
            plantarflexion=args.plantarflexion,
            knee_flexion=args.knee_flexion,
            select=args.select,
            hide=tuple(args.hide or ()),
            view=args.view,
            state=args.state,
            labels=args.labels,
            side=args.side,
        )
    )
    print(out)
    return 0


# --- export -------------------------------------------------------------------------------------------------
def _cmd_export(args: argparse.Namespace) -> int:
    from calfviewer.scene.export import ExportRequest, export

    out = export(
        ExportRequest(
            out=args.out,
            plantarflexion=args.plantarflexion,
            knee_flexion=args.knee_flexion,
            state=args.state,
            side=args.side,
        )
    )
    print(out)
    return 0


# --- build-meshes -------------------------------------------------------------------------------------------
def _cmd_build_meshes(args: argparse.Namespace) -> int:
    from calfviewer.geometry.build import build_all

    build_all(args.out, progress=not args.quiet)
    return 0


# --- gui ----------------------------------------------------------------------------------------------------
def _cmd_gui(args: argparse.Namespace) -> int:
    from calfviewer.app.launch import run_app

    return run_app(side=args.side)


def build_parser() -> argparse.ArgumentParser:
    # Angles stay text (no type=float) until the model checks them, so the message states the model's range.
    parser = _Parser(prog="calfviewer", description="The human calf in 3D, on the MyoLeg musculoskeletal model.")
    parser.add_argument("--side", choices=("right", "left"), default="right", help="which leg (default right)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    gui = sub.add_parser("gui", help="open the viewer window (the default)")
    gui.set_defaults(func=_cmd_gui)

    info = sub.add_parser("info", help="list the structures by layer, or one structure's facts")
    info.add_argument("id", nargs="?", help="a structure id, e.g. soleus")
    info.add_argument("--json", action="store_true", help="print JSON (shape in the README)")
    info.set_defaults(func=_cmd_info)

    measure = sub.add_parser("measure", help="muscle-tendon lengths and moment arms in one pose")
    measure.add_argument("--plantarflexion", default="0", help="degrees, dorsiflexion negative")
    measure.add_argument("--knee-flexion", default="0", help="degrees, 0 = straight knee")
    measure.add_argument("--side", choices=("right", "left"), default="right", help="which leg")
    measure.add_argument("--json", action="store_true", help="print JSON (shape in the README)")
    measure.set_defaults(func=_cmd_measure)

    render = sub.add_parser("render", help="draw the scene off screen into a PNG (no display needed)")
    render.add_argument("--out", required=True, help="PNG file to write")
    render.add_argument("--plantarflexion", default=None, help="degrees, dorsiflexion negative")
    render.add_argument("--knee-flexion", default=None, help="degrees, 0 = straight knee")
    render.add_argument("--select", default=None, metavar="ID", help="highlight a structure and its attachments")
    render.add_argument(
        "--hide",
        nargs="+",
        action="extend",
        default=None,
        metavar="LAYER_OR_ID",
        help="hide layers (superficial, ...) or ids",
    )
    render.add_argument(
        "--view", choices=("posterior", "anterior", "medial", "lateral"), default=None, help="standard view"
    )
    render.add_argument("--size", default="900x1200", metavar="WxH", help="pixels, 64 to 8192 a side")
    render.add_argument("--state", default=None, metavar="FILE.json", help="a saved view state to start from")
    render.add_argument("--labels", action="store_true", help="draw name labels with leader lines")
    render.add_argument("--side", choices=("right", "left"), default="right", help="which leg")
    render.set_defaults(func=_cmd_render)

    export = sub.add_parser("export", help="write the scene at a pose as a 3D file: .glb, .gltf or .obj")
    export.add_argument("--out", required=True, metavar="FILE", help="file to write: .glb, .gltf or .obj (+ .mtl)")
    export.add_argument("--plantarflexion", default=None, help="degrees, dorsiflexion negative")
    export.add_argument("--knee-flexion", default=None, help="degrees, 0 = straight knee")
    export.add_argument("--state", default=None, metavar="FILE.json", help="a saved view state (pose, hidden, opacity)")
    # SUPPRESS: no default of its own, so `calfviewer --side left export` keeps the top-level choice.
    export.add_argument("--side", choices=("right", "left"), default=argparse.SUPPRESS, help="which leg")
    export.set_defaults(func=_cmd_export)

    build = sub.add_parser("build-meshes", help="regenerate meshes/ from the installed myo-sim")
    build.add_argument("--out", default=None, help="folder to write (default: the repository's meshes/)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.set_defaults(func=_cmd_build_meshes)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = _cmd_gui
    try:
        return int(args.func(args) or 0)
    except CalfviewerError as error:
        return _fail(str(error))
    except BrokenPipeError:
        return 0
