//! The shared library's outside: what a firmware's dynamic loader and linker see.
//!
//! - the SONAME names the ABI generation (`libstarpos.so.0.<minor>` for 0.x, set by build.rs);
//! - every symbol the `.so` exports starts with `starpos_` (no Rust or C runtime leaks out);
//! - the functions `include/starpos.h` declares and the functions the `.so` exports are the same
//!   set, both ways;
//! - `starpos_version()` is the crate's version.
//!
//! The ELF file is read with the few lines below (32- and 64-bit, either byte order), so the
//! test needs no tool and also runs for a cross target under qemu
//! (`cargo test --target armv7-unknown-linux-gnueabihf`).

#[path = "common/soname.rs"]
mod soname;

use std::collections::BTreeSet;
use std::ffi::CStr;
use std::path::{Path, PathBuf};

/// `target/<profile>`: this test runs as `target/[<triple>/]<profile>/deps/exports-<hash>`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    let deps = exe.parent().expect("the test binary is in a directory");
    assert_eq!(
        deps.file_name().and_then(|n| n.to_str()),
        Some("deps"),
        "expected the test binary in target/<profile>/deps/, it is at {}",
        exe.display()
    );
    deps.parent().expect("deps/ has a parent").to_path_buf()
}

/// The newest `libstarpos.so` of `target/<profile>/deps/` (built by `cargo test`, the crate
/// lists `cdylib`) and `target/<profile>/` (copied there by `cargo build`).
fn shared_library() -> PathBuf {
    let profile = profile_dir();
    let candidates = [
        profile.join("deps").join("libstarpos.so"),
        profile.join("libstarpos.so"),
    ];
    candidates
        .iter()
        .filter_map(|p| Some((std::fs::metadata(p).ok()?.modified().ok()?, p)))
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| {
            panic!(
                "libstarpos.so is in neither {} nor {}: `cargo test` builds it (crate-type \
                 lists cdylib)",
                candidates[0].display(),
                candidates[1].display()
            )
        })
}

/// What the test needs from an ELF shared object.
struct Elf {
    soname: Option<String>,
    /// Defined symbols with global or weak binding and default or protected visibility.
    exported: BTreeSet<String>,
    /// The subset of `exported` that are functions.
    functions: BTreeSet<String>,
}

/// A bounds-checked reader of one ELF file's bytes.
struct Bytes<'a> {
    data: &'a [u8],
    big_endian: bool,
    wide: bool,
}

impl Bytes<'_> {
    fn slice(&self, at: u64, len: u64) -> &[u8] {
        let start = usize::try_from(at).expect("offset fits usize");
        let end = start + usize::try_from(len).expect("length fits usize");
        self.data
            .get(start..end)
            .unwrap_or_else(|| panic!("ELF read out of bounds: {start}..{end}"))
    }
    fn u8(&self, at: u64) -> u8 {
        self.slice(at, 1)[0]
    }
    fn u16(&self, at: u64) -> u16 {
        let b: [u8; 2] = self.slice(at, 2).try_into().unwrap();
        if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    }
    fn u32(&self, at: u64) -> u32 {
        let b: [u8; 4] = self.slice(at, 4).try_into().unwrap();
        if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    }
    fn u64(&self, at: u64) -> u64 {
        let b: [u8; 8] = self.slice(at, 8).try_into().unwrap();
        if self.big_endian {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        }
    }
    /// An address, offset or size: 4 bytes in ELF32, 8 in ELF64.
    fn word(&self, at: u64) -> u64 {
        if self.wide {
            self.u64(at)
        } else {
            u64::from(self.u32(at))
        }
    }
    /// The NUL-terminated string at `offset` into the string table at `table`.
    fn string(&self, table: u64, offset: u64) -> String {
        let start = usize::try_from(table + offset).expect("offset fits usize");
        let rest = self.data.get(start..).expect("string inside the file");
        let len = rest
            .iter()
            .position(|&b| b == 0)
            .expect("string is NUL-terminated");
        String::from_utf8(rest[..len].to_vec()).expect("symbol names are UTF-8")
    }
}

