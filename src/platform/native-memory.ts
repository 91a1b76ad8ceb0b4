/**
 * How DuckDB's allocator (its own jemalloc, read from this variable when the library loads) gives
 * memory back: pages freed stay with the process for 10 s (jemalloc's own default) instead of
 * DuckDB's shorter decay. An import's CSV buffers and Parquet row groups are allocated and freed
 * over and over; returned at once, each came back as fresh pages the kernel had to fault in and
 * zero — on this class of virtual machine ≈ 15 % of an import's CPU (docs/adr/0025,
 * "Performance"). Memory still goes back after 10 s idle. Imported first by every entry point
 * (server, worker, CLI, benches), before anything loads DuckDB; a value set by the operator wins.
 */
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:10000,muzzy_decay_ms:10000';
