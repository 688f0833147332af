#!/usr/bin/python3
"""Writes the imported-model test files: small models trained in Python on the penguins sample.

Run from the repository root with Debian's Python (apt-get install python3-sklearn python3-xgboost
python3-onnx):

    /usr/bin/python3 src/test/resources/imported/make_models.py

No ONNX converter is packaged in Debian, so the ONNX graphs are written with onnx.helper from the
fitted scikit-learn models, following skl2onnx's conventions (a float tensor [N, F] named
float_input; regressors output `variable` [N, 1]; classifiers output `label` and `probabilities`).
expected.csv holds, for the first complete rows of penguins, Python's own predictions of every model,
so the Java tests compare against Python and not against Lathe.
"""
import csv
import json
import os

import numpy as np
import onnx
import sklearn
import xgboost as xgb
from onnx import TensorProto, helper, numpy_helper
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
PENGUINS = os.path.join(HERE, "..", "..", "..", "main", "resources", "dev", "lathe", "samples", "penguins.csv")
REGRESSION_FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "year"]
CLASSIFICATION_FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"]
OPSET = [helper.make_opsetid("", 13)]
EXPECTED_ROWS = 40


def load_penguins():
    rows = []
    with open(PENGUINS, newline="") as f:
        for row in csv.DictReader(f):
            if any(row[c] in ("", "NA") for c in NUMERIC + ["species"]):
                continue  # NULL rows dropped
            rows.append(row)
    return rows


def matrix(rows, columns):
    return np.array([[float(r[c]) for c in columns] for r in rows], dtype=np.float64)


def save(model, name):
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))


def float_tensor(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.float32), name)


def linear_regression_onnx(model, features, per_column_inputs):
    """MatMul + Add, output `variable` [N, 1]; either one [N, F] input or one [N, 1] input per column."""
    nodes = []
    if per_column_inputs:
        inputs = [helper.make_tensor_value_info(f, TensorProto.FLOAT, [None, 1]) for f in features]
        nodes.append(helper.make_node("Concat", features, ["float_input"], axis=1))
    else:
        inputs = [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, len(features)])]
    nodes += [helper.make_node("MatMul", ["float_input", "coef"], ["multiplied"]),
              helper.make_node("Add", ["multiplied", "intercept"], ["variable"])]
    graph = helper.make_graph(nodes, "linear_regression", inputs,
                              [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])],
                              [float_tensor("coef", model.coef_.reshape(-1, 1)), float_tensor("intercept", [model.intercept_])])
    return helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")


def logistic_regression_onnx(pipeline, features):
    """StandardScaler then multinomial LogisticRegression: Sub, Div, MatMul, Add, Softmax, ArgMax, Gather."""
    scaler, logistic = pipeline.steps[0][1], pipeline.steps[1][1]
    classes = numpy_helper.from_array(np.array([c.encode() for c in logistic.classes_], dtype=object), "classes")
    nodes = [helper.make_node("Sub", ["float_input", "mean"], ["centered"]),
             helper.make_node("Div", ["centered", "scale"], ["scaled"]),
             helper.make_node("MatMul", ["scaled", "coef"], ["multiplied"]),
             helper.make_node("Add", ["multiplied", "intercept"], ["scores"]),
             helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1),
             helper.make_node("ArgMax", ["probabilities"], ["class_index"], axis=1, keepdims=0),
             helper.make_node("Gather", ["classes", "class_index"], ["label"], axis=0)]
    graph = helper.make_graph(
        nodes, "logistic_regression",
        [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, len(features)])],
        [helper.make_tensor_value_info("label", TensorProto.STRING, [None]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(logistic.classes_)])],
        [float_tensor("mean", scaler.mean_), float_tensor("scale", scaler.scale_),
         float_tensor("coef", logistic.coef_.T), float_tensor("intercept", logistic.intercept_), classes])
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")
    # The feature names travel in the file, so CREATE MODEL needs no INPUT clause.
    helper.set_model_props(model, {"feature_names": json.dumps(features)})
    return model