/// One section header's fields that matter here.
struct Section {
    kind: u32,
    offset: u64,
    size: u64,
    link: u32,
    entsize: u64,
}

fn parse_elf(data: &[u8]) -> Elf {
    assert!(
        data.len() >= 64 && data[..4] == *b"\x7fELF",
        "not an ELF file"
    );
    let elf = Bytes {
        data,
        wide: match data[4] {
            1 => false,
            2 => true,
            c => panic!("unknown ELF class {c}"),
        },
        big_endian: match data[5] {
            1 => false,
            2 => true,
            d => panic!("unknown ELF data encoding {d}"),
        },
    };
    assert_eq!(elf.u16(16), 3, "expected a shared object (ET_DYN)");
    // Section header table: e_shoff, e_shentsize, e_shnum.
    let (shoff, shentsize, shnum) = if elf.wide {
        (elf.u64(0x28), elf.u16(0x3a), elf.u16(0x3c))
    } else {
        (u64::from(elf.u32(0x20)), elf.u16(0x2e), elf.u16(0x30))
    };
    assert!(
        shoff != 0 && shnum != 0,
        "the library has no section headers"
    );
    let sections: Vec<Section> = (0..u64::from(shnum))
        .map(|i| {
            let at = shoff + i * u64::from(shentsize);
            // sh_name u32, sh_type u32, sh_flags word, sh_addr word, sh_offset word,
            // sh_size word, sh_link u32, sh_info u32, sh_addralign word, sh_entsize word.
            let w = if elf.wide { 8 } else { 4 };
            Section {
                kind: elf.u32(at + 4),
                offset: elf.word(at + 8 + 2 * w),
                size: elf.word(at + 8 + 3 * w),
                link: elf.u32(at + 8 + 4 * w),
                entsize: elf.word(at + 16 + 5 * w),
            }
        })
        .collect();
    const SHT_DYNAMIC: u32 = 6;
    const SHT_DYNSYM: u32 = 11;
    const DT_NULL: u64 = 0;
    const DT_SONAME: u64 = 14;

    let mut soname = None;
    for dynamic in sections.iter().filter(|s| s.kind == SHT_DYNAMIC) {
        let strtab = sections[dynamic.link as usize].offset;
        let entry = if elf.wide { 16 } else { 8 };
        for i in 0..dynamic.size / entry {
            let at = dynamic.offset + i * entry;
            let tag = elf.word(at);
            let value = elf.word(at + entry / 2);
            match tag {
                DT_NULL => break,
                DT_SONAME => soname = Some(elf.string(strtab, value)),
                _ => {}
            }
        }
    }

    let mut exported = BTreeSet::new();
    let mut functions = BTreeSet::new();
    let dynsym = sections
        .iter()
        .find(|s| s.kind == SHT_DYNSYM)
        .expect("a shared library has a .dynsym section");
    let strtab = sections[dynsym.link as usize].offset;
    let entry = if dynsym.entsize != 0 {
        dynsym.entsize
    } else if elf.wide {
        24
    } else {
        16
    };
    for i in 1..dynsym.size / entry {
        let at = dynsym.offset + i * entry;
        // ELF32: name u32, value u32, size u32, info u8, other u8, shndx u16.
        // ELF64: name u32, info u8, other u8, shndx u16, value u64, size u64.
        let (name, info, other, shndx) = if elf.wide {
            (elf.u32(at), elf.u8(at + 4), elf.u8(at + 5), elf.u16(at + 6))
        } else {
            (
                elf.u32(at),
                elf.u8(at + 12),
                elf.u8(at + 13),
                elf.u16(at + 14),
            )
        };
        let (bind, kind, visibility) = (info >> 4, info & 0xf, other & 3);
        const SHN_UNDEF: u16 = 0;
        const STB_GLOBAL: u8 = 1;
        const STB_WEAK: u8 = 2;
        const STB_GNU_UNIQUE: u8 = 10;
        const STT_FUNC: u8 = 2;
        const STT_GNU_IFUNC: u8 = 10;
        const STV_DEFAULT: u8 = 0;
        const STV_PROTECTED: u8 = 3;
        let global = matches!(bind, STB_GLOBAL | STB_WEAK | STB_GNU_UNIQUE);
        let visible = matches!(visibility, STV_DEFAULT | STV_PROTECTED);
        if shndx == SHN_UNDEF || !global || !visible {
            continue;
        }
        let name = elf.string(strtab, u64::from(name));
        if matches!(kind, STT_FUNC | STT_GNU_IFUNC) {
            functions.insert(name.clone());
        }
        exported.insert(name);
    }
    Elf {
        soname,
        exported,
        functions,
    }
}

