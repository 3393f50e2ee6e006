import time


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


N = 30
t0 = time.perf_counter()
r = fib(N)
print("fib", N, r, "ms", (time.perf_counter() - t0) * 1e3)
