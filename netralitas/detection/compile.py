"""``python -m netralitas.detection.compile [build|status]``: see :mod:`.accel`."""

from .accel import main

if __name__ == "__main__":
    raise SystemExit(main())
