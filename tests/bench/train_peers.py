"""Peers for `npm run bench:train`: XGBoost hist and scikit-learn forests on the same folds and
features the TypeScript learners used (written by the bench to a temp folder). Prints one JSON
object per line. Run with Debian's /usr/bin/python3 (python3-xgboost, python3-sklearn)."""
import json, sys, time
import numpy as np

folder = sys.argv[1]
meta = json.load(open(f"{folder}/meta.json"))
out = []
import xgboost as xgb
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor

def cv(name, make, X, y, folds, k):
    pred = np.full(len(y), np.nan)
    seconds = []
    for f in range(k):
        tr, te = folds != f, folds == f
        t = time.perf_counter()
        model = make()
        model.fit(X[tr], y[tr])
        seconds.append(time.perf_counter() - t)
        pred[te] = model.predict(X[te])
    rmse = float(np.sqrt(np.mean((pred - y) ** 2)))
    r2 = float(1 - np.sum((pred - y) ** 2) / np.sum((y - y.mean()) ** 2))
    return {"peer": name, "rmse": rmse, "r2": r2, "fitSeconds": float(np.mean(seconds))}

for s in meta["sets"]:
    n, f = s["n"], s["f"]
    X = np.fromfile(f"{folder}/{s['name']}.x", dtype=np.float32).reshape(n, f)
    y = np.fromfile(f"{folder}/{s['name']}.y", dtype=np.float64)
    folds = np.fromfile(f"{folder}/{s['name']}.folds", dtype=np.int32)
    k = int(folds.max()) + 1
    g = meta["gbdt"]
    rows = [
        cv("XGBoost hist (2 threads)", lambda: xgb.XGBRegressor(tree_method="hist", n_estimators=g["trees"], max_depth=g["maxDepth"],
            learning_rate=g["learningRate"], subsample=g["rowSubsample"], colsample_bytree=g["colSubsample"],
            reg_lambda=g["lambda"], min_child_weight=g["minSamplesLeaf"], max_bin=256, n_jobs=2, random_state=1), X, y, folds, k),
        cv("sklearn HistGradientBoosting", lambda: HistGradientBoostingRegressor(max_iter=g["trees"], learning_rate=g["learningRate"],
            max_depth=g["maxDepth"], max_leaf_nodes=g["maxLeaves"], l2_regularization=g["lambda"], min_samples_leaf=g["minSamplesLeaf"],
            early_stopping=False, random_state=1), X, y, folds, k),
        cv("sklearn RandomForest (2 jobs)", lambda: RandomForestRegressor(n_estimators=meta["rf"]["trees"], min_samples_leaf=meta["rf"]["minSamplesLeaf"],
            max_features=s["rfFeaturesPerSplit"], n_jobs=2, random_state=1), X, y, folds, k),
    ]
    for r in rows:
        r["set"] = s["name"]
        print(json.dumps(r), flush=True)

if meta.get("big"):
    b = meta["big"]
    X = np.fromfile(f"{folder}/big.x", dtype=np.float32).reshape(b["n"], b["f"])
    y = np.fromfile(f"{folder}/big.y", dtype=np.float64)
    t = time.perf_counter()
    d = xgb.DMatrix(X, label=y, nthread=2)
    booster = xgb.train({"tree_method": "hist", "max_depth": 6, "eta": 0.1, "nthread": 2, "lambda": 1, "max_bin": 256}, d, b["trees"])
    print(json.dumps({"peer": "XGBoost hist (2 threads)", "set": "big", "fitSeconds": time.perf_counter() - t}), flush=True)
    # XGBoost's own predictor on its model of the same size (300 trees, depth 6), the same rows:
    # how fast a native tree walker goes on this machine, next to ONNX Runtime's
    booster.set_param({"nthread": 2})
    booster.inplace_predict(X[:1000])
    t = time.perf_counter()
    booster.inplace_predict(X)
    print(json.dumps({"peer": "XGBoost inplace_predict (2 threads)", "set": "big-predict", "fitSeconds": time.perf_counter() - t}), flush=True)
