# Fuzzing (issue 7): libFuzzer harnesses in fuzz/, built with Debian's clang in build/fuzz.
# `make test` runs a short round of them (tests/fuzz/tests.cmake); `make fuzz` a longer one.
TEST_DEBIAN_PACKAGES += clang libclang-rt-dev
FUZZ_SECONDS ?= 300

.PHONY: fuzz
## make fuzz: run each libFuzzer harness for FUZZ_SECONDS seconds (default 300); crashes go to
## build/fuzz/crashes/, and once fixed into fuzz/regressions/<harness>/
fuzz: deps
	$(call install_debian,clang libclang-rt-dev)
	bash fuzz/run.sh $(FUZZ_SECONDS)