/// The functions `header` declares: top-level lines (not indented, not comments, not
/// typedefs or preprocessor lines) with `starpos_<name>(`, the name being the function's.
fn declared_functions(header: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in header.lines() {
        let top_level = line.starts_with(|c: char| c.is_ascii_alphabetic());
        if !top_level || line.starts_with("typedef") || line.starts_with("extern") {
            continue;
        }
        let Some(paren) = line.find('(') else {
            continue;
        };
        let before = &line[..paren];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let name = &before[start..];
        if name.starts_with("starpos_") {
            names.insert(name.to_owned());
        }
    }
    names
}

fn library() -> (PathBuf, Elf) {
    let path = shared_library();
    let data =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let elf = parse_elf(&data);
    (path, elf)
}

#[test]
fn soname_names_the_abi_generation() {
    let (path, elf) = library();
    let want = soname::soname();
    assert_eq!(
        elf.soname.as_deref(),
        Some(want.as_str()),
        "SONAME of {}",
        path.display()
    );
}

#[test]
fn every_exported_symbol_is_starpos() {
    let (path, elf) = library();
    assert!(
        !elf.exported.is_empty(),
        "{} exports nothing at all",
        path.display()
    );
    let strays: Vec<&String> = elf
        .exported
        .iter()
        .filter(|name| !name.starts_with("starpos_"))
        .collect();
    assert!(
        strays.is_empty(),
        "{} exports symbols outside the starpos_ namespace: {strays:?}",
        path.display()
    );
}

#[test]
fn header_and_library_declare_the_same_functions() {
    let header_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/starpos.h");
    let header = std::fs::read_to_string(&header_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", header_path.display()));
    let declared = declared_functions(&header);
    assert!(
        declared.len() >= 10 && declared.contains("starpos_version"),
        "the header parser found too little in {}: {declared:?}",
        header_path.display()
    );
    let (path, elf) = library();
    let missing: Vec<&String> = declared.difference(&elf.functions).collect();
    let undeclared: Vec<&String> = elf.functions.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "declared in starpos.h but not exported by {}: {missing:?}",
        path.display()
    );
    assert!(
        undeclared.is_empty(),
        "exported by {} but not declared in starpos.h: {undeclared:?}",
        path.display()
    );
    // Data symbols would be ABI too, and the header declares none.
    let data: Vec<&String> = elf.exported.difference(&elf.functions).collect();
    assert!(
        data.is_empty(),
        "{} exports data symbols: {data:?}",
        path.display()
    );
}

#[test]
fn version_is_the_crate_version() {
    let version = starpos::ffi::starpos_version();
    assert!(!version.is_null());
    // SAFETY: starpos_version returns a pointer to a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(version) };
    assert_eq!(version.to_str(), Ok(env!("CARGO_PKG_VERSION")));
}

#[test]
fn header_parser_reads_cbindgen_declarations() {
    let sample = "\
typedef void (*starpos_log_fn)(int32_t level, const char *message, void *userdata);
#ifdef __cplusplus
extern \"C\" {
#endif
/**
 * starpos_not_this(x)
 */
enum starpos_status starpos_qry(const struct starpos_config *config,
                                struct starpos_qry_response *response);
const char *starpos_version(void);
  int starpos_indented(void);
";
    let found: Vec<String> = declared_functions(sample).into_iter().collect();
    assert_eq!(found, ["starpos_qry", "starpos_version"]);
}
