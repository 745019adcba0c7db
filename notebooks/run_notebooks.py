"""Executes every notebook in this folder headless against a dataset directory; exits non-zero
if any cell fails. Used by `make test` on the output of the sample run."""
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "output").resolve()
    os.environ["STANCEWATCH_OUTPUT"] = str(out)
    os.environ["STANCEWATCH_HEADLESS"] = "1"
    passed = failed = 0
    for path in sorted(HERE.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        try:
            NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
            passed += 1
            print(f"notebook ok: {path.name}")
        except Exception as e:  # noqa: BLE001 - report every failing notebook
            failed += 1
            print(f"notebook FAILED: {path.name}: {e}", file=sys.stderr)
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
