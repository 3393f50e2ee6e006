import math
import time

PI = 3.141592653589793
SOLAR_MASS = 4 * PI * PI
DAYS = 365.24
x = [0, 4.84143144246472090e00, 8.34336671824457987e00, 1.28943695621391310e01, 1.53796971148509165e01]
y = [0, -1.16032004402742839e00, 4.12479856412430479e00, -1.51111514016986312e01, -2.59193146099879641e01]
z = [0, -1.03622044471123109e-01, -4.03523417114321381e-01, -2.23307578892655734e-01, 1.79258772950371181e-01]
vx = [
    0,
    1.66007664274403694e-03 * DAYS,
    -2.76742510726862411e-03 * DAYS,
    2.96460137564761618e-03 * DAYS,
    2.68067772490389322e-03 * DAYS,
]
vy = [
    0,
    7.69901118419740425e-03 * DAYS,
    4.99852801234917238e-03 * DAYS,
    2.37847173959480950e-03 * DAYS,
    1.62824170038242295e-03 * DAYS,
]
vz = [
    0,
    -6.90460016972063023e-05 * DAYS,
    2.30417297573763929e-05 * DAYS,
    -2.96589568540237556e-05 * DAYS,
    -9.51592254519715870e-05 * DAYS,
]
m = [
    SOLAR_MASS,
    9.54791938424326609e-04 * SOLAR_MASS,
    2.85885980666130812e-04 * SOLAR_MASS,
    4.36624404335156298e-05 * SOLAR_MASS,
    5.15138902046611451e-05 * SOLAR_MASS,
]


def offset():
    px = py = pz = 0.0
    for i in range(5):
        px += vx[i] * m[i]
        py += vy[i] * m[i]
        pz += vz[i] * m[i]
    vx[0] = -px / SOLAR_MASS
    vy[0] = -py / SOLAR_MASS
    vz[0] = -pz / SOLAR_MASS


def advance(dt):
    for i in range(5):
        for j in range(i + 1, 5):
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            dz = z[i] - z[j]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            vx[i] -= dx * m[j] * mag
            vy[i] -= dy * m[j] * mag
            vz[i] -= dz * m[j] * mag
            vx[j] += dx * m[i] * mag
            vy[j] += dy * m[i] * mag
            vz[j] += dz * m[i] * mag
    for i in range(5):
        x[i] += dt * vx[i]
        y[i] += dt * vy[i]
        z[i] += dt * vz[i]


def energy():
    e = 0.0
    for i in range(5):
        e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
        for j in range(i + 1, 5):
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            dz = z[i] - z[j]
            e -= m[i] * m[j] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


N = 500000
t0 = time.perf_counter()
offset()
e0 = energy()
for _ in range(N):
    advance(0.01)
print("nbody", N, f"{e0:.9f}", f"{energy():.9f}", "ms", (time.perf_counter() - t0) * 1e3)
