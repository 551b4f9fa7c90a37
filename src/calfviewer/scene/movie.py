"""``calfviewer movie`` and the window's File > Export movie: a motion drawn frame by frame into an MP4 or a GIF.

Frame-exact by construction: a movie of S seconds at F frames per second has exactly S x F frames and frame k shows
the pose at time k / F, because every frame is posed from its own time (:meth:`Timeline.pose_at`) and drawn before
the next; nothing reads a clock, so a slow machine makes a slow export, never a different movie. An action comes
back to where it started and fills the S seconds (a loop); a sweep ends on its ``--to`` pose at the last frame.

What moves comes from :mod:`calfviewer.musculoskeletal.motion`, the same place the window's click reads: an action
(``action_motion``, as the window plays it once on a click) or a sweep between two poses. The motion is stretched to
the movie's length, so ``--seconds`` changes the speed, never how far the leg moves.

MP4 is H.264 (yuv420p, the form slide programs and browsers play) through imageio's ffmpeg writer with the ffmpeg binary
imageio-ffmpeg bundles. H.264's macroblocks are 16 pixels, so an MP4's width and height are rounded to the nearest
multiple of 16 and the caller is told. A GIF is written with Pillow, every frame reduced to one palette of 256 colours
made from them all (what stays still keeps its colours); GIF frames are held in memory until the end (Pillow writes a
GIF at once), which is why a GIF is capped at :data:`GIF_MAX_FRAMES` frames: GIFs are for short loops. Pillow stores a
frame identical to the one before it once, with the two durations added (the symmetric poses of an eased motion can be
the same picture): the GIF still lasts S seconds and shows the pose at k / F at time k / F, in fewer stored frames.
Either file is written under a temporary name beside the target and renamed at the end (``calfviewer/files.py``): an
error, a cancel or Ctrl+C leaves no half file.
"""

from __future__ import annotations

import errno
import io
import itertools
import math
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from calfviewer import files
from calfviewer.anatomy.side import check_side
from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal.motion import Motion, action_motion
from calfviewer.musculoskeletal.pose import ANGLES, Pose, significant_text
from calfviewer.scene.outputs import check_output
from calfviewer.scene.render import parse_size
from calfviewer.scene.view_flags import ViewFlags, unseen_selection
from calfviewer.typed_numbers import decimal_text, is_not_finite, parse_whole
from calfviewer.viewer.camera import short_repr
from calfviewer.viewer.playback import Playback

if TYPE_CHECKING:
    from tqdm import tqdm

    from calfviewer.anatomy import Catalogue
    from calfviewer.musculoskeletal import MusculoskeletalModel
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.scene.overlays import Coverage

SUFFIXES = (".mp4", ".gif")
#: H.264 codes 16x16 macroblocks; other sizes are padded or refused by players, so MP4 sides are multiples of this.
MACROBLOCK = 16
MIN_FPS, MAX_FPS = 1, 60
#: GIF stores each frame's delay in hundredths of a second, and browsers play a delay under two hundredths as a tenth
#: of a second (so a 60 fps GIF would play six times slow): 50 frames per second is the most a GIF can say.
GIF_MAX_FPS = 50
MAX_SECONDS = 600.0
GIF_MAX_FRAMES = 300
#: The most pixels a GIF's frames may hold in all: Pillow keeps every frame (about 2.2 bytes a pixel, measured: 37 MB
#: a frame at 4096x4096) until it writes the file, so this keeps a GIF under about 1 GB, as a still is kept.
GIF_MAX_PIXELS = 400_000_000
#: A GIF's palette is made from every this many'th pixel of each frame, each way (1/16 of them).
GIF_SAMPLE_STEP = 4
DEFAULT_FPS = 25
DEFAULT_SWEEP_SECONDS = 2.0
DEFAULT_SIZE = "640x800"
#: imageio's ffmpeg quality (0-10, 10 best): 8 keeps fibre stripes crisp at a few hundred kB a second.
MP4_QUALITY = 8


class MovieCancelled(CalfviewerError):
    """The export was stopped before its last frame (the progress dialog's Cancel); no file was written."""