def tree_regressor_onnx(tree, features):
    """A fitted DecisionTreeRegressor as ai.onnx.ml TreeEnsembleRegressor (X <= threshold goes left)."""
    t = tree.tree_
    attributes = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                                  "nodes_truenodeids", "nodes_falsenodeids", "target_ids", "target_nodeids",
                                  "target_treeids", "target_weights"]}
    for node in range(t.node_count):
        leaf = t.children_left[node] == -1
        attributes["nodes_treeids"].append(0)
        attributes["nodes_nodeids"].append(node)
        attributes["nodes_featureids"].append(0 if leaf else int(t.feature[node]))
        attributes["nodes_values"].append(0.0 if leaf else float(t.threshold[node]))
        attributes["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
        attributes["nodes_truenodeids"].append(0 if leaf else int(t.children_left[node]))
        attributes["nodes_falsenodeids"].append(0 if leaf else int(t.children_right[node]))
        if leaf:
            attributes["target_ids"].append(0)
            attributes["target_nodeids"].append(node)
            attributes["target_treeids"].append(0)
            attributes["target_weights"].append(float(t.value[node][0][0]))
    node = helper.make_node("TreeEnsembleRegressor", ["float_input"], ["variable"], domain="ai.onnx.ml", n_targets=1,
                            **attributes)
    graph = helper.make_graph(
        [node], "tree_regressor",
        [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, len(features)])],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])])
    model = helper.make_model(graph, opset_imports=OPSET + [helper.make_opsetid("ai.onnx.ml", 3)],
                              producer_name="lathe make_models.py")
    helper.set_model_props(model, {"feature_names": json.dumps(features)})
    return model


def integer_sum_onnx():
    """Two INT32 features summed into a DOUBLE: whole numbers in, so fractions or values beyond INT32 must be refused."""
    nodes = [helper.make_node("ReduceSum", ["int_input", "axes"], ["total"], keepdims=1),
             helper.make_node("Cast", ["total"], ["sum"], to=TensorProto.DOUBLE)]
    graph = helper.make_graph(
        nodes, "integer_sum",
        [helper.make_tensor_value_info("int_input", TensorProto.INT32, [None, 2])],
        [helper.make_tensor_value_info("sum", TensorProto.DOUBLE, [None, 1])],
        [numpy_helper.from_array(np.asarray([1], dtype=np.int64), "axes")])
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")
    helper.set_model_props(model, {"feature_names": json.dumps(["a", "b"])})
    return model


def unsigned_onnx(as_input):
    """UINT8/16/32 outputs of a DOUBLE input x (x, x * 160, x * 16,000,000, so 250 gives 250, 40,000 and 4e9: each past
    its signed type's range); or, as_input, a UINT32 input, which Lathe cannot feed and refuses."""
    if as_input:
        graph = helper.make_graph(
            [helper.make_node("Cast", ["u"], ["as_double"], to=TensorProto.DOUBLE)], "uint32_input",
            [helper.make_tensor_value_info("u", TensorProto.UINT32, [None])],
            [helper.make_tensor_value_info("as_double", TensorProto.DOUBLE, [None])])
    else:
        graph = helper.make_graph(
            [helper.make_node("Mul", ["x", "k16"], ["x16"]), helper.make_node("Mul", ["x", "k32"], ["x32"]),
             helper.make_node("Cast", ["x"], ["u8"], to=TensorProto.UINT8),
             helper.make_node("Cast", ["x16"], ["u16"], to=TensorProto.UINT16),
             helper.make_node("Cast", ["x32"], ["u32"], to=TensorProto.UINT32)], "unsigned_outputs",
            [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [None])],
            [helper.make_tensor_value_info("u8", TensorProto.UINT8, [None]),
             helper.make_tensor_value_info("u16", TensorProto.UINT16, [None]),
             helper.make_tensor_value_info("u32", TensorProto.UINT32, [None])],
            [numpy_helper.from_array(np.asarray([160.0]), "k16"), numpy_helper.from_array(np.asarray([16000000.0]), "k32")])
    return helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")


def int64_identity_onnx():
    """An INT64 input n given back as an INT64 output: values pass through DOUBLE, so only up to 2^53 - 1 are taken."""
    graph = helper.make_graph(
        [helper.make_node("Identity", ["n"], ["same"])], "int64_identity",
        [helper.make_tensor_value_info("n", TensorProto.INT64, [None])],
        [helper.make_tensor_value_info("same", TensorProto.INT64, [None])])
    return helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")


