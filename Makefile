# Installs the payauth C library as a system library (docs/install.md):
#
#   cargo build --release
#   make install [PREFIX=/usr/local] [DESTDIR=] [LIBDIR=] [INCLUDEDIR=] [PKGCONFIGDIR=]
#   make uninstall (same variables)
#   make deb       Debian packages libpayauth0 and libpayauth-dev in target/debian/
#
# `make install` takes what `cargo build --release` left in BUILD_DIR (default target/release)
# and builds it only when it is missing: it never rebuilds. It installs
#   $(LIBDIR)/libpayauth.so.$(VERSION)   (SONAME libpayauth.so.$(SOVERSION), symbols versioned)
#   $(LIBDIR)/libpayauth.so.$(SOVERSION) -> libpayauth.so.$(VERSION)
#   $(LIBDIR)/libpayauth.so             -> libpayauth.so.$(VERSION)   (for -lpayauth)
#   $(LIBDIR)/libpayauth.a
#   $(INCLUDEDIR)/payauth.h, $(INCLUDEDIR)/payauth_ffi.h (for PHP FFI::cdef)
#   $(PKGCONFIGDIR)/payauth.pc
# and runs ldconfig when installing for real (no DESTDIR) as root; LDCONFIG=true skips it.

CARGO ?= cargo
BUILD_DIR ?= target/release
# The [package] version of Cargo.toml: 0.x.y.
VERSION := $(shell sed -n '/^\[package\]/,/^\[/s/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml)
# The SONAME is libpayauth.so.<major> (build.rs sets it the same way; docs/abi-policy.md).
SOVERSION := $(firstword $(subst ., ,$(VERSION)))

PREFIX ?= /usr/local
# Debian multiarch (lib/x86_64-linux-gnu) where dpkg-architecture exists, else lib.
DEB_HOST_MULTIARCH ?= $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
LIBDIR ?= $(PREFIX)/lib$(if $(DEB_HOST_MULTIARCH),/$(DEB_HOST_MULTIARCH))
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
LDCONFIG ?= ldconfig
INSTALL ?= install

# payauth.pc names its directories relative to ${prefix} where they are under PREFIX, so
# `pkg-config --define-variable=prefix=...` can relocate an install.
pc_dir = $(if $(filter $(PREFIX)/%,$(1)),$${prefix}/$(patsubst $(PREFIX)/%,%,$(1)),$(1))

SO := $(BUILD_DIR)/libpayauth.so
AR := $(BUILD_DIR)/libpayauth.a

.PHONY: all build install uninstall deb print-vars

all: build

build: $(SO) $(AR)

$(SO) $(AR) &:
	@if [ "$(BUILD_DIR)" = target/release ]; then \
	  echo "make: $(SO) or $(AR) missing: cargo build --release -p payauth"; \
	  $(CARGO) build --release -p payauth; \
	else \
	  echo "make: $(SO) or $(AR) not found (BUILD_DIR=$(BUILD_DIR)); build it first" >&2; exit 1; \
	fi

install: build
	@[ -n "$(VERSION)" ] || { echo "make: no version found in Cargo.toml" >&2; exit 1; }
	$(INSTALL) -d "$(DESTDIR)$(LIBDIR)" "$(DESTDIR)$(INCLUDEDIR)" "$(DESTDIR)$(PKGCONFIGDIR)"
	$(INSTALL) -m 0644 "$(SO)" "$(DESTDIR)$(LIBDIR)/libpayauth.so.$(VERSION)"
	ln -sfn "libpayauth.so.$(VERSION)" "$(DESTDIR)$(LIBDIR)/libpayauth.so.$(SOVERSION)"
	ln -sfn "libpayauth.so.$(VERSION)" "$(DESTDIR)$(LIBDIR)/libpayauth.so"
	$(INSTALL) -m 0644 "$(AR)" "$(DESTDIR)$(LIBDIR)/libpayauth.a"
	$(INSTALL) -m 0644 include/payauth.h include/payauth_ffi.h "$(DESTDIR)$(INCLUDEDIR)/"
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|' \
	  -e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	  payauth.pc.in > "$(DESTDIR)$(PKGCONFIGDIR)/payauth.pc"
	chmod 0644 "$(DESTDIR)$(PKGCONFIGDIR)/payauth.pc"
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then echo "$(LDCONFIG)"; $(LDCONFIG); fi

uninstall:
	rm -f "$(DESTDIR)$(LIBDIR)/libpayauth.so.$(VERSION)" "$(DESTDIR)$(LIBDIR)/libpayauth.so.$(SOVERSION)" \
	  "$(DESTDIR)$(LIBDIR)/libpayauth.so" "$(DESTDIR)$(LIBDIR)/libpayauth.a" \
	  "$(DESTDIR)$(INCLUDEDIR)/payauth.h" "$(DESTDIR)$(INCLUDEDIR)/payauth_ffi.h" \
	  "$(DESTDIR)$(PKGCONFIGDIR)/payauth.pc"
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then echo "$(LDCONFIG)"; $(LDCONFIG); fi

# Debian packages from a staged `make install DESTDIR=... PREFIX=/usr` (packaging/build-deb.sh).
DEB_OUT ?= target/debian
deb: build
	packaging/build-deb.sh "$(BUILD_DIR)" "$(DEB_OUT)"

print-vars:
	@echo "VERSION=$(VERSION) SOVERSION=$(SOVERSION) PREFIX=$(PREFIX) LIBDIR=$(LIBDIR)"
	@echo "INCLUDEDIR=$(INCLUDEDIR) PKGCONFIGDIR=$(PKGCONFIGDIR) BUILD_DIR=$(BUILD_DIR)"
