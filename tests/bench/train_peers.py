"""Peers for `npm run bench:train`: XGBoost hist and scikit-learn's random forest, at their own
defaults, on the folds and rows the TypeScript side wrote (CSV: features or SMILES, then y, then
fold). For a `*_desclist` set the features are python3-rdkit's Descriptors.descList of each SMILES.
Prints one JSON object per line. Run with Debian's /usr/bin/python3 (python3-xgboost,
python3-sklearn, python3-rdkit).

    train_peers.py FOLDER          the CV peers for FOLDER/meta.json's sets
    train_peers.py FOLDER --big    the 1M-row synthetic fit and inference (FOLDER/big.*)
"""
import csv, json, sys, time
import numpy as np

# RDKit 2022.09's Ipc calls numpy.float, which numpy 1.24 removed: without this alias every Ipc
# raises and the descriptor would be missing for every molecule
if not hasattr(np, "float"):
    np.float = float
import xgboost as xgb
from sklearn.ensemble import RandomForestRegressor

folder = sys.argv[1]


def xgb_hist():
    return xgb.XGBRegressor(tree_method="hist", n_jobs=2, random_state=1)


def sklearn_rf():
    return RandomForestRegressor(n_estimators=100, n_jobs=2, random_state=1)


def cv(name, make, X, y, folds):
    pred = np.full(len(y), np.nan)
    seconds = []
    for f in range(int(folds.max()) + 1):
        tr, te = folds != f, folds == f
        t = time.perf_counter()
        model = make()
        model.fit(X[tr], y[tr])
        seconds.append(time.perf_counter() - t)
        pred[te] = model.predict(X[te])
    rmse = float(np.sqrt(np.mean((pred - y) ** 2)))
    return {"peer": name, "rmse": rmse, "fitSeconds": float(np.mean(seconds))}


def read(name):
    with open(f"{folder}/{name}.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    y = np.array([float(r[-2]) for r in body])
    folds = np.array([int(r[-1]) for r in body])
    return header, body, y, folds


def desc_list(smiles):
    from rdkit import Chem, RDLogger
    from rdkit.Chem import Descriptors

    RDLogger.DisableLog("rdApp.*")
    X = np.full((len(smiles), len(Descriptors.descList)), np.nan, dtype=np.float64)
    for i, s in enumerate(smiles):
        mol = Chem.MolFromSmiles(s) if s else None
        if mol is None:
            continue
        for j, (_, fn) in enumerate(Descriptors.descList):
            try:
                X[i, j] = fn(mol)
            except Exception:
                pass
    X[~np.isfinite(X)] = np.nan
    # XGBoost reads float32: values beyond its range (Ipc) become missing rather than inf
    X[np.abs(X) > 3e38] = np.nan
    return X.astype(np.float32)


if len(sys.argv) > 2 and sys.argv[2] == "--big":
    b = json.load(open(f"{folder}/big.json"))
    X = np.fromfile(f"{folder}/big.x", dtype=np.float32).reshape(b["n"], b["f"])
    y = np.fromfile(f"{folder}/big.y", dtype=np.float64)
    t = time.perf_counter()
    d = xgb.DMatrix(X, label=y, nthread=2)
    booster = xgb.train({"tree_method": "hist", "max_depth": 6, "eta": 0.1, "nthread": 2, "lambda": 1, "max_bin": 256}, d, b["trees"])
    print(json.dumps({"peer": "XGBoost hist (2 threads)", "set": "big", "rmse": None, "fitSeconds": time.perf_counter() - t}), flush=True)
    # XGBoost's own predictor on its model of the same size (300 trees, depth 6), the same rows:
    # how fast a native tree walker goes on this machine, next to ONNX Runtime's
    booster.inplace_predict(X[:1000])
    t = time.perf_counter()
    booster.inplace_predict(X)
    print(json.dumps({"peer": "XGBoost inplace_predict (2 threads)", "set": "big-predict", "rmse": None, "fitSeconds": time.perf_counter() - t}), flush=True)
    sys.exit(0)

meta = json.load(open(f"{folder}/meta.json"))
for s in meta["sets"]:
    header, body, y, folds = read(s["name"])
    if s["kind"] == "smiles":
        X = desc_list([r[0] for r in body])
        rows = [cv("XGBoost hist (defaults, 2 threads)", xgb_hist, X, y, folds)]
    else:
        X = np.array([[float(v) if v != "" else np.nan for v in r[:-2]] for r in body], dtype=np.float32)
        rows = [
            cv("XGBoost hist (defaults, 2 threads)", xgb_hist, X, y, folds),
            cv("sklearn RandomForest (defaults, 2 jobs)", sklearn_rf, X, y, folds),
        ]
    for r in rows:
        r["set"] = s["name"]
        print(json.dumps(r), flush=True)