def mixed_inputs_onnx():
    """A [N, 3] input beside a [N] one: no columns can feed it, so Lathe refuses the graph."""
    graph = helper.make_graph(
        [helper.make_node("ReduceSum", ["m", "axes"], ["total"], keepdims=0), helper.make_node("Add", ["total", "s"], ["sum"])],
        "mixed_inputs",
        [helper.make_tensor_value_info("m", TensorProto.FLOAT, [None, 3]), helper.make_tensor_value_info("s", TensorProto.FLOAT, [None])],
        [helper.make_tensor_value_info("sum", TensorProto.FLOAT, [None])],
        [numpy_helper.from_array(np.asarray([1], dtype=np.int64), "axes")])
    return helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")


def one_feature_onnx():
    """scikit-learn's layout for one feature: float_input [N, 1], its name in feature_names; variable = 2 * the feature."""
    graph = helper.make_graph(
        [helper.make_node("Mul", ["float_input", "two"], ["variable"])], "one_feature",
        [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, 1])],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])],
        [float_tensor("two", [2.0])])
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")
    helper.set_model_props(model, {"feature_names": json.dumps(["bill_length_mm"])})
    return model


def case_outputs_onnx():
    """Two outputs named alike but for case: `score` = 2x and `Score` = 3x of a DOUBLE input x."""
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["score"]), helper.make_node("Mul", ["x", "three"], ["Score"])], "case_outputs",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [None])],
        [helper.make_tensor_value_info("score", TensorProto.DOUBLE, [None]),
         helper.make_tensor_value_info("Score", TensorProto.DOUBLE, [None])],
        [numpy_helper.from_array(np.asarray([2.0]), "two"), numpy_helper.from_array(np.asarray([3.0]), "three")])
    return helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")


def case_inputs_onnx(in_metadata):
    """Inputs named alike but for case, refused: graph inputs `a` and `A` (DOUBLE [N], summed into `sum`); or, in_metadata,
    one DOUBLE [N, 2] input whose feature_names are `a` and `A`."""
    if in_metadata:
        nodes = [helper.make_node("ReduceSum", ["x", "axes"], ["sum"], keepdims=0)]
        inputs = [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [None, 2])]
        initializers = [numpy_helper.from_array(np.asarray([1], dtype=np.int64), "axes")]
    else:
        nodes = [helper.make_node("Add", ["a", "A"], ["sum"])]
        inputs = [helper.make_tensor_value_info(n, TensorProto.DOUBLE, [None]) for n in ["a", "A"]]
        initializers = []
    graph = helper.make_graph(nodes, "case_inputs", inputs, [helper.make_tensor_value_info("sum", TensorProto.DOUBLE, [None])],
                              initializers)
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")
    if in_metadata:
        helper.set_model_props(model, {"feature_names": json.dumps(["a", "A"])})
    return model


def misshapen_onnx(fixed_batch):
    """Graphs Lathe must refuse clearly: a fixed batch of 1, or an output summed over the whole batch ([1, 1] for N rows)."""
    if fixed_batch:
        nodes = [helper.make_node("Identity", ["x"], ["y"])]
        inputs = [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [1, 2])]
        outputs = [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [1, 2])]
        initializers = []
    else:
        nodes = [helper.make_node("ReduceSum", ["x"], ["y"], keepdims=1)]  # no axes: every element, shape [1, 1]
        inputs = [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [None, 2])]
        outputs = [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [None, 1])]
        initializers = []
    graph = helper.make_graph(nodes, "misshapen", inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="lathe make_models.py")
    helper.set_model_props(model, {"feature_names": json.dumps(["a", "b"])})
    return model


