#!/usr/bin/python3
"""Reference vectors for src/core/geodesy.ts and src/core/ellipse.ts (tests/geo/*.test.ts).

Independent of the TypeScript code: geodesics come from Debian's python3-geographiclib and are
cross-checked here against a separate numpy implementation of Vincenty's inverse formula (they
must agree to 0.1 mm wherever Vincenty converges). Ellipse axes and Mahalanobis distances are
computed exactly (fractions, 60-digit decimals) for the given doubles and numpy.linalg.eigh and
numpy.linalg.solve are checked against them within their backward-error bounds; the azimuth of
the major axis comes from eigh's eigenvector. The 2-D probability scale k = sqrt(-2 ln(1 - p)) is
checked by Monte Carlo.

Run:  apt-get install -y python3-geographiclib python3-numpy
      /usr/bin/python3 training/reference/make_geo_vectors.py
Writes tests/fixtures/geo/geodesic.json and tests/fixtures/geo/ellipse.json.
"""
import decimal
import json
import math
import pathlib
from fractions import Fraction

import numpy as np
from geographiclib.geodesic import Geodesic

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "geo"
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
PROBABILITIES = [0.5, 0.68, 0.95, 0.99]


def vincenty_inverse(lat1, lon1, lat2, lon2):
    """Vincenty (1975) inverse on WGS84: (distance m, forward azimuth deg), or None if it fails."""
    a, f = WGS84_A, WGS84_F
    b = (1 - f) * a
    L = math.radians(lon2 - lon1)
    U1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    U2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    sinU1, cosU1, sinU2, cosU2 = math.sin(U1), math.cos(U1), math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cosU2 * sin_lam, cosU1 * sinU2 - sinU1 * cosU2 * cos_lam)
        if sin_sigma == 0:
            return 0.0, 0.0
        cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cosU1 * cosU2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sinU1 * sinU2 / cos2_alpha if cos2_alpha != 0 else 0.0
        C = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        lam_prev = lam
        lam = L + (1 - C) * f * sin_alpha * (
            sigma + C * sin_sigma * (cos_2sm + C * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - lam_prev) < 1e-13:
            break
    else:
        return None
    u2 = cos2_alpha * (a * a - b * b) / (b * b)
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    d_sigma = B * sin_sigma * (
        cos_2sm
        + B / 4 * (cos_sigma * (-1 + 2 * cos_2sm**2) - B / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2))
    )
    s = b * A * (sigma - d_sigma)
    az = math.degrees(math.atan2(cosU2 * math.sin(lam), cosU1 * sinU2 - sinU1 * cosU2 * math.cos(lam)))
    return s, az % 360


def azimuth_diff_deg(x, y):
    return abs((x - y + 180) % 360 - 180)


def geodesic_cases(rng):
    named = [
        ("munich-berlin", (48.1374, 11.5755), (52.52, 13.405)),
        ("short-45N", (45.0, 7.0), (45.001, 7.001)),
        ("metre-45N", (45.0, 7.0), (45.0000089, 7.0000071)),
        ("70N", (70.0, 20.0), (70.5, 25.0)),
        ("antimeridian-south", (-16.5, 179.5), (-17.2, -179.3)),
        ("sydney-wellington", (-33.8688, 151.2093), (-41.2866, 174.7756)),
        ("london-tokyo", (51.5074, -0.1278), (35.6762, 139.6503)),
        ("equator-quarter", (0.0, 0.0), (0.0, 90.0)),
        ("meridian", (10.0, 5.0), (60.0, 5.0)),
        ("due-west-45N", (45.0, 10.0), (45.0, 9.9)),
        ("near-antipodal", (0.0, 0.0), (0.5, 179.7)),
    ]
    # The app's regime: receivers and transmitters within a few hundred km, at many latitudes.
    for i in range(16):
        lat = float(rng.uniform(-80, 80))
        lon = float(rng.uniform(-180, 180))
        s = float(rng.uniform(10, 300e3))
        az = float(rng.uniform(0, 360))
        g = Geodesic.WGS84.Direct(lat, lon, az, s)
        named.append((f"random-{i}", (lat, lon), (g["lat2"], g["lon2"])))
    out = []
    for name, (lat1, lon1), (lat2, lon2) in named:
        inv = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)
        azimuth = inv["azi1"] % 360
        v = vincenty_inverse(lat1, lon1, lat2, lon2)
        vincenty_checked = v is not None and name != "near-antipodal"
        if vincenty_checked:
            assert abs(v[0] - inv["s12"]) < 1e-4, (name, v[0], inv["s12"])
            # Azimuths compared by the sideways offset they make at the far end (short lines have noisy angles).
            assert math.radians(azimuth_diff_deg(v[1], azimuth)) * inv["s12"] < 1e-4, (name, v[1], azimuth)
        # A direct problem with a direction and distance unrelated to the inverse one.
        direct_az, direct_s = float(rng.uniform(-180, 360)), float(rng.uniform(1, 500e3))
        d = Geodesic.WGS84.Direct(lat1, lon1, direct_az, direct_s)
        az_rad = math.radians(azimuth)
        out.append(
            {
                "name": name,
                "a": {"lat": lat1, "lon": lon1},
                "b": {"lat": lat2, "lon": lon2},
                "distanceM": inv["s12"],
                "azimuthDeg": azimuth,
                "eastM": inv["s12"] * math.sin(az_rad),
                "northM": inv["s12"] * math.cos(az_rad),
                "vincentyChecked": vincenty_checked,
                "direct": {"azimuthDeg": direct_az, "distanceM": direct_s, "lat": d["lat2"], "lon": d["lon2"]},
            }
        )
    return out


