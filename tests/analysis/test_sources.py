from detente.analysis.sources import source_table
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks


def test_source_rows_count_modalities_and_quotes():
    rows = {r.source: r for r in source_table(peace_talks().db())}
    kyiv = rows["Kyiv Ledger"]
    assert kyiv.documents == 3 and kyiv.events == 5 and kyiv.positions == 2
    assert (kyiv.asserted, kyiv.reported, kyiv.uncertain) == (5, 1, 1)
    assert dict(kyiv.top_quoted()) == {"UKR": 1, "Volodymyr Zelensky": 1}
    assert rows["Ankara Daily"].top_quoted() == []


def test_empty():
    assert source_table(connect(":memory:")) == []
