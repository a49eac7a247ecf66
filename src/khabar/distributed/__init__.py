"""Scale-out on Dask: ``khabar process`` runs the per-page work on a cluster into Parquet shards.

    from khabar.distributed import process, read_shards
    summary = process(["crawl/", "dump.jsonl"], "out/", local_cluster=4)   # or client=, scheduler=
    for item in read_shards("out/"):        # Processed articles and Problems, in input order
        ...

``khabar ingest out/ --db news.db`` loads the shards into an archive without redoing any
per-page work. Modules: :mod:`~khabar.distributed.partitions` (inputs cut into partitions and
read back), :mod:`~khabar.distributed.corpus` (the first pass: repeated lines over the whole
corpus), :mod:`~khabar.distributed.work` (the worker task), :mod:`~khabar.distributed.shards`
(schema, shards, manifest), :mod:`~khabar.distributed.dedup` (duplicates with Dask shuffles),
:mod:`~khabar.distributed.run` (the run), :mod:`~khabar.distributed.command` (the CLI).
Dask itself is imported only when a run starts.
"""

from khabar.distributed.partitions import Partition, Plan, plan_inputs, read_partition
from khabar.distributed.run import ProcessError, ProcessSummary, process
from khabar.distributed.shards import is_shard_dir, read_manifest, read_shards, shard_schema

__all__ = ["Partition", "Plan", "ProcessError", "ProcessSummary", "is_shard_dir",
           "plan_inputs", "process", "read_manifest", "read_partition", "read_shards",
           "shard_schema"]
