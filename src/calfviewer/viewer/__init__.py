"""The logic floor between the model and the drawing: no Qt, no VTK (an import contract says so).

The view state (what a person chose), the viewer (which poses the model when the state changes and emits one
result that the scene and the widgets follow) and the playback clock (which advances a motion's time without a
timer, so the window, ``calfviewer render`` and ``calfviewer movie`` animate through the same code).
"""