@dataclass(frozen=True)
class Timeline:
    """A motion stretched over ``seconds`` and sampled at ``fps``.

    Attributes:
        motion: the key poses, played once (not looped) from its first to its last pose.
        seconds: the movie's length.
        fps: frames per second; ``frames`` = seconds x fps, a whole number.
    """

    motion: Motion
    seconds: float
    fps: int

    @property
    def frames(self) -> int:
        return round(self.seconds * self.fps)

    def motion_time(self, k: int) -> float:
        """Seconds into the motion at frame ``k``: the movie's k / fps, scaled to the motion's length.

        A motion that comes back to its first pose (an action) fills the S seconds: its last frame is one step
        before the start again, as a loop needs. A motion that ends elsewhere (a sweep) is stretched over the time
        of the last frame, S - 1/F, so that frame shows its last pose (``--to``), which a sweep is made to reach."""
        span = self.seconds
        if self.motion.keys[-1] != self.motion.keys[0] and self.frames > 1:
            span = self.seconds - 1.0 / self.fps
        return min(k / self.fps * self.motion.duration / span, self.motion.duration)

    def pose_at(self, k: int) -> Pose:
        """The pose of frame ``k``: the motion at :meth:`motion_time` (``k``)."""
        return self.motion.pose_at(self.motion_time(k), loop=False)


def whole_frames(seconds: float, fps: int) -> int:
    """The whole number of frames nearest ``seconds`` at ``fps``, half a frame rounded up, at least one: the
    window's Export movie rounds a typed length so, and ``movie`` its default length.

    Why not ``round()``: Python rounds half to the even number, so 2.5 s at 5 fps (12.5 frames) was 12 frames,
    13.5 would have been 14; and the product of a length to the tenth and a rate is often a hair under the half it
    is (2.3 x 25 = 57.49999999999999), so it is taken to the millionth of a frame first."""
    return max(1, math.floor(round(seconds * fps, 6) + 0.5))


def check_timing(seconds: float | str, fps: int | str) -> tuple[float, int]:
    """(seconds, fps) as numbers, refused in one line unless fps is a whole 1..60, seconds is above 0 and at most
    :data:`MAX_SECONDS`, and seconds x fps is a whole number of frames (a frame-exact movie cannot have 12.5)."""
    # As every other number typed (typed_numbers.py): ASCII digits, with a sign and whitespace round them as int()
    # and float() take them, and for seconds a point and an exponent (1e1); not "1_0" or other scripts' digits.
    rate = parse_whole(str(fps), 6)
    if rate is None:
        raise CalfviewerError(f"--fps {str(fps)!r} is not a whole number of frames per second (digits 0-9)")
    if not MIN_FPS <= rate <= MAX_FPS:
        raise CalfviewerError(f"--fps {rate} is out of range: {MIN_FPS} to {MAX_FPS} frames per second")
    # Any number of digits: 600.0000000001 and 1234567 are numbers of seconds, out of range, and were refused as
    # "not a number of seconds (digits 0-9 and a point)". The typed decimal is compared with the range, not the
    # float it rounds to (600.0000000000000001 is the float 600.0), and named as typed.
    if is_not_finite(str(seconds)):
        raise CalfviewerError(
            f"--seconds {str(seconds).strip()} is not a finite number: give a length above 0, at most "
            f"{MAX_SECONDS:g} seconds"
        )
    typed = decimal_text(str(seconds))
    if typed is None:
        raise CalfviewerError(
            f"--seconds {short_repr(str(seconds))} is not a number of seconds (digits 0-9 and a point, or an "
            "exponent: 2.5, 1e1)"
        )
    length = float(typed)
    if not (math.isfinite(length) and 0 < Decimal(typed) <= Decimal(MAX_SECONDS)):  # 1e999 is a float inf
        shown = typed if len(typed) <= 30 else f"{typed[:12]}… ({len(typed)} characters)"
        raise CalfviewerError(f"--seconds {shown} is out of range: above 0, at most {MAX_SECONDS:g}")
    frames = length * rate
    if abs(frames - round(frames)) > 1e-6 or round(frames) < 1:
        raise CalfviewerError(
            f"--seconds {typed} at --fps {rate} is {significant_text(frames, 6)} frames; choose values whose product "
            "is a whole number"
        )
    return length, rate


def movie_size(text: str, suffix: str) -> tuple[tuple[int, int], str | None]:
    """(width, height) for a movie and a note when it was rounded: an MP4's sides go to the nearest multiple of 16
    (H.264's macroblock), at least 64; a GIF keeps the size asked for. Sizes as ``render`` checks them."""
    width, height = parse_size(text)
    if suffix != ".mp4":
        return (width, height), None
    rounded = (max(4, round(width / MACROBLOCK)) * MACROBLOCK, max(4, round(height / MACROBLOCK)) * MACROBLOCK)
    if rounded == (width, height):
        return (width, height), None
    return rounded, (
        f"size {width}x{height} rounded to {rounded[0]}x{rounded[1]}: H.264 needs multiples of {MACROBLOCK}"
    )


_POSE_PAIR = re.compile(r"\s*[^,\s]+\s*(?:,\s*[^,\s]+\s*){1,3}")


