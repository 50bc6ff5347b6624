# skiff — developer entry points. `make test` is what CI runs (.ci/run).
#
#   make setup   install what this machine lacks (Debian packages, node
#                modules, a running Docker Engine, the local test image)
#   make build   compile TypeScript to dist/ (npm run build)
#   make run     setup + build, then the demo: `skiff up` on :4750 and a few
#                AWS CLI calls against it (scripts/demo.sh; Ctrl-C stops it)
#   make test    setup + build + lint + typecheck + tests
#   make bench   setup + build + benchmarks
#   make clean   remove build output (dist/, coverage/); keeps node_modules
#                and the ./.skiff data directory

SHELL := /bin/bash

# Targets must run in order (setup installs what build needs), even under -j.
.NOTPARALLEL:

.PHONY: setup build run test bench clean

setup:
	./scripts/setup.sh

build:
	npm run build

run: setup build
	./scripts/demo.sh

test: setup build
	npm run lint
	npm run typecheck
	npm test

bench: setup build
	npm run bench

clean:
	rm -rf dist coverage
