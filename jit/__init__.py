"""Protected JIT code cache (built on sandbox): lands with the jit/ issue."""
