# `make bench`: the benchmark suite (bench/run.sh), tandem against Hugo. Not part of `make test`.
# BENCH_SIZES, BENCH_RUNS and BENCH_THEME_SIZES are passed on to bench/run.sh.
BENCH_PACKAGES := hugo time
BENCH_DIR := build/bench
BENCH_CXX := g++ -std=c++20 -O2 -Wall -Wextra -Wpedantic -Wshadow
# The harness measures rebuilds as `tandem serve` makes them: with jemalloc, as the program is.
BENCH_LIBS := -lcmark-gfm-extensions -lcmark-gfm -lyaml-cpp $$(pkg-config --libs cpp-httplib) -lpthread -ljemalloc

.PHONY: bench bench-deps bench-tools

bench-deps: deps
	$(call install_debian,$(BENCH_PACKAGES))

bench-tools: build
	@mkdir -p $(BENCH_DIR)
	$(BENCH_CXX) -o $(BENCH_DIR)/gen_site bench/gen_site.cpp
	$(BENCH_CXX) -o $(BENCH_DIR)/cmark_floor bench/cmark_floor.cpp -lcmark-gfm-extensions -lcmark-gfm
	$(BENCH_CXX) -Isrc $$(pkg-config --cflags cpp-httplib) -o $(BENCH_DIR)/harness bench/harness.cpp $(BUILD_DIR)/libtandem_lib.a $(BENCH_LIBS)

## make bench: tandem and Hugo on 1,000 and 10,000 generated sections, the cmark-gfm floor, the
## example site and incremental rebuilds; the summary goes to build/bench/work/summary.txt
bench: bench-deps bench-tools
	bash bench/run.sh $(TANDEM) $(BENCH_DIR) $(BENCH_DIR)/work
