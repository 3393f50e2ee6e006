"""Applications on the sandbox and the JIT (JS engine, keyvault, kvstore)."""

import libmpk

libmpk.only_as_layer(__name__)  # one copy of the library per process
