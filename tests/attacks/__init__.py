"""Attacks on the library's guarantees: each test tries to break one and
asserts that it fails (a fault, or a typed error) and nothing was written.

Every test runs on both backends (the ``backend``/``sb`` fixtures; the pku
half natively on a PKU CPU, else in the QEMU guest)."""
