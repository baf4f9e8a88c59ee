"""RDKit's 2D descriptor set (Descriptors.descList) for 1,000 real ChEMBL molecules, computed by an
independent RDKit build (Debian's python3-rdkit 2022.09): the reference the app's own descriptors
are checked against. The values are not stored in the repository; tests run this script.

Selection (fixed and deterministic): the distinct SMILES of each shared ChEMBL file
(../shared/data/chembl_aromatase_CHEMBL1978_export.csv, column "Smiles";
../shared/data/chembl_ache_CHEMBL220_api_dump.csv, column "canonical_smiles"), ordered by the
SHA-256 of the SMILES text (a fixed pseudo-random spread over the whole file, not its first
documents); the first 500 of aromatase, then the first 500 of AChE not already taken. SMILES are
kept as written in the file: salts, charged and multi-fragment records stay in. A SMILES RDKit
cannot read is skipped and listed under "unreadable".

Output (stdout, JSON): {"rdkit": version, "names": [descList names in order],
"molecules": [{"smiles": ..., "source": "aromatase"|"ache", "values": [...]}], "unreadable": [...]}.
Each value is a number, or the string "NaN", "Infinity" or "-Infinity", or null when the
descriptor function raised (the exception text goes in "errors": {name: message}).

Usage: /usr/bin/python3 tests/reference/rdkit_descriptors.py [--count N] [--time] [--stdin]
  --count N  molecules per file (default 500)
  --stdin    instead of the selection, the SMILES of a JSON list on stdin (source "stdin")
  --time     also time one plain loop over descList for every molecule (one core) and report the
             wall-clock seconds in "seconds" and the CPU seconds in "cpuSeconds"; used by
             npm run bench:descriptors
"""
import argparse
import csv
import hashlib
import json
import math
import pathlib
import sys
import time

import numpy

# RDKit 2022.09's Ipc calls numpy.float, an alias NumPy 1.24 removed (Debian ships a newer NumPy
# than that RDKit was written for): restore the alias, which is the builtin float, so Ipc is
# computed as its authors wrote it instead of raising AttributeError.
if not hasattr(numpy, "float"):
    numpy.float = float

import rdkit  # noqa: E402
from rdkit import Chem, RDLogger  # noqa: E402
from rdkit.Chem import Descriptors  # noqa: E402

RDLogger.DisableLog("rdApp.*")

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
FILES = [
    ("aromatase", DATA / "chembl_aromatase_CHEMBL1978_export.csv", ";", "Smiles"),
    ("ache", DATA / "chembl_ache_CHEMBL220_api_dump.csv", ",", "canonical_smiles"),
]


def distinct_smiles(path, delimiter, column):
    seen = set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f, delimiter=delimiter):
            s = (row.get(column) or "").strip()
            if s and s not in seen:
                seen.add(s)
    return sorted(seen, key=lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest())


def select(count):
    chosen = []
    taken = set()
    unreadable = []
    for source, path, delimiter, column in FILES:
        n = 0
        for s in distinct_smiles(path, delimiter, column):
            if n >= count:
                break
            if s in taken:
                continue
            mol = Chem.MolFromSmiles(s)
            if mol is None:
                unreadable.append(s)
                continue
            taken.add(s)
            chosen.append((source, s, mol))
            n += 1
    return chosen, unreadable


def encode(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--time", action="store_true")
    parser.add_argument("--stdin", action="store_true")
    args = parser.parse_args()

    if args.stdin:
        chosen, unreadable = [], []
        for s in json.load(sys.stdin):
            mol = Chem.MolFromSmiles(s)
            if mol is None:
                unreadable.append(s)
            else:
                chosen.append(("stdin", s, mol))
    else:
        chosen, unreadable = select(args.count)
    names = [name for name, _ in Descriptors.descList]
    molecules = []
    errors = {}
    for source, smiles, mol in chosen:
        values = []
        for name, fn in Descriptors.descList:
            try:
                values.append(encode(fn(mol)))
            except Exception as e:  # recorded, as CalcMolDescriptors in later releases does
                values.append(None)
                errors.setdefault(name, f"{type(e).__name__}: {e}")
        molecules.append({"smiles": smiles, "source": source, "values": values})

    out = {
        "rdkit": rdkit.__version__,
        "names": names,
        "molecules": molecules,
        "unreadable": unreadable,
        "errors": errors,
    }
    if args.time:
        # What a Python user runs: parse each SMILES and call every descList function, one core.
        t0 = time.perf_counter()
        c0 = time.process_time()
        for _, smiles, _ in chosen:
            mol = Chem.MolFromSmiles(smiles)
            for _, fn in Descriptors.descList:
                try:
                    fn(mol)
                except Exception:
                    pass
        out["seconds"] = time.perf_counter() - t0
        out["cpuSeconds"] = time.process_time() - c0
    json.dump(out, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
