"""Coverage-guided fuzzing of the transcript readers with atheris (optional, not in the test run).

    pip install atheris        # needs clang; not a project dependency
    python scripts/fuzz_readers.py -max_total_time=300 tests/fixtures/transcripts/

The corpus directory seeds the fuzzer with the hand-made fixtures. Any exception other
than coachloop's own InputError is a bug: atheris stops and writes the input to
``crash-*``. The property tests in tests/readers/test_fuzz.py cover the same contract
without atheris.
"""

from __future__ import annotations

import contextlib
import sys


def main() -> None:
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is not installed: pip install atheris (see this file's docstring)")

    with atheris.instrument_imports():
        from coachloop.errors import InputError
        from coachloop.readers import FORMATS, read_bytes

    def one_input(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        choice = fdp.ConsumeIntInRange(0, len(FORMATS))
        fmt = None if choice == len(FORMATS) else FORMATS[choice]
        with contextlib.suppress(InputError):
            read_bytes(fdp.ConsumeBytes(fdp.remaining_bytes()), name="fuzz", format=fmt)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
