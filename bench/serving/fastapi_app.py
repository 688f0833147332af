"""The Python peer of the serving benchmark: FastAPI + uvicorn serving the booster of a Lathe model.

It reads the model's own version folder (LATHE_MODEL_DIR, e.g. <data-dir>/models/bench/adult/1), so both
servers answer from the same trees and the same fitted preprocessing:
  - estimator.bin: Lathe's tree envelope (docs/model-format.md, train/boosted/ModelEnvelope.java): big-endian
    int magic "LXGT", int format version, writeUTF objective, int class count, int feature count, int n and n
    training-info rows of 37 bytes, int length, then XGBoost's own UBJSON model, loaded here unchanged;
  - pipeline.json: one encoder per feature in matrix column order; "numeric" is (value or the training mean
    when NULL - center) / scale, "label" is the 1-based position in the alphabetical vocabulary, 0 for NULL
    or unseen values;
  - manifest.json: the label name and class labels (index 1 is the positive class of a binary booster).

Vertex's body shape in and out: {"instances": [{column: value, ...}]} -> {"predictions": [...]}, each
prediction in Lathe's shape (predicted_<label>, predicted_<label>_probs). Run with the Debian packages:
  LATHE_MODEL_DIR=... /usr/bin/python3 -m uvicorn fastapi_app:app --app-dir bench/serving --port 8091
"""

import json
import math
import os
import struct

import numpy as np
import xgboost as xgb
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

TREE_MAGIC = 0x4C584754  # "LXGT"
TREE_FORMAT_VERSION = 1
TRAINING_INFO_ROW_BYTES = 4 + 8 + 1 + 8 + 8 + 8  # iteration, loss, has eval, eval loss, learning rate, ms


def read_booster_bytes(path):
    """The UBJSON model inside Lathe's tree envelope, and the envelope's objective and feature count."""
    data = open(path, "rb").read()
    magic, version = struct.unpack_from(">ii", data, 0)
    if magic != TREE_MAGIC or version != TREE_FORMAT_VERSION:
        raise ValueError(f"{path}: expected a Lathe tree envelope (magic {TREE_MAGIC:#x}, version "
                         f"{TREE_FORMAT_VERSION}), found magic {magic:#x}, version {version}")
    pos = 8
    (name_len,) = struct.unpack_from(">H", data, pos)
    objective = data[pos + 2:pos + 2 + name_len].decode("utf-8")
    pos += 2 + name_len
    _classes, features, iterations = struct.unpack_from(">iii", data, pos)
    pos += 12 + iterations * TRAINING_INFO_ROW_BYTES
    (length,) = struct.unpack_from(">i", data, pos)
    pos += 4
    if pos + length != len(data):
        raise ValueError(f"{path}: booster length {length} does not end the file ({len(data) - pos} bytes left)")
    return bytearray(data[pos:]), objective, features


def make_encoder(spec):
    """One function from a JSON instance to the feature's value, as Lathe's pipeline encodes it."""
    name = spec["feature"]
    if spec["type"] == "numeric":
        imputation, center, scale = spec["imputation"], spec["center"], spec["scale"]

        def numeric(instance):
            value = instance.get(name)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                value = imputation
            return (value - center) / scale
        return numeric
    if spec["type"] == "label":
        number_of = {value: i + 1 for i, value in enumerate(spec["vocabulary"])}

        def label(instance):
            return number_of.get(instance.get(name), 0)
        return label
    raise ValueError(f"encoder type {spec['type']!r} of feature {name!r} is not supported here; "
                     "the benchmark model uses only 'numeric' and 'label'")


class Model:
    def __init__(self, folder):
        manifest = json.load(open(os.path.join(folder, "manifest.json")))
        pipeline = json.load(open(os.path.join(folder, "pipeline.json")))
        booster_bytes, objective, features = read_booster_bytes(os.path.join(folder, "estimator.bin"))
        if objective != "BINARY":
            raise ValueError(f"only binary classifiers are served here, the model's objective is {objective}")
        self.encoders = [make_encoder(spec) for spec in pipeline["encoders"]]
        if len(self.encoders) != features:
            raise ValueError(f"pipeline has {len(self.encoders)} encoded columns, the booster {features}")
        self.label = manifest["label"]["name"]
        self.classes = manifest["classLabels"]
        self.booster = xgb.Booster()
        self.booster.load_model(booster_bytes)
        # One row per request: OpenMP threads only add overhead; uvicorn workers are the parallelism.
        self.booster.set_param({"nthread": 1})

    def predict(self, instances):
        # float32, as Lathe hands XGBoost floats
        matrix = np.array([[encode(instance) for encode in self.encoders] for instance in instances], dtype=np.float32)
        positive = self.booster.inplace_predict(matrix)
        out = []
        for p in positive.tolist():
            probs = [1.0 - p, p]
            best = 1 if p > 0.5 else 0
            out.append({f"predicted_{self.label}": self.classes[best],
                        # positive class first, as Lathe's response lists them
                        f"predicted_{self.label}_probs": [{"label": self.classes[i], "prob": probs[i]} for i in (1, 0)]})
        return out


model = Model(os.environ["LATHE_MODEL_DIR"])
app = FastAPI()


@app.get("/healthz")
async def healthz():
    return PlainTextResponse("ok")


@app.post("/predict")
async def predict(request: Request):
    body = await request.json()
    return JSONResponse({"predictions": model.predict(body["instances"])})