def parse_pose_pair(text: str, option: str, model: MusculoskeletalModel) -> Pose:
    """'PF,KNEE[,INVERSION[,TOE_FLEXION]]' (degrees in :data:`~calfviewer.musculoskeletal.ANGLES` order, e.g.
    '-20,0' or '0,0,15,-30') -> a Pose checked against the model's ranges, or a one-line error. The two-number form
    of earlier versions means what it meant: the subtalar and toe joints stay neutral."""
    if not _POSE_PAIR.fullmatch(text):
        raise CalfviewerError(
            f"{option} {text!r} is not PLANTARFLEXION,KNEE_FLEXION[,INVERSION[,TOE_FLEXION]] in degrees, "
            f"e.g. {option} 30,0 or {option} 0,0,15,-30"
        )
    values = [value.strip() for value in text.split(",")]
    return model.check_pose(Pose(**dict(zip(ANGLES, values, strict=False))))  # type: ignore[arg-type]


def choose_motion(
    catalogue: Catalogue,
    model: MusculoskeletalModel,
    *,
    action: str | None,
    start: str | None,
    end: str | None,
) -> Motion:
    """The motion a request names: a structure's action (as a click in the window plays it) or a sweep from one
    pose to another; exactly one of the two."""
    if action is not None and (start is not None or end is not None):
        raise CalfviewerError("give either --action ID or --from and --to, not both")
    if action is not None:
        structure = catalogue.get(action)  # an unknown id raises with a did-you-mean suggestion
        motion = action_motion(structure)
        if motion is None:
            raise CalfviewerError(f"{action!r} ({structure.name}) has no action to show; choose a muscle or tendon")
        return motion
    if start is None or end is None:
        raise CalfviewerError("say what moves: --action ID (e.g. soleus), or --from PF,KNEE and --to PF,KNEE")
    first, last = parse_pose_pair(start, "--from", model), parse_pose_pair(end, "--to", model)
    return Motion("sweep", "Sweep", (first, last), leg_seconds=1.0)


class FrameWriter(Protocol):
    """Takes the frames of one movie in order; ``close`` finishes the file."""

    def append(self, frame: np.ndarray) -> None: ...

    def close(self) -> None: ...


class _Mp4Writer:
    """H.264 through imageio's ffmpeg writer: frames stream to the ffmpeg process, nothing piles up in memory."""

    def __init__(self, path: Path, fps: int) -> None:
        import imageio.v2 as imageio

        self._path = path
        self._writer = imageio.get_writer(
            str(path),
            format="FFMPEG",
            mode="I",
            fps=fps,
            codec="libx264",
            quality=MP4_QUALITY,
            pixelformat="yuv420p",
            macro_block_size=MACROBLOCK,
            ffmpeg_log_level="quiet",  # a failure is ours to report, in one line (check_playable)
        )

    def append(self, frame: np.ndarray) -> None:
        self._writer.append_data(np.ascontiguousarray(frame[..., :3]))

    def close(self) -> None:
        self._writer.close()
        check_playable(self._path)


def check_playable(path: Path) -> None:
    """Raise OSError unless ffmpeg can read ``path``'s header. Why: imageio's ffmpeg writer does not report an
    ffmpeg that failed (a full disk while it writes the MP4's index, at the very end), so without this a broken file
    would be renamed over the user's and reported written."""
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        next(reader)  # the header: an MP4 whose index was never written has none ("moov atom not found")
    except (OSError, RuntimeError, StopIteration):
        raise OSError(errno.EIO, "ffmpeg could not finish the movie (is the disk full?)") from None
    finally:
        reader.close()


def gif_delays_ms(frames: int, fps: int) -> list[int]:
    """Each frame's delay in whole hundredths of a second (GIF's unit), in ms: frame k starts at ``100k / fps``
    hundredths rounded, so the GIF lasts its length to the hundredth. Why: one delay of ``1000 / fps`` ms for every
    frame is cut to whole hundredths (Pillow truncates), and the error adds up: a 3 s GIF at 7 fps played 2.94 s, at
    30 fps 2.7 s."""
    starts = [round(100 * k / fps) for k in range(frames + 1)]
    return [10 * (end - start) for start, end in itertools.pairwise(starts)]


