import math
import time


def A(i, j):
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)


def Au(u, v, n):
    for i in range(n):
        t = 0.0
        for j in range(n):
            t += A(i, j) * u[j]
        v[i] = t


def Atu(u, v, n):
    for i in range(n):
        t = 0.0
        for j in range(n):
            t += A(j, i) * u[j]
        v[i] = t


def AtAu(u, v, w, n):
    Au(u, w, n)
    Atu(w, v, n)


N = 400
t0 = time.perf_counter()
u = [1.0] * N
v = [0.0] * N
w = [0.0] * N
for _ in range(10):
    AtAu(u, v, w, N)
    AtAu(v, u, w, N)
vBv = sum(u[i] * v[i] for i in range(N))
vv = sum(x * x for x in v)
print("spectral", N, f"{math.sqrt(vBv / vv):.9f}", "ms", (time.perf_counter() - t0) * 1e3)
