"""Performance benchmark for kkrdesk (issue #8): `python -m bench [--quick]`, see docs/performance.md."""
