# Everyday commands; the scripts hold the steps.
.PHONY: run test build
run:
	scripts/run
test:
	scripts/test
build:
	swift build
