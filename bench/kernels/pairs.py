import time


def divmod_(a, b):
    return [a // b, a % b]


def add(p, q):
    return [p[0] + q[0], p[1] + q[1]]


def find(xs, k):
    for i in range(0, len(xs) - 1, 2):
        if xs[i] == k:
            return [xs[i], xs[i + 1]]
    return None


N = 300000
t0 = time.perf_counter()
xs = []
for i in range(64):
    xs += [i * 3, i * 7]
s, p, hits = 0, [0, 0], 0
for i in range(1, N):
    r = divmod_(i * 7, 13)
    s = (s + r[0] * 3 + r[1]) % 1000003
    p = add(p, [i % 3, i % 5])
    q = find(xs, i % 200)
    if q is not None:
        hits += 1
        s = (s + q[1]) % 1000003
print("pairs", N, s, p[0], p[1], hits, "ms", (time.perf_counter() - t0) * 1e3)
