# The preview server and scaffolding (issue 5): the command-line test drives `tandem serve`
# with curl, as a browser would.
TEST_DEBIAN_PACKAGES += curl
