"""This process's memory from ``/proc/self/status``, for the benchmarks.

Not ``getrusage``'s ``ru_maxrss``: in a spawned child it starts at the *parent's*
peak (the forked copy's high-water mark survives the exec), and the benchmarks'
parents have just rendered a whole recording with numpy. ``VmHWM`` is the process's
own peak; writing ``5`` to ``/proc/self/clear_refs`` resets it to the current RSS.
"""

from __future__ import annotations

import resource


def status_mb(field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of this process in MB.

    Off Linux (no ``/proc``) the peak falls back to ``ru_maxrss`` and RSS to 0.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if field == "VmHWM" else 0.0


def peak_mb() -> float:
    return status_mb("VmHWM")


def rss_mb() -> float:
    return status_mb("VmRSS")


def reset_peak() -> bool:
    """``VmHWM`` back to the current RSS; False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True
