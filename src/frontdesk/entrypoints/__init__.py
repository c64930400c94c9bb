"""Entry points translate I/O into service calls and nothing else."""
