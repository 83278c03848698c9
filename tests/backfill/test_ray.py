"""The Ray Data engine on a local Ray instance codes exactly as ``detente code`` does."""

from __future__ import annotations

import pytest

from detente.backfill.parquet import DOCUMENTS, parts
from detente.backfill.run import backfill
from tests.backfill.conftest import backfill_records, stored_records

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason='Ray is an extra: pip install "detente[ray]"')
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_backfill_equals_detente_code(local_ray, archive, coded_store, tmp_path):
    out = str(tmp_path / "out")
    result = backfill([str(archive)], out, engine="ray", jobs=2, batch_size=4)
    assert result.summary.documents == 9
    assert result.summary.duplicates == 1 and result.summary.rejected == 1
    assert backfill_records(out) == stored_records(coded_store)
    assert len(parts(out, DOCUMENTS)) >= 3
