"""
Course-level signals for docs/risk-model.md ("The feature search"): do facts about the course
rather than the learner (how many of its learners had already withdrawn by day D, its assessment
plan) carry a module's withdrawal rate to a module the model has not seen? Not part of the product
or the tests. Needs Debian python3-sklearn and the feature table written by:
  EXPORT_CSV=/tmp/risk/features.csv SETS={} node edge/scripts/oulad/explore-features.ts
Usage: /usr/bin/python3 edge/scripts/oulad/course-level-check.py [features.csv] [oulad dir]
Each set: the five model features plus the course signal, logistic regression (sklearn, C=1,
missing values at the mean), leave-one-module-out, pooled ROC AUC at days 14 / 28 / 56.
"""
import csv, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

table = sys.argv[1] if len(sys.argv) > 1 else "/tmp/risk/features.csv"
oulad = (sys.argv[2] if len(sys.argv) > 2 else "../shared/data/oulad-2013").rstrip("/") + "/"
read = lambda name: list(csv.DictReader(open(oulad + name, encoding="latin-1")))
registrations, assessments = read("studentRegistration.csv"), read("assessments.csv")
rows = list(csv.reader(open(table)))
head, rows = rows[0], rows[1:]
col_of = {n: i for i, n in enumerate(head)}
module = np.array([r[0] for r in rows]); day = np.array([int(r[1]) for r in rows])
y = np.array([int(r[2]) for r in rows]); presentation = np.array([r[3].rsplit("-", 1)[0] for r in rows])

def column(name):
    return np.array([float(r[col_of[name]]) if r[col_of[name]] != "" else np.nan for r in rows])

five = np.column_stack([column(n) for n in ["missedWork", "lateWork", "scoreShortfall", "studyLoad", "courseWeek"]])

def withdrawn_by(p, d):
    """Share of the presentation's registrations made by day d that had ended by day d."""
    m, pres = p.split("-")
    mine = [r for r in registrations if r["code_module"] == m and r["code_presentation"] == pres
            and r["date_registration"] != "" and int(r["date_registration"]) <= d]
    gone = [r for r in mine if r["date_unregistration"] != "" and int(r["date_unregistration"]) <= d]
    return len(gone) / max(1, len(mine))

def plan(p):
    m, pres = p.split("-")
    mine = [a for a in assessments if a["code_module"] == m and a["code_presentation"] == pres]
    weight = lambda kind: sum(float(a["weight"]) for a in mine if a["assessment_type"] == kind)
    total = weight("Exam") + weight("TMA") + weight("CMA")
    return [weight("Exam") / total, sum(a["assessment_type"] == "TMA" for a in mine),
            sum(a["assessment_type"] == "CMA" for a in mine), 1.0 if weight("CMA") > 0 else 0.0]

memo = {}
cohort_gone = np.array([memo.setdefault((p, d), withdrawn_by(p, d)) for p, d in zip(presentation, day)])
plans = {p: plan(p) for p in set(presentation)}
course_plan = np.array([plans[p] for p in presentation])
print("presentation, day: withdrawn by D / withdraws after D")
for (p, d), share in sorted(memo.items()):
    if d in (14, 28, 56):
        print(f"  {p} {d:>3}: {share:.3f} / {y[(presentation == p) & (day == d)].mean():.3f}")

def lomo(extra, name):
    X = np.column_stack([five, extra]) if extra is not None else five.copy()
    for j in range(X.shape[1]):
        c = X[:, j]; c[np.isnan(c)] = np.nanmean(c)
    p = np.zeros(len(y))
    for m in sorted(set(module)):
        test = module == m
        fit = LogisticRegression(C=1.0, max_iter=3000).fit(X[~test], y[~test])
        p[test] = fit.predict_proba(X[test])[:, 1]
    print(name.ljust(48), " / ".join(f"{roc_auc_score(y[day == d], p[day == d]):.3f}" for d in (14, 28, 56)), flush=True)

lomo(None, "the five")
lomo(cohort_gone, "+ share of the course already withdrawn by D")
lomo(np.log(cohort_gone + 0.01), "+ ln(that share)")
lomo(course_plan[:, 0], "+ exam share of the grade")
lomo(course_plan[:, 1], "+ number of tutor-marked assignments")
lomo(course_plan[:, 2], "+ number of computer-marked quizzes")
lomo(course_plan[:, 3], "+ quizzes carry grade weight")
