"""Peer for the nearest-neighbour row of `npm run bench:drift`: RDKit's BulkTanimotoSimilarity on
one core (Debian's /usr/bin/python3 with python3-rdkit).

Usage: drift_nn_peer.py FOLDER. Reads FOLDER/nn-smiles.json ({"training": [...], "current":
[...], "rows": N}), keeps the SMILES RDKit reads, repeats each list to N rows, computes Morgan
fingerprints (radius 2, 2048 bits, AllChem.GetMorganFingerprintAsBitVect)
and writes them packed (256 bytes a row) to FOLDER/nn-training.fp and FOLDER/nn-current.fp, so the
bench compares the very same fingerprints. Then times, for every current fingerprint,
DataStructs.BulkTanimotoSimilarity against all training fingerprints and the largest value (the
nearest neighbour). Prints JSON: seconds, pairs, and the sum of the nearest similarities (a check
that both sides computed the same thing)."""
import json
import sys
import time

import numpy as np
from rdkit import Chem, DataStructs, RDLogger
from rdkit.Chem import AllChem

RDLogger.DisableLog("rdApp.*")

folder = sys.argv[1]
spec = json.load(open(f"{folder}/nn-smiles.json"))


def fingerprints(smiles, path):
    mols = [m for m in (Chem.MolFromSmiles(s) for s in smiles) if m is not None]
    unique = [AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=2048) for m in mols]
    fps = [unique[i % len(unique)] for i in range(spec["rows"])]
    rows = np.zeros((len(fps), 2048), dtype=np.uint8)
    for i, fp in enumerate(fps):
        DataStructs.ConvertToNumpyArray(fp, rows[i])
    np.packbits(rows, axis=1).tofile(path)
    return fps


training = fingerprints(spec["training"], f"{folder}/nn-training.fp")
current = fingerprints(spec["current"], f"{folder}/nn-current.fp")
started = time.perf_counter()
total = 0.0
for fp in current:
    total += max(DataStructs.BulkTanimotoSimilarity(fp, training))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "pairs": len(current) * len(training), "sum": total}))
