"""The quiz's targets read from meshes/ are the scene's: the command line asks the window's round."""

from __future__ import annotations

from calfviewer.geometry.quiz_targets import stored_targets, targets_of


def test_stored_targets_are_what_the_scene_geometry_holds(geometry):
    stored = stored_targets()
    built = targets_of([*geometry.bones, *geometry.soft], geometry.footprints)
    assert stored == built
    assert {"soleus", "tibialis_posterior", "calcaneal_tendon", "navicular"} <= stored.clickable
    assert ("tibialis_posterior", "insertion", 0) in stored.attachments
