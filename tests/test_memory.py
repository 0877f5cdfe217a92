"""Large buffers go back to the system when freed, after malloc has seen one freed before."""

import subprocess
import sys

import pytest

from repodigest.memory import give_back_large_buffers

CHURN = """
import sys
from repodigest.memory import give_back_large_buffers
if sys.argv[1] == "fixed":
    give_back_large_buffers()
big = bytes(8 << 20)
del big  # one large buffer freed: glibc raises its mmap threshold past 8 MB
pinned, texts = [], []
for n in range(300):
    texts.append(b"%d" % n * (100 << 10))  # a file's text, 200-300 kB
    pinned.append(b"%d" % n * 400)  # an object from malloc (over pymalloc's 512 bytes) that stays
texts.clear()
with open("/proc/self/statm") as statm:
    print(int(statm.read().split()[1]) * 4096 >> 20)
"""


def _resident_mb(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", CHURN, mode], capture_output=True, text=True, check=True)
    return int(out.stdout)


@pytest.mark.skipif(not give_back_large_buffers(), reason="needs glibc's mallopt")
def test_freed_large_buffers_leave_the_process_once_the_threshold_is_fixed():
    default, fixed = _resident_mb("default"), _resident_mb("fixed")
    assert default > fixed + 30  # 75 MB of texts freed: kept by the heaps, or returned with their mmaps
