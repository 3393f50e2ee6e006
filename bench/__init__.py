"""The paper's evaluation, redone (switch costs, mprotect vs mpk, apps)."""
