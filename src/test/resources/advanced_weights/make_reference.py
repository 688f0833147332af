#!/usr/bin/env python3
"""Reference standard errors and p-values for ML.ADVANCED_WEIGHTS (AdvancedWeightsTest), from statsmodels.

Run from the repository root with Debian's packages (apt-get install python3-statsmodels python3-pandas):
    /usr/bin/python3 src/test/resources/advanced_weights/make_reference.py
It reads the bundled penguins sample (rows with body_mass_g and sex) and writes reference.csv beside itself: one row per
model and parameter, named as ML.ADVANCED_WEIGHTS names them (processed_input, category; the intercept __INTERCEPT__).
DUMMY_ENCODING drops each categorical feature's most frequent training value: Adelie, Biscoe and male here.

  linear       OLS   body_mass_g ~ species + island + bill_length_mm + bill_depth_mm + flipper_length_mm + sex (raw scale)
  linear_std   the same OLS on numbers standardized with the sample standard deviation (ML.ADVANCED_WEIGHTS standardize)
  logistic     Logit sex = 'male' ~ species + bill_length_mm + bill_depth_mm + flipper_length_mm + body_mass_g (the MLE)
  weighted     the logistic model with CLASS_WEIGHTS male 2, female 1: a binomial GLM with those frequency weights
"""
import csv
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
data = pd.read_csv(os.path.join(HERE, "..", "datasets", "penguins.csv"))
data = data[data.body_mass_g.notna() & data.sex.notna()].reset_index(drop=True)


def design(columns, numeric, standardize=False):
    x = pd.DataFrame(index=data.index)
    for feature, categories in columns:
        for category in categories:
            x[(feature, category)] = (data[feature] == category).astype(float)
    for feature in numeric:
        values = data[feature].astype(float)
        x[(feature, None)] = (values - values.mean()) / values.std(ddof=1) if standardize else values
    x.insert(0, ("__INTERCEPT__", None), 1.0)
    return x


categorical = [("species", ["Chinstrap", "Gentoo"]), ("island", ["Dream", "Torgersen"]), ("sex", ["female"])]
numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]
male = (data.sex == "male").astype(float)
logistic = design([("species", ["Chinstrap", "Gentoo"])], numeric + ["body_mass_g"])
fits = {
    "linear": sm.OLS(data.body_mass_g, design(categorical, numeric)).fit(),
    "linear_std": sm.OLS(data.body_mass_g, design(categorical, numeric, standardize=True)).fit(),
    "logistic": sm.Logit(male, logistic).fit(disp=0, tol=1e-12, maxiter=200),
    "weighted": sm.GLM(male, logistic, family=sm.families.Binomial(), freq_weights=np.where(male == 1, 2.0, 1.0))
                  .fit(tol=1e-13, maxiter=200),
}
with open(os.path.join(HERE, "reference.csv"), "w", newline="") as out:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["model", "processed_input", "category", "weight", "standard_error", "p_value"])
    for name, fit in fits.items():
        for (feature, category), weight, error, p in zip(fit.params.index, fit.params, fit.bse, fit.pvalues):
            writer.writerow([name, feature, category or "", repr(float(weight)), repr(float(error)), repr(float(p))])