class _GifWriter:
    """An endlessly looping GIF through Pillow, every frame in one palette of 256 colours made from them all.

    Why one palette: each frame reduced to its own 256 colours gave what stays still other colours as the rest of
    the picture changed (the stretch colour bar went from dark red to brown at its top, frame to frame): a flicker.
    The palette is made at the end from a sample of every frame (every :data:`GIF_SAMPLE_STEP` th pixel each way),
    so the frames are kept until then, each as a PNG in memory (0.9 bytes a pixel, measured on a 640x800 frame:
    about what a frame of 256 colours takes, so the memory :data:`GIF_MAX_PIXELS` allows is not passed), and reduced
    without dithering, so a pixel that does not change keeps its colour."""

    def __init__(self, path: Path, fps: int) -> None:
        self._path = path
        self._fps = fps
        self._frames: list[bytes] = []
        self._samples: list[np.ndarray] = []

    def append(self, frame: np.ndarray) -> None:
        from PIL import Image

        rgb = np.ascontiguousarray(frame[..., :3])
        packed = io.BytesIO()
        Image.fromarray(rgb).save(packed, format="PNG", compress_level=1)
        self._frames.append(packed.getvalue())
        self._samples.append(rgb[::GIF_SAMPLE_STEP, ::GIF_SAMPLE_STEP].reshape(-1, 3))

    def close(self) -> None:
        if not self._frames:  # nothing drawn (the first frame failed): nothing to write, the error says why
            return
        from PIL import Image

        sample = np.concatenate(self._samples)
        self._samples = []
        palette = Image.fromarray(sample.reshape(1, -1, 3)).quantize(256)  # median cut over every frame's colours
        delays = gif_delays_ms(len(self._frames), self._fps)
        frames = []
        while self._frames:  # each packed frame let go as it is reduced: never both forms of every frame at once
            with Image.open(io.BytesIO(self._frames.pop(0))) as image:
                frames.append(image.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE))
        first, *rest = frames
        first.save(self._path, format="GIF", save_all=True, append_images=rest, duration=delays, loop=0, disposal=1)


def open_writer(path: Path, fps: int) -> FrameWriter:
    """The writer for ``path``'s suffix (``.mp4`` or ``.gif``)."""
    return _Mp4Writer(path, fps) if path.suffix.lower() == ".mp4" else _GifWriter(path, fps)


def frames_of(scene: AnatomyScene, timeline: Timeline) -> Iterator[np.ndarray]:
    """Each frame of ``timeline`` drawn by ``scene``: the playback clock the window plays with, sought to the
    frame's time (which sets the scene's view state's pose), then one render.

    A standard view is framed on the leg over the whole motion (:meth:`AnatomyScene.hold_framing`), so the leg
    stands still and the foot moves in it; each frame framed as its own still moved and zoomed the whole leg.

    With names or the colour bar on, every frame is first posed without drawing, to find where the leg goes in the
    whole movie, and they are laid out against that (:meth:`AnatomyScene.hold_overlays`): the bar keeps one place
    and the names the places the first frame gives them, clear of the leg in every frame, from the first frame to
    the last instead of jumping as the leg moves (their leaders follow their structures)."""
    clock = Playback(scene.state)
    clock.play_once(timeline.motion)  # played once, not looped, from its first pose
    scene.hold_framing(timeline.motion)  # a standard view stays still over the whole motion, as the window plays it
    times = [timeline.motion_time(k) for k in range(timeline.frames)]
    held = scene.state.labels or scene.colour_by_stretch
    try:
        if held:
            leg: Coverage | None = None
            for time in times:
                clock.seek(time)
                leg = scene.leg_coverage(leg)
            scene.hold_overlays(leg)
        for time in times:
            clock.seek(time)
            yield scene.screenshot()
    finally:
        scene.hold_framing(None)
        if held:
            scene.hold_overlays(None)


def check_frames(timeline: Timeline, out: Path, size: tuple[int, int] | None = None) -> None:
    """Refuse a GIF faster than :data:`GIF_MAX_FPS`, longer than :data:`GIF_MAX_FRAMES` frames, or whose frames of
    ``size`` hold more than :data:`GIF_MAX_PIXELS` pixels in all (its frames are held in memory until written)."""
    if out.suffix.lower() != ".gif":
        return
    if timeline.fps > GIF_MAX_FPS:
        raise CalfviewerError(
            f"a GIF plays at most {GIF_MAX_FPS} frames per second (browsers slow faster ones to 10): "
            f"lower the frames per second (--fps) to {GIF_MAX_FPS}, or write an .mp4"
        )
    if timeline.frames > GIF_MAX_FRAMES:
        raise CalfviewerError(
            f"a GIF is for short loops: {timeline.frames} frames is more than {GIF_MAX_FRAMES}; "
            "shorten it (--seconds) or lower the frames per second (--fps), or write an .mp4"
        )
    if size is not None and timeline.frames * size[0] * size[1] > GIF_MAX_PIXELS:
        raise CalfviewerError(
            f"a GIF of {timeline.frames} frames at {size[0]}x{size[1]} would take about "
            f"{timeline.frames * size[0] * size[1] * 2.2 / 1e9:.1f} GB of memory to write; make it smaller (--size), "
            "shorter (--seconds) or with fewer frames per second (--fps), or write an .mp4"
        )


