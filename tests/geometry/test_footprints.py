"""Attachment footprints: one patch of the right bone's own surface per origin and insertion, anatomically sized,
around the attachment point."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry.footprints import MAX_BONE_FRACTION, area_rule, attachment_point
from calfviewer.musculoskeletal import MusculoskeletalModel


def _attachments(model: MusculoskeletalModel):
    for structure in model.catalogue.structures:
        if structure.kind == "bone":
            continue
        for role, attachments in (("origin", structure.origins), ("insertion", structure.insertions)):
            for index, attachment in enumerate(attachments):
                yield structure.id, role, index, attachment


def test_every_origin_and_insertion_has_a_footprint(model, geometry):
    expected = {(s, r, i) for s, r, i, a in _attachments(model) if a.bone in geometry.bones}
    found = [(f.structure_id, f.role, f.index) for f in geometry.footprints]
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert ("calcaneal_tendon", "insertion", 0) in expected


def test_footprints_sit_on_their_bone_around_the_attachment(model, geometry):
    attachments = {(s, r, i): a for s, r, i, a in _attachments(model)}
    for footprint in geometry.footprints:
        attachment = attachments[(footprint.structure_id, footprint.role, footprint.index)]
        assert footprint.bone_id == attachment.bone
        bone = geometry.bones[footprint.bone_id].trimesh
        faces = footprint.faces
        assert faces.ndim == 1 and len(faces) and len(np.unique(faces)) == len(faces)
        assert faces.min() >= 0 and faces.max() < len(bone.faces)
        # The centre is on the bone's surface, near the catalogue's point.
        _, distance, _ = trimesh.proximity.closest_point(bone, footprint.centre[None, :])
        assert distance[0] < 1e-4, footprint
        point = attachment_point(model, attachment)
        assert np.linalg.norm(footprint.centre - point) < 0.012, (footprint.structure_id, footprint.role)
        # A compact patch around the centre: no triangle further than a few radii of a disc of its area.
        radius = np.sqrt(footprint.area / np.pi)
        spread = np.linalg.norm(bone.triangles_center[faces] - footprint.centre, axis=1).max()
        assert spread < 3 * radius + 0.005, (footprint.structure_id, footprint.role)


def test_footprint_areas_are_anatomical(geometry):
    for footprint in geometry.footprints:
        bone = geometry.bones[footprint.bone_id].trimesh
        wanted = min(
            area_rule(footprint.structure_id, footprint.role, footprint.bone_id).area, MAX_BONE_FRACTION * bone.area
        )
        assert footprint.area == pytest.approx(float(bone.area_faces[footprint.faces].sum()))
        assert wanted * 0.9 <= footprint.area <= wanted * 1.5, (footprint.structure_id, footprint.role)


def test_calcaneal_tendon_footprint_is_on_the_tuberosity(model, geometry):
    """The Achilles footprint: ~3 cm^2 on the middle of the back of the calcaneus, below and behind MyoLeg's
    soleus-P2 site (which lies on the bone's upper surface; Gray's Anatomy 42e: the middle part of the posterior
    surface, the bursa between the tendon and the smooth upper part)."""
    footprint = next(f for f in geometry.footprints if f.structure_id == "calcaneal_tendon")
    assert footprint.bone_id == "calcaneus"
    assert 2e-4 <= footprint.area <= 4.5e-4
    body, site = model.site_local("soleus-P2")
    assert body == "calcn"
    # Calcaneus frame: x anterior, y up. The posterior surface runs from y = -0.002 to 0.030 on the stored bone.
    assert footprint.centre[0] < site[0] - 0.008  # behind the site
    assert 0.0 < footprint.centre[1] < site[1] - 0.01  # on the lower two thirds of the surface, below the site