def k_for(p):
    return math.sqrt(-2 * math.log1p(-p))


def check_k_by_monte_carlo(rng):
    # Squared radius of a standard 2-D normal: the fraction inside radius k must be p.
    r2 = (rng.standard_normal((2, 1_000_000)) ** 2).sum(axis=0)
    for p in PROBABILITIES:
        assert abs((r2 <= k_for(p) ** 2).mean() - p) < 2e-3, p


def cov_from_axes(sigma_major, sigma_minor, azimuth_deg):
    """Covariance (east, north) of an ellipse whose major axis points at azimuth_deg (clockwise from north)."""
    az = math.radians(azimuth_deg)
    u = np.array([math.sin(az), math.cos(az)])
    v = np.array([-u[1], u[0]])
    return sigma_major**2 * np.outer(u, u) + sigma_minor**2 * np.outer(v, v)


def ellipse_cases(rng):
    covs = [
        ("axis-east", np.diag([400.0**2, 100.0**2])),
        ("axis-north", np.diag([50.0**2, 900.0**2])),
        ("north-east", np.array([[2.0, 1.0], [1.0, 2.0]]) * 1e6),
        ("north-west", np.array([[2.0, -1.0], [-1.0, 2.0]]) * 1e6),
        ("thin-1e4", cov_from_axes(20e3, 2.0, 123.4)),
        ("az-10", cov_from_axes(3000.0, 1000.0, 10.0)),
        ("az-170", cov_from_axes(3000.0, 1000.0, 170.0)),
        ("az-95", cov_from_axes(5000.0, 4000.0, 95.0)),
        ("nearly-circular", cov_from_axes(1000.0, 999.0, 60.0)),
    ]
    for i in range(12):
        m = rng.normal(size=(2, 2)) * float(10 ** rng.uniform(1, 4.5))
        covs.append((f"random-{i}", m @ m.T + np.eye(2) * 1.0))
    out = []
    for name, c in covs:
        c = 0.5 * (c + c.T)
        ee, en, nn = float(c[0, 0]), float(c[0, 1]), float(c[1, 1])
        lam_min, lam_max = exact_eigenvalues(ee, en, nn)
        w, vecs = np.linalg.eigh(c)  # ascending
        # LAPACK's eigenvalues carry an absolute error of a few ulps of the largest one.
        assert abs(w[1] - lam_max) <= 8 * EPS * lam_max and abs(w[0] - lam_min) <= 8 * EPS * lam_max, name
        major = vecs[:, 1]
        azimuth = math.degrees(math.atan2(major[0], major[1])) % 180
        points = rng.normal(size=(3, 2)) * math.sqrt(lam_max)
        mahalanobis = []
        for x in points:
            d2 = exact_mahalanobis2(ee, en, nn, float(x[0]), float(x[1]))
            d2_numpy = float(x @ np.linalg.solve(c, x))
            assert abs(d2_numpy - d2) <= 16 * EPS * (lam_max / lam_min) * d2, name
            mahalanobis.append({"eastM": float(x[0]), "northM": float(x[1]), "d2": d2})
        out.append(
            {
                "name": name,
                "cov": {"ee": ee, "en": en, "nn": nn},
                "eigenvaluesM2": [lam_min, lam_max],
                "eighEigenvaluesM2": [float(w[0]), float(w[1])],
                "azimuthDeg": azimuth,
                "ellipses": [
                    {"p": p, "semiMajorM": k_for(p) * math.sqrt(lam_max), "semiMinorM": k_for(p) * math.sqrt(lam_min)}
                    for p in PROBABILITIES
                ],
                "mahalanobis": mahalanobis,
            }
        )
    return out


EPS = 2.0**-52
decimal.getcontext().prec = 60


def to_decimal(q):
    return decimal.Decimal(q.numerator) / decimal.Decimal(q.denominator)


def exact_eigenvalues(ee, en, nn):
    """Eigenvalues of the covariance as given (exact doubles), to 60 digits, rounded once to doubles.

    numpy's eigh is backward stable, so for a thin ellipse its small eigenvalue is only good to about
    cond * eps relative; this reference is exact for the given doubles and eigh is checked against it.
    """
    e, c, n = Fraction(ee), Fraction(en), Fraction(nn)
    det = e * n - c * c
    disc = to_decimal((e - n) ** 2 + 4 * c * c).sqrt()
    lam_max = (to_decimal(e + n) + disc) / 2
    return float(to_decimal(det) / lam_max), float(lam_max)


def exact_mahalanobis2(ee, en, nn, x, y):
    e, c, n, x, y = (Fraction(v) for v in (ee, en, nn, x, y))
    return float((n * x * x - 2 * c * x * y + e * y * y) / (e * n - c * c))


def main():
    rng = np.random.default_rng(20240611)
    check_k_by_monte_carlo(rng)
    OUT.mkdir(parents=True, exist_ok=True)
    geodesic = {"generator": "geographiclib " + __import__("geographiclib").__version__, "cases": geodesic_cases(rng)}
    ellipse = {
        "generator": "numpy " + np.__version__ + " linalg.eigh",
        "k": [{"p": p, "k": k_for(p)} for p in PROBABILITIES],
        "cases": ellipse_cases(rng),
    }
    (OUT / "geodesic.json").write_text(json.dumps(geodesic, indent=1) + "\n")
    (OUT / "ellipse.json").write_text(json.dumps(ellipse, indent=1) + "\n")
    print(f"wrote {len(geodesic['cases'])} geodesic and {len(ellipse['cases'])} ellipse cases to {OUT}")


if __name__ == "__main__":
    main()
