"""Applications on the sandbox and the JIT (JS engine, keyvault, kvstore)."""
