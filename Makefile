# liangze: `make dev` runs everything, `make test` runs every check and test.
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

.PHONY: dev test vet workflowcheck build bench bench-aggregate

dev:
	go run ./cmd/liangze dev

# Every test: vet, Temporal's determinism check of workflow code, then all Go tests
# (store tests and end-to-end tests on a real PostgreSQL and an in-process Temporal).
test: vet workflowcheck
	go test -count=1 -timeout 20m ./...

vet:
	go vet ./...

workflowcheck:
	go run $(WORKFLOWCHECK) ./workflows/...

build:
	go build -o liangze ./cmd/liangze

# Throughput of whole escalations against a bare Temporal workflow on the same server.
bench:
	go test -run '^$$' -bench . -benchtime 200x ./worker/

# The quarterly aggregate over 1,000,000 decided cases and 2,000 units against the same
# aggregate as one raw SQL query (about 4 minutes, most of it generating the data).
bench-aggregate:
	go test -v -run '^$$' -bench QuarterlyAggregate -benchtime 5x -timeout 30m ./store/
