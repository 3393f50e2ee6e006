"""Thread-exit hooks: a pthread key whose destructor is native code.

glibc runs a key's destructor in the exiting thread for every key the thread
set to a non-NULL value -- when its start routine returns, at pthread_exit,
or when it is cancelled -- and only then may the thread's stack and thread
control block (so its thread pointer, %fs:0) go to a new thread.  Python
threads exit the same way.  The destructor runs without the GIL (the thread
state is already gone), so it must be native code: a numba ``cfunc``.
"""

from __future__ import annotations

import ctypes

from ..errors import OSCallError

_libc = ctypes.CDLL(None, use_errno=True)
_key_create = _libc.pthread_key_create
_key_create.restype = ctypes.c_int
_key_create.argtypes = (ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p)
_setspecific = _libc.pthread_setspecific
_setspecific.restype = ctypes.c_int
_setspecific.argtypes = (ctypes.c_uint, ctypes.c_void_p)


class ThreadKey:
    """One pthread key (keys are process-wide and survive fork; never deleted)."""

    def __init__(self, destructor: int) -> None:
        key = ctypes.c_uint()
        err = _key_create(ctypes.byref(key), destructor)
        if err:
            raise OSCallError("pthread_key_create", err)
        self.key = key.value

    def arm(self) -> None:
        """Make the calling thread's exit run the destructor (idempotent)."""
        err = _setspecific(self.key, 1)
        if err:
            raise OSCallError("pthread_setspecific", err, f"key={self.key}")
