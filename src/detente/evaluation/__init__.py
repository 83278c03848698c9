"""Scoring detente against hand-labelled gold: PLOVER gold-standard records and real-news sets.

``gold`` reads and validates gold files (one clear error with the record index for anything
unusable), ``plover`` scores event types sentence by sentence, ``realnews`` scores whole
articles run through the full pipeline: events, no-event sentences, exchanges, talks,
ceasefires and positions.
"""
