import time


def loops(n):
    s = 0
    for i in range(n):
        for j in range(100):
            s = (s + i * j) % 1000003
    return s


N = 200000
t0 = time.perf_counter()
r = loops(N)
print("loops", N, r, "ms", (time.perf_counter() - t0) * 1e3)
