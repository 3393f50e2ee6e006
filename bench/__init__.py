"""The paper's evaluation, redone (switch costs, mprotect vs mpk, apps)."""

import libmpk

libmpk.only_as_layer(__name__)  # one copy of the library per process
