from __future__ import annotations

import pytest

from coachloop.outcomes.synthetic import SyntheticOrg, synthetic_panels


@pytest.fixture(scope="session")
def org() -> SyntheticOrg:
    """40 teams x 40 weeks, true effects 0.15 (ask_before_tell) and 0.10 (evidence) at lag 4."""
    return synthetic_panels(seed=0)
