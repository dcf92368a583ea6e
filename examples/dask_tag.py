#!/usr/bin/python3
"""Tag a JSON-lines corpus on a Dask cluster with lector, into one store.

The corpus is split into partitions of lines (dask.bag.read_text); each
worker pipes its partitions through `lector recipe tag --stream` (the same
recipe as `tag --db`, JSON lines in and out); this process, the one
writer, feeds what comes back to `lector recipe ingest --db STORE -`,
which stores the documents with their annotations under the tag run.

    # a LocalCluster of worker processes on this machine (loopback only)
    /usr/bin/python3 examples/dask_tag.py --workers 2 \\
        --gazetteer examples/gazetteer.tsv --patterns examples/patterns.tsv \\
        --db corpus.db corpus.jsonl

    # a running cluster: its scheduler's address
    /usr/bin/python3 examples/dask_tag.py --scheduler tcp://10.0.0.1:8786 ...

On a real cluster every worker needs the lector binary (--lector, or on
its PATH), the gazetteer and patterns files at the same paths (a compiled
gazetteer: `lector recipe entities --save g.lgz ...` or g:save, loads
without compiling), and the corpus at a path or URL every worker can read
(a shared file system, or s3://... with s3fs installed).
"""
import argparse
import os
import subprocess
import sys
import time

import dask.bag
from dask.distributed import Client, LocalCluster, as_completed


def run_lector(lines, cmd):
    """One partition (a list of JSON lines) through `lector ... --stream`.

    Returns the lines it wrote and its stderr; a non-zero exit other than
    1 (lines skipped, which stderr names) fails the partition."""
    data = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    r = subprocess.run(cmd, input=data.encode("utf-8"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode not in (0, 1):
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), r.returncode, err.strip()))
    return [(r.stdout.decode("utf-8"), err, r.returncode)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="a JSON-lines file (one document a line)")
    ap.add_argument("--db", required=True, help="the store to load the tagged documents into")
    ap.add_argument("--gazetteer")
    ap.add_argument("--patterns")
    ap.add_argument("--scheduler", help="address of a running scheduler (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    ap.add_argument("--blocksize", default="10MB", help="bytes of JSON lines per partition")
    ap.add_argument("--lector", default=os.environ.get("LECTOR_BIN", "lector"),
                    help="the lector binary on the workers")
    args = ap.parse_args()

    cmd = [args.lector, "recipe", "tag", "--stream", "--progress", "never"]
    if args.gazetteer:
        cmd += ["--gazetteer", os.path.abspath(args.gazetteer)]
    if args.patterns:
        cmd += ["--patterns", os.path.abspath(args.patterns)]

    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        # Worker processes on this machine, listening on loopback only.
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    t0 = time.time()
    status = 0
    try:
        bag = dask.bag.read_text(os.path.abspath(args.corpus), blocksize=args.blocksize)
        parts = bag.map_partitions(run_lector, cmd).to_delayed()
        futures = client.compute(parts)
        # One writer: results go to ingest as they come, in any order.
        ingest = subprocess.Popen([args.lector, "recipe", "ingest", "--db", args.db, "--quiet",
                                   "--progress", "never", "-"], stdin=subprocess.PIPE)
        docs = 0
        for fut in as_completed(futures):
            for out, err, code in fut.result():
                if err:
                    sys.stderr.write(err)
                if code:
                    status = 1
                docs += out.count("\n")
                ingest.stdin.write(out.encode("utf-8"))
        ingest.stdin.close()
        if ingest.wait() != 0:
            status = 1
        sys.stderr.write("dask_tag: %d documents in %d partitions on %d workers, %.2f s\n"
                         % (docs, len(parts), len(client.scheduler_info()["workers"]),
                            time.time() - t0))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
