# Two commands matter: `make run` (install what is missing, build, open the app) and `make test`.
PREFIX ?= $(HOME)/.local
SWIFT_BUILD_FLAGS ?=
MNIST ?= $(abspath ../shared/data/mnist)

.PHONY: deps build release run test install uninstall bench clean

deps:
	@scripts/install-deps.sh

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

release: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

run: release
	.build/release/numeral app

test: deps
	scripts/run-tests.sh

bench: release
	.build/release/numeral bench

install: release
	scripts/install.sh "$(PREFIX)"

uninstall:
	scripts/install.sh --uninstall "$(PREFIX)"

clean:
	rm -rf .build

# The desktop app's performance targets, measured on the release binary under X (own Xvfb if needed).
.PHONY: bench-app
bench-app: deps
	scripts/bench-app.sh

# Deployment (README, "Deploy"): an OCI image built from scratch with buildah and a Debian package
# (out/numeral_VERSION_ARCH.deb, checked by lintian), both from the release binary (BINARY=...
# for another build).
BINARY ?= .build/release/numeral
.PHONY: image deb
image: release
	scripts/build-image.sh --binary $(BINARY)

deb: release
	scripts/build-deb.sh --binary $(BINARY) --lint
