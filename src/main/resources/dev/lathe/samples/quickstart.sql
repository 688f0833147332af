-- Lathe speaks BigQuery ML's SQL on an embedded DuckDB warehouse. This walk-through
-- runs the whole lifecycle on two small public datasets: load, train, evaluate,
-- predict, inspect. Every statement below also runs unchanged in `./lathe sql`.
--
-- Step 1. Load data. A dataset is a schema; LOAD DATA reads local files with schema inference.
CREATE SCHEMA IF NOT EXISTS quickstart;

LOAD DATA OVERWRITE INTO quickstart.penguins
FROM FILES (format = 'CSV', uris = ['${samples}/penguins.csv']);

LOAD DATA OVERWRITE INTO quickstart.telco_churn
FROM FILES (format = 'CSV', uris = ['${samples}/telco_churn.csv']);

-- Plain SQL goes straight to DuckDB.
SELECT species, island, count(*) AS penguins, round(avg(body_mass_g)) AS avg_mass_g
FROM quickstart.penguins GROUP BY ALL ORDER BY ALL;

-- Step 2. Train a linear regression, exactly as in BigQuery ML's penguin tutorial.
-- Numeric features are standardized, categories one-hot encoded (NULL is its own category),
-- and with fewer than 500 rows AUTO_SPLIT keeps every row for training.
CREATE OR REPLACE MODEL `quickstart.penguin_weight`
OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
SELECT * EXCEPT (year) FROM quickstart.penguins WHERE body_mass_g IS NOT NULL;

-- Step 3. Evaluate. Without input data ML.EVALUATE reports the metrics computed at training: on the
-- evaluation split when there is one; here, with no split, on the training rows themselves (in-sample).
-- Give it a table or query of held-out rows to measure the model on new data.
SELECT * FROM ML.EVALUATE(MODEL `quickstart.penguin_weight`);

-- Step 4. Predict. ML.PREDICT adds predicted_<label> in front of the input columns.
SELECT predicted_body_mass_g, body_mass_g, species, island, sex
FROM ML.PREDICT(MODEL `quickstart.penguin_weight`,
  (SELECT * FROM quickstart.penguins WHERE island = 'Biscoe'))
LIMIT 5;

-- Step 5. Inspect the weights, on the scale of the raw inputs.
SELECT processed_input, round(weight, 3) AS weight, category_weights
FROM ML.WEIGHTS(MODEL `quickstart.penguin_weight`);

-- Step 6. A boosted tree classifier (XGBoost) on 7,043 telco customers. With more than
-- 500 rows AUTO_SPLIT holds out 20 % for evaluation, and training stops early once the
-- evaluation loss improves by less than 1 % a round.
CREATE OR REPLACE MODEL quickstart.churn
OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['churn'], max_iterations = 50) AS
SELECT * FROM quickstart.telco_churn;

SELECT * FROM ML.EVALUATE(MODEL quickstart.churn);

SELECT * FROM ML.CONFUSION_MATRIX(MODEL quickstart.churn);

SELECT feature, importance_weight, round(importance_gain, 2) AS importance_gain
FROM ML.FEATURE_IMPORTANCE(MODEL quickstart.churn) ORDER BY importance_gain DESC LIMIT 5;

-- Step 7. ML functions compose with SQL: group predictions, or save them as a table.
SELECT contract, predicted_churn, count(*) AS customers
FROM ML.PREDICT(MODEL quickstart.churn, TABLE quickstart.telco_churn)
GROUP BY ALL ORDER BY ALL;

CREATE OR REPLACE TABLE quickstart.churn_scored AS
SELECT * FROM ML.PREDICT(MODEL quickstart.churn, TABLE quickstart.telco_churn, STRUCT(0.3 AS threshold));

SELECT count(*) AS flagged_at_threshold_0_3 FROM quickstart.churn_scored WHERE predicted_churn = 'Yes';

-- Step 8. Multiclass logistic regression on species, counted below against the true species;
-- beside predicted_species, ML.PREDICT gives predicted_species_probs, one probability per
-- class (the example at the end shows it).
CREATE OR REPLACE MODEL quickstart.penguin_species
OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS
SELECT species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, sex FROM quickstart.penguins;

SELECT species, predicted_species, count(*) AS penguins
FROM ML.PREDICT(MODEL quickstart.penguin_species, TABLE quickstart.penguins)
GROUP BY ALL ORDER BY ALL;

-- Step 9. Clustering without labels: k-means on the measurements.
CREATE OR REPLACE MODEL quickstart.penguin_clusters
OPTIONS (model_type = 'kmeans', num_clusters = 3) AS
SELECT bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g FROM quickstart.penguins;

SELECT centroid_id, feature, round(numerical_value, 1) AS value
FROM ML.CENTROIDS(MODEL quickstart.penguin_clusters) ORDER BY feature, centroid_id;

-- Step 10. Every model is a versioned artifact with provenance (training SQL, options with
-- their effective defaults, an input fingerprint, metrics, training info) under the data
-- directory; CREATE OR REPLACE keeps the previous version (`${lathe} models versions quickstart.churn`
-- lists them, and `quickstart.churn@1` names one in SQL). Its training, round by round:
SELECT iteration, round(loss, 4) AS loss, round(eval_loss, 4) AS eval_loss, duration_ms
FROM ML.TRAINING_INFO(MODEL quickstart.churn) ORDER BY iteration DESC LIMIT 5;
