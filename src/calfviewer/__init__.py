"""calfviewer: the anatomy and mechanics of the human calf in 3D, on the MyoLeg model."""

__version__ = "0.1.0"
