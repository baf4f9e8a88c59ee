"""Peer for `npm run bench:search`: RDKit's Python build over the same compounds.

Reads the fingerprints and SMILES the workbench stored (its SQLite file, read-only), then times
BulkTanimotoSimilarity over the same fingerprints and MolFromSmiles + HasSubstructMatch over the
same SMILES. Prints JSON with seconds and hit counts, so the bench can check both found the same.
"""
import json
import sqlite3
import sys
import time

import numpy as np
from rdkit import Chem, DataStructs, RDLogger

RDLogger.DisableLog("rdApp.*")


def bitvect(blob):
    # the same unpacking for the query and the stored fingerprints, so Tanimoto is unchanged
    bits = np.flatnonzero(np.unpackbits(np.frombuffer(blob, dtype=np.uint8)))
    v = DataStructs.ExplicitBitVect(len(blob) * 8)
    v.SetBitsFromList(bits.tolist())
    return v


def main():
    spec = json.load(sys.stdin)
    db = sqlite3.connect(f"file:{spec['db']}?mode=ro", uri=True)
    rows = db.execute("SELECT morgan_fp, smiles FROM compounds ORDER BY id").fetchall()
    fps = [bitvect(fp) for fp, _ in rows if fp is not None]
    smiles = [s for _, s in rows if s]
    out = {"compounds": len(rows), "fingerprints": len(fps), "similarity": [], "substructure": []}
    for q in spec["similarity"]:
        query = bitvect(bytes.fromhex(q["fp"]))
        t = time.perf_counter()
        sims = DataStructs.BulkTanimotoSimilarity(query, fps)
        hits = sorted((s for s in sims if s >= q["threshold"]), reverse=True)
        out["similarity"].append({"seconds": time.perf_counter() - t, "hits": len(hits)})
    for q in spec["substructure"]:
        pattern = Chem.MolFromSmarts(q)
        t = time.perf_counter()
        n = 0
        for s in smiles:
            m = Chem.MolFromSmiles(s)
            if m is not None and m.HasSubstructMatch(pattern):
                n += 1
        out["substructure"].append({"seconds": time.perf_counter() - t, "hits": n})
    json.dump(out, sys.stdout)


main()
