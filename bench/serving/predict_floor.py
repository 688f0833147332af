"""The Python peer's floor: XGBoost's in-place prediction of one adult row per call, without HTTP or JSON.

  predict_floor.py MODEL_VERSION_DIR [SECONDS=3]     (the Java counterpart is PredictFloor.java)
"""

import os
import sys
import time

os.environ["LATHE_MODEL_DIR"] = sys.argv[1]
import numpy as np  # noqa: E402
from fastapi_app import model  # noqa: E402  (the served Model: same booster, nthread 1)

seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3
# the first adult row, label-encoded as the pipeline does
row = np.array([[39, 7, 77516, 10, 13, 5, 1, 2, 5, 2, 2174, 0, 40, 39]], dtype=np.float32)
for nthread in (2, 1):
    model.booster.set_param({"nthread": nthread})
    for _ in range(2000):
        model.booster.inplace_predict(row)
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        model.booster.inplace_predict(row)
        calls += 1
    elapsed = time.perf_counter() - start
    print(f"RESULT python floor nthread={nthread} callers=1 calls_per_s={calls / elapsed:.0f} us_per_call={elapsed * 1e6 / calls:.1f}")
