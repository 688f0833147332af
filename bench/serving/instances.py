"""Adult rows as Vertex instances, and the parity check between the two servers.

  instances.py body ADULT_CSV OUT_JSON          the request body of the benchmark: the first row, label dropped
  instances.py parity ADULT_CSV LATHE_URL PEER_URL N
      sends N rows (every row with a missing value among the first 2,000 first, then the first rows) one per
      request to both servers; prints the largest absolute difference of P(>50K) and the label agreement

Types follow the warehouse's (DuckDB's CSV reader: BIGINT for the numeric columns); an empty field is NULL and
is sent as JSON null, which both servers encode as Lathe's pipeline does.
"""

import csv
import json
import sys
import urllib.request

LABEL = "income"
POSITIVE = ">50K"


def rows(path):
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            instance = {}
            for name, value in row.items():
                if name == LABEL:
                    continue
                if value == "":
                    instance[name] = None
                else:
                    try:
                        instance[name] = int(value)
                    except ValueError:
                        instance[name] = value
            yield instance


def post(url, instance):
    body = json.dumps({"instances": [instance]}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        prediction = json.load(response)["predictions"][0]
    probs = {p["label"]: p["prob"] for p in prediction[f"predicted_{LABEL}_probs"]}
    return prediction[f"predicted_{LABEL}"], probs[POSITIVE]


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "body":
        with open(sys.argv[3], "w") as out:
            json.dump({"instances": [next(rows(path))]}, out)
        return
    if command != "parity":
        sys.exit(f"unknown command {command!r}: body or parity")
    lathe_url, peer_url, n = sys.argv[3], sys.argv[4], int(sys.argv[5])
    first = list(rows(path))[:2000]
    with_null = [r for r in first if any(v is None for v in r.values())]
    chosen = (with_null + [r for r in first if r not in with_null])[:n]
    worst, agree, nulls = 0.0, 0, 0
    for instance in chosen:
        lathe_label, lathe_p = post(lathe_url, instance)
        peer_label, peer_p = post(peer_url, instance)
        worst = max(worst, abs(lathe_p - peer_p))
        agree += lathe_label == peer_label
        nulls += any(v is None for v in instance.values())
    print(f"PARITY instances={len(chosen)} with_nulls={nulls} max_abs_diff_p={worst:.3g} labels_agree={agree}/{len(chosen)}"
          f" example_lathe={lathe_p!r} example_peer={peer_p!r}")


if __name__ == "__main__":
    main()
