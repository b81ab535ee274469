# tandem: the two commands a council needs are `make site` and `make test`.
SHELL := /bin/bash
BUILD_DIR := build/release
SAN_DIR := build/sanitize
TANDEM := $(BUILD_DIR)/tandem
JOBS ?= $(shell nproc)

# Debian packages needed to build tandem, and those needed only to test it.
DEBIAN_PACKAGES := cmake g++ make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
  nlohmann-json3-dev doctest-dev libkainjow-mustache-dev libyaml-cpp-dev libcli11-dev \
  libcpp-httplib-dev libjemalloc-dev
TEST_DEBIAN_PACKAGES :=
# Further set-up steps for the tests (npm packages ...), as make targets.
TEST_DEPS :=

# Each area of work adds to the lists above, and its own targets, in mk/<area>.mk.
-include $(sort $(wildcard mk/*.mk))

.PHONY: site test build sanitize deps test-deps clean format

## make site: install what is missing, build tandem, and generate the example site into public/
## Warnings are shown and do not stop it (the example's figures, from December 2025, are reported
## as old after data.max_age_days); the tests build the example with --strict at a fixed date.
site: build
	$(TANDEM) build --site . --out public
	@echo "Open public/index.html (full strategy) or public/young/index.html (young people's version)."

## make test: build and run every test; the core tests again under ASan + UBSan
test: test-deps build sanitize
	cd $(BUILD_DIR) && ctest --output-on-failure
	cd $(SAN_DIR) && ctest --output-on-failure -L core

build: deps
	cmake --preset default >/dev/null
	cmake --build --preset default -j $(JOBS)

sanitize: deps
	cmake --preset sanitize >/dev/null
	cmake --build --preset sanitize -j $(JOBS)

# Installs the missing ones of the packages given (as root), or prints the line to run.
define install_debian
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Some packages are missing. Run this, then try again:"; \
	    echo "  sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_debian,$(DEBIAN_PACKAGES))

test-deps: deps
	$(call install_debian,$(TEST_DEBIAN_PACKAGES))
	@$(if $(TEST_DEPS),$(MAKE) --no-print-directory $(TEST_DEPS),true)

format:
	clang-format -i src/*.cpp src/*.hpp tests/unit/*.cpp tests/unit/*.hpp tests/syllables/*.cpp bench/*.cpp fuzz/*.cpp fuzz/*.hpp

clean:
	rm -rf build public
