"""`make bench`: build the benchmark databases and print one table of the main pages.

    python -m bench.run [--sizes 500 5000 50000] [--repeat 15] [--rebuild]

For each size N a PostgreSQL database `conecta_bench_N` holds `seed_demo` (the same
"today": desk, agenda, caseloads) plus the archive of N people (bench/generate.py). A
database is kept between runs (new migrations are applied to it) and rebuilt when the
generator changes, or with --rebuild (after a change to the demo data, so that every
size shares the same "today"). Pages are measured with debug off (bench/measure.py), each
size in its own process, and the table gives each size's median time, the ratio of the
largest size to the smallest, and the queries of one request.
"""

import argparse
import hashlib
import json
import os
import pathlib
import secrets
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
# Targets of the performance issue: large ÷ small, and queries per page.
RATIO_TARGET = 1.2
QUERY_TARGET = 12
SECRET = secrets.token_urlsafe(40)


def fingerprint():
    """What the generated archive depends on. Migrations are applied in place; after a change
    to the demo data, rebuild all sizes together (--rebuild) so that they share one "today"."""
    digest = hashlib.sha256()
    for path in [ROOT / "bench" / "generate.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def psql(database, sql):
    return subprocess.run(["psql", f"{SERVER}/{database}", "-qAtc", sql], capture_output=True, text=True)


def run(args, **env):
    merged = {**os.environ, **env}
    subprocess.run(args, cwd=ROOT, env=merged, check=True)


def build(size, rebuild):
    name = f"conecta_bench_{size}"
    key = fingerprint()
    found = psql(name, "SELECT key FROM bench_meta")
    if not rebuild and found.returncode == 0 and found.stdout.strip() == key:
        print(f"{name}: kept; applying any new migrations", flush=True)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], DATABASE_URL=f"{SERVER}/{name}", DJANGO_DEBUG="1")
        return name
    print(f"{name}: building ({size} people)…", flush=True)
    psql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
    psql("postgres", f'CREATE DATABASE "{name}"')
    env = {"DATABASE_URL": f"{SERVER}/{name}", "DJANGO_DEBUG": "1"}
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], **env)
    with open(os.devnull, "w") as quiet:
        subprocess.run([PYTHON, "manage.py", "seed_demo"], cwd=ROOT, env={**os.environ, **env}, check=True, stdout=quiet)
    demo = int(psql(name, "SELECT count(*) FROM participants_participant").stdout)
    run([PYTHON, "-m", "bench.generate", "--people", str(max(0, size - demo))], **env)
    psql(name, f"CREATE TABLE bench_meta (key text); INSERT INTO bench_meta VALUES ('{key}')")
    return name


def production(name, static_root):
    """The environment of a deployment (debug off, manifest static files) on database `name`."""
    return {**os.environ, "DATABASE_URL": f"{SERVER}/{name}", "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_STATIC_ROOT": static_root, "DJANGO_LOG_LEVEL": "WARNING"}


def measure(name, repeat, static_root):
    env = production(name, static_root)
    out = subprocess.run([PYTHON, "-m", "bench.measure", "--repeat", str(repeat)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"{name}: the measurement failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(results):
    sizes = [r["people"] for r in results]
    head = ["página", "consultas"] + [f"ms @{n}" for n in sizes] + ["grande ÷ chica", "CPU grande ÷ chica", ""]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    pages = [row["page"] for row in results[0]["pages"]]
    by_size = [{row["page"]: row for row in r["pages"]} for r in results]
    failed = 0
    for page in pages:
        rows = [b.get(page) for b in by_size]
        small, large = rows[0], rows[-1]
        ratio = large["ms"] / small["ms"] if small["ms"] else float("nan")
        cpu = (large["cpu_ms"] / small["cpu_ms"]) if small.get("cpu_ms") else None
        queries = large["queries"]
        ok = (len(rows) == 1 or ratio <= RATIO_TARGET) and queries <= QUERY_TARGET
        failed += not ok
        lines.append(" | ".join([page, str(queries)] + [f"{r['ms']:.0f}" if r['ms'] >= 10 else f"{r['ms']:.1f}" for r in rows]
                                + [f"{ratio:.2f}×", f"{cpu:.2f}×" if cpu else "–", "ok" if ok else "✗"]))
    lines.append("")
    lines.append(f"Objetivo: ≤ {RATIO_TARGET}× entre {sizes[-1]} y {sizes[0]} personas y ≤ {QUERY_TARGET} consultas; "
                 f"{len(pages) - failed} de {len(pages)} páginas lo cumplen.")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 50000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    names = [build(size, args.rebuild) for size in args.sizes]
    with tempfile.TemporaryDirectory() as static_root:
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, check=True,
                       env=production(names[0], static_root))
        results = []
        for name in names:
            print(f"{name}: measuring…", flush=True)
            results.append(measure(name, args.repeat, static_root))
    print()
    print(table(results))


if __name__ == "__main__":
    main()
