# Builds and installs libstarpos for C programs (see docs/terminal.md and docs/c.md,
# "Installing for C").
#
#   make build                                   cargo build --release (the library only)
#   make install PREFIX=/usr/local [DESTDIR=/tmp/stage]
#   make uninstall PREFIX=/usr/local [DESTDIR=/tmp/stage]
#   make print-version / print-soname            for scripts
#
# Installs the same file names as cargo-c's `cargo cinstall` (.ci/packaging.sh compares them):
#   $(LIBDIR)/libstarpos.so.<x.y.z>              the shared library, SONAME libstarpos.so.<sover>
#   $(LIBDIR)/libstarpos.so.<sover> -> libstarpos.so.<x.y.z>
#   $(LIBDIR)/libstarpos.so -> libstarpos.so.<x.y.z>
#   $(LIBDIR)/libstarpos.a                       the static library
#   $(INCLUDEDIR)/starpos.h                      the committed header
#   $(PKGCONFIGDIR)/starpos.pc                   from starpos.pc.in
#   $(CMAKEDIR)/starposConfig.cmake              find_package(starpos): starpos::starpos (the
#   $(CMAKEDIR)/starposConfigVersion.cmake       .so) and starpos::starpos_static (the .a)
# and, for the `starpos` command line (`cargo install --path cli`), from the committed share/
# (scripts/cli-share.sh regenerates it; cargo-c installs none of these):
#   $(MANDIR)/man1/starpos.1                     the manual page
#   $(DATADIR)/bash-completion/completions/starpos
#   $(DATADIR)/zsh/site-functions/_starpos
#   $(DATADIR)/fish/vendor_completions.d/starpos.fish
#
# <sover> is the ABI generation (docs/c.md, "ABI and versions"), by cargo-c's rule: 0.<minor>
# for 0.x versions (0.0.<patch> for 0.0.x), <major> from 1.0. build.rs sets the same SONAME.
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
CMAKEDIR ?= $(LIBDIR)/cmake/starpos
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man

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

# The package version and its parts, from Cargo.toml's [package] section (a pre-release or
# build suffix, as in 0.3.0-rc.1, is not part of the file names).
VERSION := $(shell awk -F'"' '/^\[/ { p = ($$0 == "[package]") } p && /^version *=/ { print $$2; exit }' Cargo.toml)
VERSION_PARTS := $(subst ., ,$(firstword $(subst -, ,$(subst +, ,$(VERSION)))))
MAJOR := $(word 1,$(VERSION_PARTS))
MINOR := $(word 2,$(VERSION_PARTS))
PATCH := $(word 3,$(VERSION_PARTS))
SOVER := $(if $(filter 0,$(MAJOR)),$(if $(filter 0,$(MINOR)),0.0.$(PATCH),0.$(MINOR)),$(MAJOR))

SONAME = libstarpos.so.$(SOVER)
REALNAME = libstarpos.so.$(MAJOR).$(MINOR).$(PATCH)

# The CMake config finds the libraries and the header relative to its own directory, so the
# installed tree can be moved (or unpacked from a release archive anywhere).
rel_from_cmake = $(shell realpath -m --relative-to='$(CMAKEDIR)' '$(1)')
# NATIVE_STATIC_LIBS as a CMake list: -lfoo -lbar -> foo;bar.
empty :=
space := $(empty) $(empty)
cmake_list = $(subst $(space),;,$(strip $(patsubst -l%,%,$(1))))

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
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(CMAKEDIR)
	$(INSTALL) -m 0755 $(BUILD_DIR)/libstarpos.so $(DESTDIR)$(LIBDIR)/$(REALNAME)
	$(LN_S) $(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(LN_S) $(REALNAME) $(DESTDIR)$(LIBDIR)/libstarpos.so
	$(INSTALL) -m 0644 $(BUILD_DIR)/libstarpos.a $(DESTDIR)$(LIBDIR)/libstarpos.a
	$(INSTALL) -m 0644 include/starpos.h $(DESTDIR)$(INCLUDEDIR)/starpos.h
	sed -e 's|@PREFIX@|$(PREFIX)|' \
	    -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|' \
	    -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@NATIVE_STATIC_LIBS@|$(NATIVE_STATIC_LIBS)|' \
	    starpos.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/starpos.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/starpos.pc
	sed -e 's|@LIBDIR_REL@|$(call rel_from_cmake,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR_REL@|$(call rel_from_cmake,$(INCLUDEDIR))|' \
	    -e 's|@REALNAME@|$(REALNAME)|' \
	    -e 's|@SONAME@|$(SONAME)|' \
	    -e 's|@NATIVE_STATIC_LIBS@|$(call cmake_list,$(NATIVE_STATIC_LIBS))|' \
	    cmake/starposConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/starposConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@SOVER@|$(SOVER)|' \
	    cmake/starposConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/starposConfigVersion.cmake
	chmod 0644 $(DESTDIR)$(CMAKEDIR)/starposConfig.cmake $(DESTDIR)$(CMAKEDIR)/starposConfigVersion.cmake
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/bash-completion/completions \
	    $(DESTDIR)$(DATADIR)/zsh/site-functions $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	$(INSTALL) -m 0644 share/man/man1/starpos.1 $(DESTDIR)$(MANDIR)/man1/starpos.1
	$(INSTALL) -m 0644 share/bash-completion/completions/starpos $(DESTDIR)$(DATADIR)/bash-completion/completions/starpos
	$(INSTALL) -m 0644 share/zsh/site-functions/_starpos $(DESTDIR)$(DATADIR)/zsh/site-functions/_starpos
	$(INSTALL) -m 0644 share/fish/vendor_completions.d/starpos.fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/starpos.fish

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libstarpos.so $(DESTDIR)$(LIBDIR)/libstarpos.a \
	      $(DESTDIR)$(INCLUDEDIR)/starpos.h $(DESTDIR)$(PKGCONFIGDIR)/starpos.pc \
	      $(DESTDIR)$(CMAKEDIR)/starposConfig.cmake $(DESTDIR)$(CMAKEDIR)/starposConfigVersion.cmake \
	      $(DESTDIR)$(MANDIR)/man1/starpos.1 $(DESTDIR)$(DATADIR)/bash-completion/completions/starpos \
	      $(DESTDIR)$(DATADIR)/zsh/site-functions/_starpos $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/starpos.fish
	rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null || true

# For scripts: the version `make install` would install.
.PHONY: print-version print-soname
print-version:
	@echo $(VERSION)
print-soname:
	@echo $(SONAME)
