import time


def mandelbrot(size, max_iter):
    inside = 0
    for py in range(size):
        ci = 2.0 * py / size - 1.0
        for px in range(size):
            cr = 2.0 * px / size - 1.5
            zr = zi = 0.0
            i = 0
            while i < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                i += 1
            if i == max_iter:
                inside += 1
    return inside


N = 400
t0 = time.perf_counter()
r = mandelbrot(N, 100)
print("mandelbrot", N, r, "ms", (time.perf_counter() - t0) * 1e3)
