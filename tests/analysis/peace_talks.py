"""A five-week story of Russia–Ukraine talks (May 2025) written for tests and the demo report.

The sentences are the project's own paraphrase-style news sentences, not copied text.
Outlets are fictional. Two documents share a story cluster (one syndicated report) so
duplicate-aware counting has something to merge.
"""

from __future__ import annotations

from tests.analysis.records_factory import Scenario


def peace_talks() -> Scenario:
    s = Scenario()
    # 5–11 May: strikes, threats, an offer of direct talks, a ceasefire proposal.
    d1 = s.doc("kyiv-0505", source="Kyiv Ledger", published="2025-05-05", title="Night of drones")
    s.event(d1, "Russian drones struck energy facilities in Kharkiv overnight, the Ukrainian"
            " air force said.", "ASSAULT", ["RUS"], ["UKR"], mode="drone", modality="reported",
            attribution="UKR")  # fmt: skip
    s.event(d1, "Kyiv accused Moscow of deliberately targeting civilian infrastructure.",
            "ACCUSE", ["UKR"], ["RUS"])  # fmt: skip
    d2 = s.doc("wire-0507", source="Baltic Wire", published="2025-05-07", title="Kremlin warns")
    s.event(d2, "The Kremlin warned that new Western deliveries of long-range missiles would"
            " draw a response.", "THREATEN", ["RUS"], ["USA"], attribution="RUS")  # fmt: skip
    s.position(d2, "Moscow insists that Ukraine must renounce its NATO ambitions before any"
               " settlement.", "nato_membership", "RUS", "precondition", "against", 95,
               speaker="Kremlin spokesman")  # fmt: skip
    d3 = s.doc("geneva-0511", source="Geneva Dispatch", published="2025-05-11",
               title="Putin proposes direct talks in Istanbul")  # fmt: skip
    s.event(d3, "Putin proposed direct negotiations with Ukraine in Istanbul without"
            " preconditions.", "AGREE", ["RUS"], ["UKR"], attribution="RUS")  # fmt: skip
    s.position(d3, "Putin proposed resuming the Istanbul negotiations on a long-term"
               " settlement.", "ceasefire", "RUS", "propose", "conditional", 65,
               speaker="Vladimir Putin")  # fmt: skip
    s.position(d3, "Kyiv and its European partners demanded an unconditional 30-day ceasefire"
               " first.", "ceasefire", "UKR", "demand", "favor", 10)  # fmt: skip
    s.event(d3, "Ukraine and France called on Russia to accept a 30-day ceasefire.", "REQUEST",
            ["UKR", "FRA"], ["RUS"], mode="change")  # fmt: skip
    s.process("ceasefire", [d3], "European leaders proposed a 30-day ceasefire starting"
              " Monday.", parties=["UKR", "FRA"], status="proposed")  # fmt: skip
    d4 = s.doc("kyiv-0512", source="Kyiv Ledger", published="2025-05-12",
               title="Zelensky says he will go to Istanbul")  # fmt: skip
    s.event(d4, "Zelensky said he would travel to Istanbul to meet the Russian side.",
            "AGREE", ["UKR"], ["RUS"], modality="future")  # fmt: skip
    s.position(d4, "Zelensky said Ukraine accepts talks but wants a full ceasefire from the"
               " first day.", "ceasefire", "UKR", "accept", "favor", 10,
               speaker="Volodymyr Zelensky")  # fmt: skip
    s.position(d4, "Ukraine proposed an all-for-all exchange of prisoners.", "prisoner_exchange",
               "UKR", "propose", "favor", 0)  # fmt: skip
    # 12–18 May: Ukraine accepts; first direct talks (syndicated in two outlets).
    for doc_id, outlet in (("anka-0516", "Ankara Daily"), ("wire-0516", "Baltic Wire")):
        d = s.doc(doc_id, source=outlet, published="2025-05-16", cluster_id="istanbul-talks",
                  title="Delegations meet in Istanbul")  # fmt: skip
        s.event(d, "Russian and Ukrainian delegations met in Istanbul for their first direct"
                " talks since 2022.", "CONSULT", ["RUS"], ["UKR"], mode="third-party")  # fmt: skip
        s.event(d, "The two sides agreed to exchange 1,000 prisoners of war each.", "AGREE",
                ["RUS", "UKR"], ["UKR", "RUS"])  # fmt: skip
    talks_docs = [s.docs[-2], s.docs[-1]]
    s.process("talks", talks_docs, "The meeting at Dolmabahce Palace lasted under two hours.",
              parties=["RUS", "UKR"], status="held", venue="Istanbul",
              mediator=s.events[0].actor[0].model_copy(update={"code": "TUR", "text": "Turkey"}),
              level="delegation")  # fmt: skip
    d7 = s.doc("geneva-0517", source="Geneva Dispatch", published="2025-05-17")
    s.event(d7, "Russia rejected the demand for an immediate ceasefire.", "REJECT", ["RUS"],
            ["UKR"], mode="change")  # fmt: skip
    s.position(d7, "Medinsky said Russia would accept a truce only after Ukraine withdraws from"
               " four regions.", "territory", "RUS", "precondition", "against", 90,
               speaker="Vladimir Medinsky", modality="reported")  # fmt: skip
    s.position(d7, "Ukraine will never recognise occupied territory as Russian, its foreign"
               " minister said.", "territory", "UKR", "reject", "against", 5,
               speaker="Andrii Sybiha", modality="reported")  # fmt: skip
    s.position(d7, "Russia agreed to swap prisoners in large batches.", "prisoner_exchange",
               "RUS", "accept", "favor", 10)  # fmt: skip
    # 19–25 May: the exchange, and a heavy strike.
    d8 = s.doc("kyiv-0523", source="Kyiv Ledger", published="2025-05-23",
               title="First stage of the 1,000-for-1,000 exchange")  # fmt: skip
    s.event(d8, "Russia released 390 Ukrainian soldiers and civilians on Friday.", "RETREAT",
            ["RUS"], ["UKR"], mode="release")  # fmt: skip
    s.event(d8, "Ukraine handed over 390 Russian prisoners in return.", "RETREAT", ["UKR"],
            ["RUS"], mode="release")  # fmt: skip
    s.process("exchange", [d8], "The exchange took place on the border with Belarus.",
              parties=["RUS", "UKR"], numbers={"RUS": 390, "UKR": 390},
              categories=["soldiers", "civilians"])  # fmt: skip
    d9 = s.doc("wire-0525", source="Baltic Wire", published="2025-05-25", title="Largest strike")
    s.event(d9, "Russia launched more than 300 drones and missiles at Ukrainian cities.",
            "ASSAULT", ["RUS"], ["UKR"], mode="aerial")  # fmt: skip
    s.event(d9, "The European Union adopted new sanctions against Russian energy exports.",
            "SANCTION", ["EU"], ["RUS"])  # fmt: skip
    s.position(d9, "Washington floated a settlement that would leave Ukraine outside NATO for"
               " now.", "nato_membership", "USA", "propose", "conditional", 70,
               speaker="US envoy")  # fmt: skip
    # 2 June: a second round, and speculation about a summit.
    d10 = s.doc("anka-0602", source="Ankara Daily", published="2025-06-02",
                title="Second round in Istanbul")  # fmt: skip
    s.event(d10, "The delegations met again in Istanbul and exchanged draft memoranda.",
            "CONSULT", ["RUS"], ["UKR"])  # fmt: skip
    s.event(d10, "A leaders' summit could follow if the memoranda converge, diplomats"
            " speculated.", "CONSULT", ["RUS"], ["UKR"], modality="speculative")  # fmt: skip
    s.position(d10, "Ukraine offered to discuss a neutral status only with security"
               " guarantees.", "nato_membership", "UKR", "offer", "conditional", 35)  # fmt: skip
    s.position(d10, "Russia's memorandum again demanded Ukraine's neutrality.",
               "nato_membership", "RUS", "demand", "against", 95)  # fmt: skip
    s.process("talks", [d10], "A second round was held at Ciragan Palace.",
              parties=["RUS", "UKR"], status="held", venue="Istanbul")  # fmt: skip
    return s
