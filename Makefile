# Everyday commands; the scripts hold the steps.
.PHONY: run test build bench
run:
	scripts/run
test:
	scripts/test
build:
	swift build
bench:
	scripts/bench
