# Builds and installs libstarpos for C programs (see docs/terminal.md).
#
#   make build                                   cargo build --release (the library only)
#   make install PREFIX=/usr/local [DESTDIR=/tmp/stage]
#   make uninstall PREFIX=/usr/local [DESTDIR=/tmp/stage]
#
# Installs:
#   $(LIBDIR)/libstarpos.so.<version>            the shared library (SONAME libstarpos.so.<major>)
#   $(LIBDIR)/libstarpos.so.<major> -> libstarpos.so.<version>
#   $(LIBDIR)/libstarpos.so -> libstarpos.so.<major>
#   $(LIBDIR)/libstarpos.a                       the static library
#   $(INCLUDEDIR)/starpos.h
#   $(PKGCONFIGDIR)/starpos.pc                   from starpos.pc.in
#
# Cross builds: TARGET=<rust target triple> builds and installs target/<triple>/release
# (`make build TARGET=armv7-unknown-linux-gnueabihf` needs the cross linker set up as in
# docs/terminal.md). BUILD_DIR=<dir> installs the libraries from another directory (e.g. the
# output of cargo zigbuild). `make install` does not build: run `make build` first (not as
# root).

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CARGO ?= cargo
TARGET ?=
BUILD_DIR ?= $(or $(CARGO_TARGET_DIR),target)/$(if $(TARGET),$(TARGET)/,)release

# What the Rust standard library inside libstarpos.a needs from the system: what
#   cargo rustc -p starpos --lib --crate-type staticlib -- --print native-static-libs
# prints. The same on x86_64, armv7 and aarch64 glibc Linux (measured); musl: -lunwind -lc
# (and there is no .so). Goes into Libs.private of starpos.pc.
NATIVE_STATIC_LIBS ?= -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

INSTALL ?= install
LN_S ?= ln -sf

# The package version and its major part, from Cargo.toml's [package] section.
VERSION := $(shell awk -F'"' '/^\[/ { p = ($$0 == "[package]") } p && /^version *=/ { print $$2; exit }' Cargo.toml)
MAJOR := $(firstword $(subst ., ,$(VERSION)))

SONAME = libstarpos.so.$(MAJOR)
REALNAME = libstarpos.so.$(VERSION)

# In starpos.pc, directories under PREFIX are written relative to ${prefix}, so that
# `pkg-config --define-prefix` can relocate an unpacked archive.
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

.PHONY: all build install uninstall check-built
all: build

build:
	$(CARGO) build --release -p starpos --lib $(if $(TARGET),--target $(TARGET),)

check-built:
	@test -n "$(VERSION)" || { echo "cannot read the version from Cargo.toml" >&2; exit 1; }
	@for f in $(BUILD_DIR)/libstarpos.so $(BUILD_DIR)/libstarpos.a include/starpos.h; do \
	  test -f $$f || { echo "$$f is missing: run 'make build$(if $(TARGET), TARGET=$(TARGET),)' first" >&2; exit 1; }; \
	done

install: check-built
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 0755 $(BUILD_DIR)/libstarpos.so $(DESTDIR)$(LIBDIR)/$(REALNAME)
	$(LN_S) $(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(LN_S) $(SONAME) $(DESTDIR)$(LIBDIR)/libstarpos.so
	$(INSTALL) -m 0644 $(BUILD_DIR)/libstarpos.a $(DESTDIR)$(LIBDIR)/libstarpos.a
	$(INSTALL) -m 0644 include/starpos.h $(DESTDIR)$(INCLUDEDIR)/starpos.h
	sed -e 's|@PREFIX@|$(PREFIX)|' \
	    -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|' \
	    -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@NATIVE_STATIC_LIBS@|$(NATIVE_STATIC_LIBS)|' \
	    starpos.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/starpos.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/starpos.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libstarpos.so $(DESTDIR)$(LIBDIR)/libstarpos.a \
	      $(DESTDIR)$(INCLUDEDIR)/starpos.h $(DESTDIR)$(PKGCONFIGDIR)/starpos.pc

# For scripts: the version `make install` would install.
.PHONY: print-version
print-version:
	@echo $(VERSION)
