"""What the anatomy tests share."""

from __future__ import annotations

import pytest

from calfviewer.anatomy.quiz import QuizTargets


@pytest.fixture(scope="session")
def targets(catalogue) -> QuizTargets:
    """Everything drawn and every patch shown: the most a quiz question can be asked about."""
    return QuizTargets(
        clickable=frozenset(catalogue.ids),
        attachments=frozenset(
            (s.id, role, index)
            for s in catalogue
            for role, attachments in (("origin", s.origins), ("insertion", s.insertions))
            for index in range(len(attachments))
        ),
    )
