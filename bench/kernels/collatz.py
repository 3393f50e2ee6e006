import time


def steps(n):
    c = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        c += 1
    return c


N = 300000
t0 = time.perf_counter()
best = arg = 0
for i in range(1, N):
    s = steps(i)
    if s > best:
        best, arg = s, i
print("collatz", N, arg, best, "ms", (time.perf_counter() - t0) * 1e3)
