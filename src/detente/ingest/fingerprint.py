"""Fingerprints for spotting the same story twice.

Exact copies are found by hashing a normalised form of the clean text (case,
punctuation and spacing differences do not make a new story). Wire copy that a
second outlet republishes with small edits is found with MinHash over word
shingles and locality-sensitive hashing. The LSH buckets live in the store beside the
documents (``lsh_buckets``), so adding a document costs one indexed lookup per band,
whatever the size of the store, and two runs writing at once see each other's copies.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.5
"""Estimated Jaccard similarity of word 3-shingles above which two texts are one story."""
SEED = 1
SCHEME = "affine32"
"""Pinned so stored signatures stay comparable if datasketch changes its default."""
BANDS, ROWS = 25, 5
"""LSH layout: 25 bands of 5 signature rows, datasketch's optimum for 128 permutations at
threshold 0.5. Pinned because stored bucket keys are only comparable under one layout;
a different ``threshold`` changes the verification, not the buckets."""


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(tokens(text)).encode("utf-8")).hexdigest()


def doc_id_for(text: str) -> str:
    """A short id that is stable for the same (normalised) text across runs and machines."""
    return "d-" + content_hash(text)[:12]


def minhash(text: str) -> MinHash:
    words = tokens(text)
    size = min(SHINGLE_WORDS, max(len(words), 1))
    shingles = {" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}
    signature = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    signature.update_batch([s.encode("utf-8") for s in shingles])
    return signature


def to_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype("<u8").tobytes()


def from_bytes(blob: bytes) -> MinHash:
    values = np.frombuffer(blob, dtype="<u8").astype(MinHash(1, scheme=SCHEME).hashvalues.dtype)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME)


def band_keys(signature: MinHash) -> list[int]:
    """One signed 64-bit key per band: documents sharing any key are candidate copies.

    The band number is hashed in, so one indexed ``IN`` lookup covers every band. Keys
    fit an SQL INTEGER in SQLite and PostgreSQL alike; a rare hash collision only adds a
    candidate, which the Jaccard check then discards.
    """
    values = signature.hashvalues.astype("<u8")
    keys = []
    for band in range(BANDS):
        chunk = band.to_bytes(2, "little") + values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=b"detente-lsh").digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(signature: MinHash, blob: bytes) -> float:
    """Estimated Jaccard similarity between ``signature`` and a stored one."""
    return float(np.mean(signature.hashvalues.astype("<u8") == np.frombuffer(blob, dtype="<u8")))