def write_movie(
    scene: AnatomyScene,
    timeline: Timeline,
    out: Path,
    progress: Callable[[int, int], bool] | None = None,
) -> Path:
    """Draw every frame of ``timeline`` with ``scene`` into ``out`` (atomically); returns ``out``.

    ``progress(done, total)`` is called after each frame; returning False cancels (:class:`MovieCancelled`), and
    the temporary file goes with it. A failing write is one line naming the file.
    """
    check_frames(timeline, out)
    try:
        with files.staged_file(out) as staged:
            writer = open_writer(staged, timeline.fps)
            try:
                for k, frame in enumerate(frames_of(scene, timeline), start=1):
                    writer.append(frame)
                    if progress is not None and not progress(k, timeline.frames):
                        raise MovieCancelled(f"movie export cancelled after {k} of {timeline.frames} frames")
            finally:
                writer.close()  # ends the ffmpeg process before its file is removed or renamed
    except OSError as error:
        raise CalfviewerError(f"cannot write {str(out)!r}: {error.strerror or error}") from None
    return out


@dataclass
class MovieRequest:
    """What ``calfviewer movie`` was asked for (text as typed; checked by :func:`movie`)."""

    out: str
    action: str | None = None
    start: str | None = None
    end: str | None = None
    seconds: str | None = None
    fps: str = str(DEFAULT_FPS)
    size: str = DEFAULT_SIZE
    state: str | None = None
    side: str = "right"
    quiet: bool = False
    look: ViewFlags = field(default_factory=ViewFlags)  # the flags shared with ``render``: view, labels, ...


def movie(request: MovieRequest) -> Path:
    """Validate ``request`` (everything before any geometry loads), draw the movie off screen and write it."""
    out = check_output(request.out, SUFFIXES)
    size, note = movie_size(request.size, out.suffix.lower())
    request.look.check()
    from calfviewer.anatomy import load_catalogue
    from calfviewer.musculoskeletal import shared_model
    from calfviewer.scene.render import check_anything_drawn, posed_state

    catalogue = load_catalogue()
    model = shared_model(check_side(request.side))
    motion = choose_motion(catalogue, model, action=request.action, start=request.start, end=request.end)
    if request.seconds is None:  # the motion's own length, to the nearest whole frame
        fps = check_timing(1.0, request.fps)[1]
        default = motion.duration if request.action is not None else DEFAULT_SWEEP_SECONDS
        seconds = whole_frames(default, fps) / fps
    else:
        seconds, fps = check_timing(request.seconds, request.fps)
    timeline = Timeline(motion, seconds, fps)
    check_frames(timeline, out, size)  # before anything loads
    state = posed_state(catalogue, model, state=request.state)
    # The first frame's pose, not the file's or neutral: a cut is turned to face on (look.dress) in the pose the
    # movie opens with. A sweep from the knee bent 60 degrees had its camera turned for a straight knee.
    state.pose = timeline.pose_at(0)
    request.look.apply(state, catalogue)
    check_anything_drawn(state, "nothing to film: the view state and --hide hide every structure")
    if (unseen := unseen_selection(state, catalogue, request.look.names)) is not None:
        print(f"calfviewer: {unseen}", file=sys.stderr)
    if note is not None:  # said even with --quiet: the file is not the size asked for
        print(f"calfviewer: {note}", file=sys.stderr)

    from calfviewer.geometry import load_scene_geometry
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.scene.render import make_plotter

    geometry = load_scene_geometry(model)
    plotter = make_plotter(size)
    try:
        scene = AnatomyScene(plotter, geometry, model, catalogue, state, names=request.look.names)
        request.look.dress(scene, state)
        bar = _progress_bar(timeline.frames, out, disable=request.quiet)
        try:
            write_movie(scene, timeline, out, lambda done, total: bar.update(1) or True)
        finally:
            bar.close()
        for note in scene.left_out():  # a state file's labels, the legend or the colour bar: as render says it
            print(f"calfviewer: {note}", file=sys.stderr)
    finally:
        plotter.close()
    return out


def _progress_bar(total: int, out: Path, *, disable: bool) -> tqdm:
    """A frame counter on stderr (stdout carries only the path written)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=out.name, unit="frame", disable=disable, file=sys.stderr, leave=False)
