# Browser tests of the built-in designs (issue 3): Debian's Chromium driven by playwright-core,
# axe-core for accessibility, and the Nu HTML Checker (vnu-jar, run with Java). `make test-deps`
# installs the npm packages into tests/browser/node_modules, pinned by its package-lock.json.
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime; Debian's is used.
TEST_DEBIAN_PACKAGES += chromium default-jre-headless nodejs
TEST_DEPS += browser-test-deps

BROWSER_TEST_DIR := tests/browser

.PHONY: browser-test-deps browser-test
browser-test-deps: $(BROWSER_TEST_DIR)/node_modules/.package-lock.json

# Debian's nodejs has no npm of its own: install Debian's npm package when npm is missing.
$(BROWSER_TEST_DIR)/node_modules/.package-lock.json: $(BROWSER_TEST_DIR)/package.json $(BROWSER_TEST_DIR)/package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	  else echo "npm is missing. Run this, then try again:"; echo "  sudo apt-get install npm"; exit 1; fi; }
	cd $(BROWSER_TEST_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

## make browser-test: only the browser tests (screenshots in build/release/screenshots/)
browser-test: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -L browser
