from __future__ import annotations

import sys
from pathlib import Path

# The fully answered default pilot lives with the rules tests; share it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
