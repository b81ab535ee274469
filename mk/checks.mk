# Plain-language and figure checks (issue 4): the syllable counter's test data, from npm.
# `make test-deps` installs the CMU Pronouncing Dictionary and the SUBTLEX-US word frequencies
# into tests/syllables/node_modules (pinned by tests/syllables/package-lock.json).
TEST_DEBIAN_PACKAGES += nodejs
TEST_DEPS += syllable-test-data

SYLLABLE_TEST_DIR := tests/syllables

.PHONY: syllable-test-data
syllable-test-data: $(SYLLABLE_TEST_DIR)/node_modules/.package-lock.json

# Debian's nodejs has no npm of its own: install Debian's npm package when npm is missing.
$(SYLLABLE_TEST_DIR)/node_modules/.package-lock.json: $(SYLLABLE_TEST_DIR)/package.json $(SYLLABLE_TEST_DIR)/package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	  else echo "npm is missing. Run this, then try again:"; echo "  sudo apt-get install npm"; exit 1; fi; }
	cd $(SYLLABLE_TEST_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@
