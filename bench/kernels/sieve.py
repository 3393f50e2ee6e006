import time


def sieve(n, flags):
    count = 0
    for i in range(2, n + 1):
        flags[i] = 1
    for i in range(2, n + 1):
        if flags[i] == 1:
            count += 1
            for j in range(i + i, n + 1, i):
                flags[j] = 0
    return count


N = 2000000
flags = [0] * (N + 1)
t0 = time.perf_counter()
for _ in range(5):
    r = sieve(N, flags)
print("sieve", N, r, "ms", (time.perf_counter() - t0) * 1e3)
