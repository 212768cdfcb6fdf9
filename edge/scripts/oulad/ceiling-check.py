"""
Ceiling check for docs/risk-model.md ("Known limits"): how far could any model go on these signals?
Not part of the product or the tests. Needs Debian python3-sklearn (apt-get install python3-sklearn)
and the feature table written by:
  EXPORT_CSV=/tmp/risk/features.csv SETS={} node edge/scripts/oulad/explore-features.ts
Usage: /usr/bin/python3 edge/scripts/oulad/ceiling-check.py /tmp/risk/features.csv
"""
import csv, sys
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
rows = list(csv.reader(open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/risk/features.csv")))
head, rows = rows[0], rows[1:]
m = np.array([r[0] for r in rows]); day = np.array([int(r[1]) for r in rows]); y = np.array([int(r[2]) for r in rows])
pres = np.array([r[3].rsplit("-", 1)[0] for r in rows]); groups = np.array([r[3] for r in rows])
X = np.array([[float(v) if v != "" else np.nan for v in r[4:]] for r in rows])
courses = sorted(set(pres))
P = np.array([[1.0 if x == k else 0.0 for k in courses] for x in pres])
def report(name, pred):
    print(name.ljust(58), " / ".join(f"{roc_auc_score(y[day==D], pred[day==D]):.3f}" for D in (14, 28, 56)), flush=True)
XP = np.hstack([X, P])
p = np.zeros(len(y))
for tr, te in GroupKFold(5).split(XP, y, groups):
    g = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, l2_regularization=1.0, random_state=0)
    g.fit(XP[tr], y[tr]); p[te] = g.predict_proba(XP[te])[:, 1]
report("GBM, all 39 signals + presentation, 5-fold by learner", p)
# logistic, five features + presentation intercepts (missing -> mean), same folds
F = X[:, :5].copy()
for j in range(5):
    col = F[:, j]; col[np.isnan(col)] = np.nanmean(col)
FP = np.hstack([F, P])
p = np.zeros(len(y))
for tr, te in GroupKFold(5).split(FP, y, groups):
    l = LogisticRegression(max_iter=2000); l.fit(FP[tr], y[tr]); p[te] = l.predict_proba(FP[te])[:, 1]
report("logistic, the five + presentation, 5-fold by learner", p)
