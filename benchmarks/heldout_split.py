"""Write the corpus's fixed held-out split to one JSONL file, for evaluate-detector.

python benchmarks/heldout_split.py /tmp/heldout.jsonl
netralitas evaluate-detector /tmp/heldout.jsonl
"""

from __future__ import annotations

import sys
from pathlib import Path

from netralitas.detection.metrics import is_held_out

CORPUS = Path(__file__).resolve().parents[1] / "netralitas" / "detection" / "data" / "corpus"


def main() -> int:
    import json

    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for path in sorted(CORPUS.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and is_held_out(row := json.loads(line)):
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += 1
    print(f"{n} held-out texts written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
