"""The garbage collector while the command starts and when it ends.

Starting a run imports thousands of classes (pydantic models of the openai SDK, SQLAlchemy,
tree-sitter grammars); each allocation burst sets off collections that find no garbage, about a
seventh of the start-up's CPU. So the collector waits until the pipeline is built; then what
start-up made is frozen (never scanned again, it lives as long as the process) and collection
resumes for the run itself. At the end, freezing everything spares the interpreter's final
collection over every object, which took a tenth of a second or more; the process is exiting and
the operating system takes its memory back.
"""

from __future__ import annotations

import gc


def starting() -> None:
    gc.disable()


def started() -> None:
    gc.freeze()
    gc.enable()


def exiting() -> None:
    gc.freeze()