def main():
    rows = load_penguins()
    x_reg = matrix(rows, REGRESSION_FEATURES)
    y_reg = matrix(rows, ["body_mass_g"])[:, 0]
    x_cls = matrix(rows, CLASSIFICATION_FEATURES)
    species = sorted({r["species"] for r in rows})
    y_cls = np.array([species.index(r["species"]) for r in rows])
    sample = rows[:EXPECTED_ROWS]
    expected = {c: [r[c] for r in sample] for c in NUMERIC + ["species"]}

    # XGBoost regressor with feature names and types, saved as JSON and UBJ; and one without names.
    train = xgb.DMatrix(x_reg, label=y_reg, feature_names=REGRESSION_FEATURES, feature_types=["float"] * 4)
    params = {"objective": "reg:squarederror", "max_depth": 3, "eta": 0.3, "seed": 7}
    regressor = xgb.train(params, train, num_boost_round=20)
    regressor.save_model(os.path.join(HERE, "xgb_regressor.json"))
    regressor.save_model(os.path.join(HERE, "xgb_regressor.ubj"))
    unnamed = xgb.train(params, xgb.DMatrix(x_reg, label=y_reg), num_boost_round=5)
    unnamed.save_model(os.path.join(HERE, "xgb_regressor_unnamed.json"))
    expected["xgb_regressor"] = regressor.predict(xgb.DMatrix(x_reg[:EXPECTED_ROWS], feature_names=REGRESSION_FEATURES,
                                                              feature_types=["float"] * 4)).tolist()

    # XGBoost multiclass classifier (multi:softprob: one probability per class).
    classifier = xgb.train({"objective": "multi:softprob", "num_class": len(species), "max_depth": 2, "seed": 7},
                           xgb.DMatrix(x_cls, label=y_cls, feature_names=CLASSIFICATION_FEATURES,
                                       feature_types=["float"] * 4), num_boost_round=10)
    classifier.save_model(os.path.join(HERE, "xgb_classifier.json"))
    probabilities = classifier.predict(xgb.DMatrix(x_cls[:EXPECTED_ROWS], feature_names=CLASSIFICATION_FEATURES,
                                                   feature_types=["float"] * 4))
    for c in range(len(species)):
        expected["xgb_classifier_p%d" % c] = probabilities[:, c].tolist()

    # XGBoost binary:logitraw (Adelie or not): its base_score is the margin itself (a base_score of 0.3 makes a misreading
    # as a probability plain). The DART booster is predicted by XGBoost4J, not Lathe's tree walker (probe sa: it was off
    # by sigmoid(0.3) - 0.3 when Lathe rewrote the base_score).
    adelie = (y_cls == 0).astype(int)
    logitraw = xgb.train({"objective": "binary:logitraw", "base_score": 0.3, "max_depth": 2, "seed": 7},
                         xgb.DMatrix(x_cls, label=adelie, feature_names=CLASSIFICATION_FEATURES, feature_types=["float"] * 4),
                         num_boost_round=5)
    logitraw.save_model(os.path.join(HERE, "xgb_logitraw.json"))
    logitraw.save_model(os.path.join(HERE, "xgb_logitraw.ubj"))
    logitraw.save_model(os.path.join(HERE, "xgb_logitraw.model"))  # the legacy binary format, its version in the header
    expected["xgb_logitraw"] = logitraw.predict(xgb.DMatrix(x_cls[:EXPECTED_ROWS], feature_names=CLASSIFICATION_FEATURES,
                                                            feature_types=["float"] * 4)).tolist()
    logitraw_dart = xgb.train({"objective": "binary:logitraw", "base_score": 0.3, "max_depth": 2, "seed": 7, "booster": "dart",
                               "rate_drop": 0.2}, xgb.DMatrix(x_cls, label=adelie, feature_names=CLASSIFICATION_FEATURES,
                                                               feature_types=["float"] * 4), num_boost_round=5)
    logitraw_dart.save_model(os.path.join(HERE, "xgb_logitraw_dart.json"))
    expected["xgb_logitraw_dart"] = logitraw_dart.predict(xgb.DMatrix(x_cls[:EXPECTED_ROWS], feature_names=CLASSIFICATION_FEATURES,
                                                                      feature_types=["float"] * 4)).tolist()

    # A multi-target regressor (num_target 2): predicted_label is an array of both targets.
    targets = np.column_stack([y_reg, y_reg * 0.5 - x_reg[:, 0]])
    multi_target = xgb.train({"tree_method": "hist", "max_depth": 2, "seed": 7},
                             xgb.DMatrix(x_reg, label=targets, feature_names=REGRESSION_FEATURES, feature_types=["float"] * len(REGRESSION_FEATURES)),
                             num_boost_round=3)
    multi_target.save_model(os.path.join(HERE, "xgb_multi_target.json"))
    both = multi_target.predict(xgb.DMatrix(x_reg[:EXPECTED_ROWS], feature_names=REGRESSION_FEATURES,
                                            feature_types=["float"] * len(REGRESSION_FEATURES)))
    for t in range(2):
        expected["xgb_multi_target_%d" % t] = both[:, t].tolist()

    # reg:gamma as XGBoost 1.7 writes it, in JSON, UBJSON and the legacy binary format: its objective has no parameters
    # object, without which XGBoost4J 2.x cannot load it (Lathe adds the one 2.x writes). base_score 4000 is the mean, not
    # the margin (log of it), for gamma.
    gamma = xgb.train({"objective": "reg:gamma", "base_score": 4000, "max_depth": 3, "eta": 0.3, "seed": 7},
                      xgb.DMatrix(x_reg, label=y_reg, feature_names=REGRESSION_FEATURES, feature_types=["float"] * 4),
                      num_boost_round=20)
    for extension in ["json", "ubj", "model"]:
        gamma.save_model(os.path.join(HERE, "xgb_gamma." + extension))
    expected["xgb_gamma"] = gamma.predict(xgb.DMatrix(x_reg[:EXPECTED_ROWS], feature_names=REGRESSION_FEATURES,
                                                      feature_types=["float"] * 4)).tolist()

    # Files Lathe refuses clearly: a categorical model (feature type 'c').
    rng = np.random.default_rng(3)
    x_small = np.column_stack([rng.integers(0, 3, 200).astype(float), rng.normal(size=200)])
    y_small = np.abs(x_small[:, 0] + x_small[:, 1]) + 0.1
    categorical = xgb.train({"tree_method": "hist", "max_cat_to_onehot": 1, "max_depth": 2, "seed": 7},
                            xgb.DMatrix(x_small, label=y_small, feature_names=["k", "x"], feature_types=["c", "q"],
                                        enable_categorical=True), num_boost_round=3)
    categorical.save_model(os.path.join(HERE, "xgb_categorical.json"))
    # feature names alike but for case, one column name in SQL: refused
    case_inputs = xgb.train({"max_depth": 2, "seed": 7}, xgb.DMatrix(x_small, label=y_small, feature_names=["a", "A"]),
                            num_boost_round=2)
    case_inputs.save_model(os.path.join(HERE, "xgb_case_inputs.json"))

    # ONNX: linear regression (one [N, F] input; and one input per column), logistic regression, a tree.
    linear = LinearRegression().fit(x_reg, y_reg)
    save(linear_regression_onnx(linear, REGRESSION_FEATURES, False), "linear_regression.onnx")
    save(linear_regression_onnx(linear, REGRESSION_FEATURES, True), "linear_regression_columns.onnx")
    expected["onnx_linear"] = linear.predict(x_reg[:EXPECTED_ROWS]).tolist()

    logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x_cls, np.array([r["species"] for r in rows]))
    save(logistic_regression_onnx(logistic, CLASSIFICATION_FEATURES), "logistic_regression.onnx")
    expected["onnx_logistic_label"] = logistic.predict(x_cls[:EXPECTED_ROWS]).tolist()
    proba = logistic.predict_proba(x_cls[:EXPECTED_ROWS])
    for c in range(len(species)):
        expected["onnx_logistic_p%d" % c] = proba[:, c].tolist()

    save(integer_sum_onnx(), "integer_sum.onnx")
    save(unsigned_onnx(False), "unsigned_outputs.onnx")
    save(unsigned_onnx(True), "uint32_input.onnx")
    save(int64_identity_onnx(), "int64_identity.onnx")
    save(mixed_inputs_onnx(), "mixed_inputs.onnx")
    save(one_feature_onnx(), "one_feature.onnx")
    # the same graph with its weights in an external data file beside it: refused (Lathe copies one file)
    onnx.save_model(one_feature_onnx(), os.path.join(HERE, "external_data.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="external_data.onnx.data", size_threshold=0)
    save(case_outputs_onnx(), "case_outputs.onnx")
    save(case_inputs_onnx(False), "case_inputs.onnx")
    save(case_inputs_onnx(True), "case_feature_names.onnx")
    save(misshapen_onnx(True), "fixed_batch.onnx")
    save(misshapen_onnx(False), "batch_sum.onnx")

    # Trees compare float32 features with float32 thresholds, so the sklearn tree sees float32 input too.
    tree = DecisionTreeRegressor(max_depth=4, random_state=7).fit(x_reg.astype(np.float32), y_reg)
    save(tree_regressor_onnx(tree, REGRESSION_FEATURES), "tree_regressor.onnx")
    expected["onnx_tree"] = tree.predict(x_reg[:EXPECTED_ROWS].astype(np.float32)).tolist()

    with open(os.path.join(HERE, "expected.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(list(expected))
        for i in range(len(sample)):
            writer.writerow([repr(v[i]) if isinstance(v[i], float) else v[i] for v in expected.values()])
    print("numpy", np.__version__, "scikit-learn", sklearn.__version__, "xgboost", xgb.__version__, "onnx", onnx.__version__)


if __name__ == "__main__":
    main()
