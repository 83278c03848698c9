"""Fingerprints for spotting the same story twice.

Exact copies are found by hashing a normalised form of the clean text (case,
punctuation and spacing differences do not make a new story). Wire copy that a
second outlet republishes with small edits is found with MinHash over word
shingles and an LSH index; the MinHash values are stored with each document so the
index can be rebuilt from the database at the start of every run.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.5
"""Estimated Jaccard similarity of word 3-shingles above which two texts are one story."""
SEED = 1
SCHEME = "affine32"
"""Pinned so stored signatures stay comparable if datasketch changes its default."""


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


class NearDuplicateIndex:
    """LSH over stored signatures; ``best_match`` verifies LSH candidates by estimated Jaccard."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, doc_id: str, signature: MinHash) -> None:
        if doc_id not in self._signatures:
            self._lsh.insert(doc_id, signature)
            self._signatures[doc_id] = signature

    def best_match(self, signature: MinHash) -> tuple[str, float] | None:
        scored = [
            (self._signatures[key].jaccard(signature), key) for key in self._lsh.query(signature)
        ]
        scored = [(score, key) for score, key in scored if score >= self.threshold]
        if not scored:
            return None
        score, key = max(scored)
        return key, score
