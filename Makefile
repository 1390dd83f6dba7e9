# Everyday commands; the scripts hold the steps.
.PHONY: run test build bench bench-one
run:
	scripts/run
test:
	scripts/test
build:
	swift build
# The whole suite as one table (SQLite; PostgreSQL: scripts/bench-all --database-url …).
bench:
	scripts/bench-all
# One client, the server's own time per order against the 5 ms target.
bench-one:
	scripts/bench
