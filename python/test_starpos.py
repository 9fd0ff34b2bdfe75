"""Tests of the ``starpos`` package against the real libstarpos and simulators of the gateway.

Hermetic: after a ``cargo build``, ``python3 -m unittest -v`` from ``python/`` in a checkout
needs no library, no gateway and no credentials in the environment: without
``STARPOS_LIBRARY`` the source package loads the checkout's ``target/debug/libstarpos.so``
(``starpos._loader``, step 4). The tests
then start two ``starpos-sim`` processes of their own on free ports
(``<target>/debug/starpos-sim``, built with cargo when missing; ``<target>`` is
``CARGO_TARGET_DIR`` or ``target/`` of the checkout), one whose payments settle ('S') 150 ms
after they are made and one whose payments stay 'A', as the simulator's own merchant, and stop
them when the tests end. Faults are armed by the tests that need them and cleared after each
test, whatever its outcome, so a run leaves the simulators as it found them.

``.ci/python.sh`` (a fresh venv after ``pip install ./python``) and ``cargo test --test python``
(tests/python.rs) hand their own in instead, through:

- ``STARPOS_LIBRARY``: the libstarpos.so to load when the package bundles none (a bundled one
  comes first; or one the package finds itself);
- ``STARPOS_GATEWAY``: a simulator whose payments settle shortly after they are made, and
  ``STARPOS_GATEWAY_UNSETTLED``: one whose payments stay 'A' (each started here when unset);
- ``STARPOS_ORG_NO``, ``STARPOS_MERC_ID``, ``STARPOS_TRM_NO``, ``STARPOS_KEY``: the merchant
  (default: the simulator's own);
- ``STARPOS_SIM``: the ``starpos-sim`` binary to start;
- ``STARPOS_ABI_SIZES``: JSON ``{"starpos_config": [size, align], ...}`` from the Rust types
  (the one test that needs it is skipped without it);
- ``STARPOS_HEADER``: ``include/starpos.h`` (default: ``../include/starpos.h`` from here);
- ``CC``: the C compiler that checks the struct layouts (default ``cc``);
- ``STARPOS_PACKAGE_DIR``: where the ``starpos`` package under test must come from (default
  ``starpos/`` beside this file; ``.ci/python.sh`` names the venv's copy);
- ``STARPOS_PYPROJECT``: ``pyproject.toml`` (default: beside this file).
"""

import ctypes
import dataclasses
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
from unittest import mock
import urllib.error
import urllib.parse
import urllib.request
import uuid

import starpos

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.environ.get("STARPOS_PACKAGE_DIR") or os.path.join(HERE, "starpos")
PYPROJECT = os.environ.get("STARPOS_PYPROJECT") or os.path.join(HERE, "pyproject.toml")

HEADER = os.environ.get("STARPOS_HEADER") or os.path.join(HERE, "..", "include", "starpos.h")

#: The checkout this file is in (``python/..``), when it is in one.
REPO = os.path.dirname(HERE)
TARGET = os.path.join(REPO, os.environ.get("CARGO_TARGET_DIR") or "target")


def in_checkout():
    return os.path.exists(os.path.join(REPO, "Cargo.toml"))


def built(path, *cargo_args):
    """``path`` (under ``TARGET``), built by ``cargo build <cargo_args>`` when missing."""
    if not os.path.exists(path):
        if not (in_checkout() and shutil.which("cargo")):
            raise RuntimeError(f"{path} is missing and there is no cargo checkout to build it in")
        subprocess.run(["cargo", "build", "-q", *cargo_args], cwd=REPO, check=True)
    return path



#: The simulator's own merchant (its defaults).
SIM_MERCHANT = dict(org_no="489", merc_id="800290000007906", trm_no="XB006439",
                    key="9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A")
CREDENTIALS = {
    name: os.environ.get(f"STARPOS_{name.upper()}") or default
    for name, default in SIM_MERCHANT.items()
}

#: The simulators' base URLs: given, or set by ``require_simulators``.
GATEWAY = os.environ.get("STARPOS_GATEWAY") or None
UNSETTLED = os.environ.get("STARPOS_GATEWAY_UNSETTLED") or None


class Simulator:
    """A ``starpos-sim`` process of this test run, on a free loopback port."""

    def __init__(self, *options):
        binary = os.environ.get("STARPOS_SIM") or built(
            os.path.join(TARGET, "debug", "starpos-sim"), "-p", "starpos-sim", "--bin",
            "starpos-sim")
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--org-no", CREDENTIALS["org_no"], "--merc-id",
             CREDENTIALS["merc_id"], "--key", CREDENTIALS["key"], *options],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", errors="replace")
        self.output = []
        self.base_url = None
        started = threading.Event()

        def read():
            # Drains the output for as long as the process runs (a full pipe would stop it).
            for line in self.process.stdout:
                self.output.append(line)
                if self.base_url is None and line.strip().startswith("base URL:"):
                    self.base_url = line.split("base URL:", 1)[1].strip()
                    started.set()
            started.set()  # the process ended

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not started.wait(60) or self.base_url is None:
            self.stop()
            raise RuntimeError("starpos-sim did not start:\n" + "".join(self.output))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(10)
        self.process.stdout.close()


#: The simulators this run started (stopped by ``tearDownModule``).
STARTED = []


def require_simulators():
    """Starts the simulators the environment did not give (once per run)."""
    global GATEWAY, UNSETTLED
    if GATEWAY is None:
        STARTED.append(Simulator("--settle-after-ms", "150"))
        GATEWAY = STARTED[-1].base_url
    if UNSETTLED is None:
        STARTED.append(Simulator())
        UNSETTLED = STARTED[-1].base_url


def tearDownModule():
    while STARTED:
        STARTED.pop().stop()


class SimulatorTest(unittest.TestCase):
    """A test against the simulators: started for it if need be; every fault a test armed is
    cleared after it, whether it passed or not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        require_simulators()

    def tearDown(self):
        for gateway in (GATEWAY, UNSETTLED):
            control(gateway, "fault", {"fault": "none"})
        super().tearDown()


#: The gateway documentation's worked example (spec section 2).
EXAMPLE_KEY = "Pz5meIuUxRKcF7rlvPglliyfwvC9vhjGcBy61WHM00Qfwz0E6yTTLwgxJsFYE9IQ"
EXAMPLE_REQUEST = {
    "amount": "1",
    "authCode": "130219205322723729",
    "characterSet": "00",
    "mercId": "800290000000441",
    "opSys": "3",
    "orgNo": "489",
    "payChannel": "WXPAY",
    "signType": "MD5",
    "total_amount": "1",
    "tradeNo": "20170804103115431251",
    "trmNo": "95006888",
    "txnTime": "20170804103115",
    "version": "V1.0.0",
    "signValue": "",
}
EXAMPLE_SIGNATURE = "a8fda4082fbdd3e3ff679097cd4fae72"

#: The real sandbox answer of spec section 2: verifies only with ``message`` decoded.
SANDBOX_KEY = "9FF13E7726C4DFEB3BED750779F59711"
SANDBOX_ANSWER = (
    '{"total_amount":"222","amount":"1","message":"%E7%AD%89%E5%BE%85%E6%94%AF%E4%BB%98",'
    '"sysTime":"20190108185251","result":"A","returnCode":"000000",'
    '"orderNo":"201901080013547459","logNo":"201901080013547459",'
    '"tradeNo":"20190804103115431293","mercId":"800290000007906",'
    '"signValue":"5c2f8445c4fb7fa73a07c2390f692e64"}'
)


def read_header():
    """The header's text without its comments."""
    with open(HEADER, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def header_functions():
    """{name: number of parameters} for every function the header declares."""
    found = {}
    for m in re.finditer(r"\b(starpos_\w+)\s*\(([^;{}]*?)\)\s*;", read_header(), flags=re.S):
        params = m.group(2).strip()
        found[m.group(1)] = 0 if params in ("", "void") else params.count(",") + 1
    return found


def header_defines():
    """{name: int} for every numeric #define of the header."""
    return {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"^#define\s+(STARPOS_\w+)\s+(\d+)\s*$", read_header(), flags=re.M)
    }


def header_enums():
    """{enum name: {value name: int}} for every enum of the header."""
    enums = {}
    for m in re.finditer(r"typedef enum (\w+) \{(.*?)\} \1;", read_header(), flags=re.S):
        enums[m.group(1)] = {
            v.group(1): int(v.group(2))
            for v in re.finditer(r"\b(STARPOS_\w+)\s*=\s*(-?\d+)", m.group(2))
        }
    return enums


def header_structs():
    """{struct name: [(field, ctypes type)]} parsed from the header."""
    defines = header_defines()
    scalars = {
        "uint64_t": ctypes.c_uint64,
        "uint32_t": ctypes.c_uint32,
        "bool": ctypes.c_bool,
        "char": ctypes.c_char,
        "starpos_status": ctypes.c_int,
        "void": ctypes.c_void_p,
        "starpos_progress_fn": starpos.starpos_progress_fn,
    }
    structs = {}
    pattern = r"typedef struct (\w+) \{(.*?)\} \1;"
    for m in re.finditer(pattern, read_header(), flags=re.S):
        fields = []
        for decl in m.group(2).split(";"):
            decl = " ".join(decl.split())
            if not decl:
                continue
            f = re.fullmatch(r"(const )?(?:enum |struct )?(\w+) (\*)?(\w+)(?:\[(\w+)\])?", decl)
            if f is None:
                raise AssertionError(f"cannot parse the field {decl!r} of {m.group(1)}")
            const, ctype, pointer, name, size = f.groups()
            if pointer and ctype == "char":
                t = ctypes.c_char_p
            elif pointer:
                t = ctypes.c_void_p
            elif size:
                t = scalars[ctype] * defines[size]
            else:
                t = scalars[ctype]
            fields.append((name, t))
        structs[m.group(1)] = fields
    return structs


def c_layouts(compiler, structs):
    """{struct: (sizeof, alignment, {field: offset})} printed by a C program built with
    ``compiler`` against the header."""
    lines = ["#include <stdio.h>", "#include <stddef.h>", f'#include "{os.path.abspath(HEADER)}"',
             "int main(void) {"]
    for name, fields in structs.items():
        lines.append(f'  printf("S {name} %zu %zu\\n", sizeof({name}), _Alignof({name}));')
        for field, _ in fields:
            lines.append(f'  printf("F {name} {field} %zu\\n", offsetof({name}, {field}));')
    lines += ["  return 0;", "}"]
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "layout.c")
        program = os.path.join(tmp, "layout")
        with open(source, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run([compiler, "-std=c11", "-o", program, source], check=True)
        output = subprocess.run([program], check=True, capture_output=True, text=True).stdout
    layouts = {}
    for line in output.splitlines():
        kind, name, *rest = line.split()
        if kind == "S":
            layouts[name] = (int(rest[0]), int(rest[1]), {})
        else:
            layouts[name][2][rest[0]] = int(rest[1])
    return layouts


class Harness(SimulatorTest):
    """The simulators this file runs against are left as found."""

    def test_a_fault_armed_by_a_failing_test_is_cleared(self):
        class Armed(SimulatorTest):
            def test_fails_with_a_fault_armed(self):
                control(GATEWAY, "fault",
                        {"fault": "close_mid_body", "endpoint": "pubSigQry", "count": 5})
                self.fail("on purpose")

        result = unittest.TestResult()
        Armed("test_fails_with_a_fault_armed").run(result)
        self.assertEqual(len(result.failures), 1, result.failures)
        self.assertEqual(result.errors, [])
        account = starpos.Client(GATEWAY, **CREDENTIALS).qry()
        self.assertEqual(account.return_code, "000000")


class Abi(unittest.TestCase):
    """The module mirrors the header exactly."""

    def test_every_header_function_is_declared(self):
        functions = header_functions()
        self.assertGreaterEqual(len(functions), 14, functions)
        for name, count in functions.items():
            with self.subTest(function=name):
                fn = getattr(starpos.lib, name)
                self.assertIsNotNone(fn.argtypes, f"{name} has no argtypes")
                self.assertEqual(len(fn.argtypes), count, f"{name}: argtypes vs the header")
                self.assertIn(name, starpos._SIGNATURES)
        self.assertEqual(set(starpos._SIGNATURES), set(functions), "declared but not in header")
        self.assertEqual(starpos.MISSING_FUNCTIONS, set(), "the library lacks them")

    def test_a_library_that_lacks_a_function_says_which(self):
        """(A newer module on an older system library.) Arguments are still checked first."""
        client = starpos.Client("http://127.0.0.1:9/", "489", "800290000007906", "XB006439",
                                "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A")
        starpos.MISSING_FUNCTIONS.add("starpos_journal_list")
        try:
            with self.assertRaises(NotImplementedError) as c:
                client.journal()
            self.assertIn("has no starpos_journal_list", str(c.exception))
        finally:
            starpos.MISSING_FUNCTIONS.discard("starpos_journal_list")

    def test_defines_match(self):
        for name, value in header_defines().items():
            with self.subTest(define=name):
                self.assertEqual(getattr(starpos, name), value)

    def test_status_is_the_header_enum(self):
        [(name, values)] = header_enums().items()
        self.assertEqual(name, "starpos_status")
        self.assertEqual(starpos._abi.ENUMS, {name: values})
        mine = {s.name: int(s) for s in starpos.Status}
        theirs = {k.replace("STARPOS_ERR_", "").replace("STARPOS_", ""): v
                  for k, v in values.items()}
        self.assertEqual(mine, theirs)

    def test_structs_match_the_header_field_for_field(self):
        structs = header_structs()
        self.assertEqual(set(structs), set(starpos.STRUCTS))
        for name, fields in structs.items():
            with self.subTest(struct=name):
                mine = starpos.STRUCTS[name]._fields_
                self.assertEqual([f for f, _ in mine], [f for f, _ in fields], "field order")
                for (field, t), (_, ht) in zip(mine, fields):
                    self.assertEqual(ctypes.sizeof(t), ctypes.sizeof(ht), field)
                    self.assertEqual(getattr(t, "_type_", t), getattr(ht, "_type_", ht), field)

    #: Each answer class and its response struct, as the header names them.
    ANSWERS = {
        "QryResult": "starpos_qry_response",
        "PayResult": "starpos_pay_response",
        "QueryResult": "starpos_query_response",
        "RefundResult": "starpos_refund_response",
        "RevokeResult": "starpos_revoke_response",
        "BarcodePayResult": "starpos_barcode_pay_response",
        "QrPayResult": "starpos_qr_pay_response",
    }

    def test_answer_classes_have_exactly_the_response_structs_fields(self):
        # From the header itself, not the mirror: drift in either cannot pass silently.
        structs = header_structs()
        for cls_name, struct in self.ANSWERS.items():
            with self.subTest(cls=cls_name):
                cls = getattr(starpos, cls_name)
                want = [f for f, _ in structs[struct] if f != "error"]
                self.assertEqual([f.name for f in dataclasses.fields(cls)], want)
                self.assertFalse(hasattr(cls, "error"))
                types = {f.name: f.type for f in dataclasses.fields(cls)}
                self.assertEqual(types["verified"], "bool")
                self.assertEqual(types.get("result", "Optional[str]"), "Optional[str]")
                self.assertEqual(types["return_code"], "str")
                self.assertTrue(cls.__doc__ and cls.__doc__.startswith("What "), cls_name)

    def test_secrets_stay_out_of_repr(self):
        for cls_name in self.ANSWERS:
            with self.subTest(cls=cls_name):
                cls = getattr(starpos, cls_name)
                values = {}
                for f in dataclasses.fields(cls):
                    values[f.name] = {"bool": True, "int": 1, "Optional[str]": "S"}.get(
                        f.type, "SECRET-" + f.name if f.name in ("app_id_key", "open_id") else "x"
                    )
                text = repr(cls(**values))
                self.assertNotIn("SECRET", text)
                self.assertNotIn("app_id_key", text)
                self.assertNotIn("open_id", text)
        self.assertIn("app_id_key", {f.name for f in dataclasses.fields(starpos.QryResult)})
        self.assertIn("open_id", {f.name for f in dataclasses.fields(starpos.BarcodePayResult)})

    def test_struct_sizes_match_rust(self):
        sizes = os.environ.get("STARPOS_ABI_SIZES")
        if not sizes:
            self.skipTest("STARPOS_ABI_SIZES not set")
        for name, (size, align) in json.loads(sizes).items():
            with self.subTest(struct=name):
                cls = starpos.STRUCTS[name]
                self.assertEqual(ctypes.sizeof(cls), size)
                self.assertEqual(ctypes.alignment(cls), align)

    def test_struct_layouts_match_the_c_compiler(self):
        """sizeof, alignment and every field's offset, as a C compiler sees include/starpos.h."""
        compiler = os.environ.get("CC") or "cc"
        if not shutil.which(compiler):
            self.skipTest(f"no C compiler ({compiler}); set CC")
        structs = header_structs()
        layouts = c_layouts(compiler, structs)
        self.assertEqual(set(layouts), set(structs))
        for name, (size, align, offsets) in layouts.items():
            with self.subTest(struct=name):
                cls = starpos.STRUCTS[name]
                self.assertEqual(ctypes.sizeof(cls), size, "sizeof")
                self.assertEqual(ctypes.alignment(cls), align, "alignment")
                mine = {field: getattr(cls, field).offset for field, _ in cls._fields_}
                self.assertEqual(mine, offsets, "field offsets")

    def test_the_package_under_test_is_the_expected_one(self):
        self.assertEqual(os.path.realpath(os.path.dirname(starpos.__file__)),
                         os.path.realpath(PACKAGE_DIR))
        self.assertTrue(os.path.exists(os.path.join(PACKAGE_DIR, "py.typed")), "no py.typed")

    def test_package_version_is_the_library_version(self):
        with open(PYPROJECT, encoding="utf-8") as f:
            declared = re.search(r'^version = "([^"]+)"', f.read(), flags=re.M)
        self.assertIsNotNone(declared, "pyproject.toml has no version")
        self.assertEqual(declared.group(1), starpos.__version__)
        self.assertEqual(starpos.__version__, starpos.version())

    def test_status_helpers(self):
        self.assertEqual(starpos.status_str(0), "OK")
        self.assertEqual(starpos.status_str(starpos.Status.GATEWAY), "GATEWAY")
        self.assertEqual(starpos.status_str(99), "UNKNOWN")
        self.assertEqual(starpos.status_str(1 << 40), "UNKNOWN")
        doubt = [s.name for s in starpos.Status if starpos.status_in_doubt(s)]
        self.assertEqual(doubt,
                         ["TIMEOUT", "HTTP", "PROTOCOL", "SIGNATURE", "INTERNAL", "CANCELLED"])
        for s in starpos.Status:
            self.assertEqual(starpos.status_str(s), s.name)
        self.assertRegex(starpos.version(), r"^\d+\.\d+\.\d+")
        for bad in (True, "3", 3.0, None):
            with self.subTest(code=bad):
                with self.assertRaises(TypeError) as c:
                    starpos.status_str(bad)
                self.assertIn("code", str(c.exception))
                with self.assertRaises(starpos.InvalidArgumentError):
                    starpos.status_in_doubt(bad)


class Loader(unittest.TestCase):
    """Which libstarpos the package loads: the one bundled in it first, then STARPOS_LIBRARY,
    then the system loader; ``library_path`` names the file that was loaded."""

    def test_library_path_is_the_file_the_order_picks(self):
        bundled = os.path.join(PACKAGE_DIR, "libstarpos.so")
        explicit = os.environ.get("STARPOS_LIBRARY")
        path = starpos.library_path
        self.assertTrue(os.path.isabs(path) and os.path.isfile(path),
                        f"library_path {path!r} is not the file that was loaded")
        if os.path.exists(bundled):
            # Even when STARPOS_LIBRARY names another (.ci/python.sh exports one).
            self.assertEqual(os.path.realpath(path), os.path.realpath(bundled))
        elif explicit:
            self.assertEqual(os.path.realpath(path), os.path.realpath(explicit))

    def test_candidates_in_order(self):
        from starpos import _loader

        with tempfile.TemporaryDirectory() as d:
            bundled = os.path.join(d, "libstarpos.so")
            other = os.path.join(d, "other", "libstarpos.so")
            os.mkdir(os.path.dirname(other))
            for path in (bundled, other):
                open(path, "wb").close()
            env = {k: v for k, v in os.environ.items() if k != "STARPOS_LIBRARY"}
            with mock.patch.object(_loader, "_HERE", d):
                with mock.patch.dict(os.environ, {"STARPOS_LIBRARY": other}):
                    self.assertEqual(_loader._candidates(), [bundled])
                os.remove(bundled)
                with mock.patch.dict(os.environ, {"STARPOS_LIBRARY": other}):
                    self.assertEqual(_loader._candidates(), [other])
                with mock.patch.dict(os.environ, {"STARPOS_LIBRARY": bundled}):
                    with self.assertRaisesRegex(OSError, "STARPOS_LIBRARY=.*no such file"):
                        _loader._candidates()
                with mock.patch.dict(os.environ, env, clear=True):
                    system = _loader._candidates()
                self.assertEqual(system[-1], "libstarpos.so", system)
                self.assertNotIn(other, system)


class Offline(unittest.TestCase):
    """The helpers that need no gateway."""

    def test_sign_json_worked_example(self):
        self.assertEqual(starpos.sign_json(EXAMPLE_REQUEST, EXAMPLE_KEY), EXAMPLE_SIGNATURE)
        self.assertEqual(
            starpos.sign_json(json.dumps(EXAMPLE_REQUEST), EXAMPLE_KEY), EXAMPLE_SIGNATURE
        )

    def test_verify_json_worked_example(self):
        signed = dict(EXAMPLE_REQUEST, signValue=EXAMPLE_SIGNATURE)
        self.assertTrue(starpos.verify_json(signed, EXAMPLE_KEY))
        self.assertTrue(starpos.verify_json(json.dumps(signed), EXAMPLE_KEY))
        self.assertFalse(starpos.verify_json(dict(signed, amount="2"), EXAMPLE_KEY))
        self.assertFalse(starpos.verify_json(EXAMPLE_REQUEST, EXAMPLE_KEY))  # empty signValue
        self.assertTrue(starpos.verify_json(SANDBOX_ANSWER, SANDBOX_KEY))

    def test_sign_and_verify_reject_bad_input(self):
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            starpos.sign_json("[1, 2]", EXAMPLE_KEY)
        self.assertEqual(c.exception.status, starpos.Status.INVALID_ARGUMENT)
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            starpos.verify_json(EXAMPLE_REQUEST, "short")
        self.assertIn("key", c.exception.error)

    def test_oauth_url(self):
        self.assertEqual(
            starpos.oauth_url("wx1a2b3c4d5e6f7a8b", "https://shop.example/pay/cb?t=XB006439",
                              state="abc123"),
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1a2b3c4d5e6f7a8b"
            "&redirect_uri=https%3A%2F%2Fshop.example%2Fpay%2Fcb%3Ft%3DXB006439"
            "&response_type=code&scope=snsapi_base&state=abc123#wechat_redirect",
        )
        self.assertEqual(
            starpos.oauth_url("wx1", "http://a.example/回调"),
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1"
            "&redirect_uri=http%3A%2F%2Fa.example%2F%E5%9B%9E%E8%B0%83"
            "&response_type=code&scope=snsapi_base#wechat_redirect",
        )

    def test_oauth_url_long_result_grows_the_buffer(self):
        redirect = "https://shop.example/" + "x" * 1000
        url = starpos.oauth_url("wx1", redirect)
        self.assertIn("x" * 1000, url)
        self.assertGreater(len(url), 1024)

    def test_buffers_grow_by_the_size_the_library_reports_not_its_words(self):
        """The library says how large a buffer must be through the ``*_sized`` calls' ``needed``;
        the error's words are not read to learn it (here they are not even available)."""
        redirect = "https://shop.example/" + "y" * 1000
        sizes = []
        real = starpos.lib.starpos_wechat_oauth_url_sized

        def spy(*args):
            sizes.append(args[4])
            return real(*args)

        with mock.patch.object(starpos._text, "last_error", lambda charset="utf-8": ""), \
                mock.patch.object(starpos._functions, "_c_function", lambda name: spy):
            url = starpos.oauth_url("wx1", redirect)
        self.assertIn("y" * 1000, url)
        self.assertEqual(len(sizes), 2, sizes)
        self.assertEqual(sizes[1], len(url.encode()) + 1, "grown to exactly the size needed")

    def test_oauth_url_bad_input_names_the_argument(self):
        for kwargs, field in [
            (dict(app_id="wx1", redirect_uri="https://a.example/", state="not ok"), "state"),
            (dict(app_id="wx1", redirect_uri="ftp://a.example/"), "redirect_uri"),
            (dict(app_id="", redirect_uri="https://a.example/"), "app_id"),
        ]:
            with self.subTest(field=field):
                with self.assertRaises(starpos.InvalidArgumentError) as c:
                    starpos.oauth_url(**kwargs)
                e = c.exception
                self.assertEqual(e.status, starpos.Status.INVALID_ARGUMENT)
                self.assertEqual(e.status_name, "INVALID_ARGUMENT")
                self.assertIn(field, e.error)
                self.assertFalse(e.in_doubt)

    def test_jsapi_params_from_a_dict(self):
        pay = dict(
            api_appid="wx1234567890abcdef",
            api_timestamp="1700000000",
            api_noncestr="n0nce",
            api_package="prepay_id=wx2017",
            api_signtype="MD5",
            api_paysign="C380BEC2BFD727A4B6845133519F3AD6",
        )
        params = starpos.jsapi_params(pay)
        self.assertEqual(
            list(params.items()),
            [
                ("appId", "wx1234567890abcdef"),
                ("timeStamp", "1700000000"),
                ("nonceStr", "n0nce"),
                ("package", "prepay_id=wx2017"),
                ("signType", "MD5"),
                ("paySign", "C380BEC2BFD727A4B6845133519F3AD6"),
            ],
        )
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            starpos.jsapi_params(dict(pay, api_appid=""))
        self.assertIn("apiAppid", c.exception.error)

    def test_connect_error_is_not_in_doubt(self):
        client = starpos.Client("http://127.0.0.1:9/adpweb/ehpspos3/", "489", "800290000007906",
                                "XB006439", "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A",
                                connect_timeout_ms=2000, timeout_ms=5000)
        with self.assertRaises(starpos.ConnectError) as c:
            client.qry()
        self.assertEqual(c.exception.status, starpos.Status.CONNECT)
        self.assertFalse(c.exception.in_doubt)
        self.assertIn("key=<hidden>", repr(client))

    def test_bad_configuration_names_the_field(self):
        client = starpos.Client("http://127.0.0.1:9/", "489", "800290000007906", "bad trm!",
                                "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A")
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            client.qry()
        self.assertIn("trm_no", c.exception.error)
        client = starpos.Client("http://127.0.0.1:9/", "489", "800290000007906", "XB006439",
                                "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A", flags=0x100)
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            client.qry()
        self.assertIn("flags", c.exception.error)


def unique(prefix):
    """A number no earlier test used (OAuth codes are single-use)."""
    return f"{prefix}{uuid.uuid4().hex[:16]}"


class AgainstTheSimulator(SimulatorTest):
    """The calls, against the simulator whose payments settle shortly after they are made."""

    def setUp(self):
        self.client = starpos.Client(GATEWAY, **CREDENTIALS)

    def paid_order(self, amount):
        """Pays ``amount`` fen and waits for 'S'; returns (pay answer, final query answer)."""
        paid = self.client.pay(code=unique("py"), amount=amount, subject="测试商品 test")
        final = self.client.wait(paid.log_no, interval_ms=50, deadline_ms=15000)
        return paid, final

    def test_qry(self):
        account = self.client.qry()
        self.assertIsInstance(account, starpos.QryResult)
        self.assertEqual(account.return_code, "000000")
        self.assertTrue(account.verified)
        self.assertTrue(account.app_id.startswith("wx"), account)
        self.assertTrue(account.app_id_key)
        self.assertNotIn(account.app_id_key, repr(account))
        self.assertEqual(account.merc_id, CREDENTIALS["merc_id"])
        echoed = self.client.qry(attach="备注 note")
        self.assertEqual(echoed.attach, "备注 note")

    def test_pay_then_wait_until_paid(self):
        paid = self.client.pay(code=unique("py"), amount=150, total_amount=200,
                               subject="测试商品 test", sel_order_no=unique("SO"))
        self.assertIsInstance(paid, starpos.PayResult)
        self.assertEqual(paid.result, "A")
        self.assertTrue(paid.log_no)
        self.assertEqual((paid.amount, paid.total_amount), (150, 200))
        self.assertIsInstance(paid.amount, int)
        self.assertEqual(paid.subject, "测试商品 test")
        self.assertTrue(paid.verified)
        params = starpos.jsapi_params(paid)
        self.assertEqual(list(params), ["appId", "timeStamp", "nonceStr", "package", "signType",
                                        "paySign"])
        self.assertEqual(params["package"], paid.api_package)
        final = self.client.wait(paid.log_no, interval_ms=50, deadline_ms=15000)
        self.assertIsInstance(final, starpos.QueryResult)
        self.assertEqual(final.result, "S")
        self.assertEqual(final.log_no, paid.log_no)
        self.assertEqual(final.pay_channel, "WXPAY")
        self.assertTrue(final.order_no)
        self.assertTrue(final.trade_no)
        # The same order found again by a plain query, by its channel order number.
        again = self.client.query(final.order_no, trade_no=unique("Q"))
        self.assertEqual((again.result, again.log_no), ("S", paid.log_no))

    def test_refund_partial_too_large_then_full(self):
        _, final = self.paid_order(1000)
        self.assertEqual(final.result, "S")
        part = self.client.refund(final.order_no, 300)
        self.assertIsInstance(part, starpos.RefundResult)
        self.assertEqual((part.result, part.txn_amt), ("S", 300))
        self.assertTrue(part.trade_no)
        with self.assertRaises(starpos.GatewayError) as c:
            self.client.refund(final.order_no, 800)
        e = c.exception
        self.assertEqual(e.status, starpos.Status.GATEWAY)
        self.assertEqual(e.status_name, "GATEWAY")
        self.assertFalse(e.in_doubt)
        self.assertTrue(e.return_code)
        self.assertNotEqual(e.return_code, "000000")
        self.assertIn("700", e.message)  # what remains refundable, in the gateway's words
        self.assertIn(e.message, e.error)
        self.assertIsInstance(e.response, starpos.RefundResult)
        self.assertEqual(e.response.return_code, e.return_code)
        rest = self.client.refund(final.order_no)
        self.assertEqual((rest.result, rest.txn_amt), ("S", 700))
        with self.assertRaises(starpos.GatewayError):
            self.client.refund(final.order_no, 1)

    def test_bad_input_names_the_field(self):
        cases = [
            (lambda: self.client.pay(code="c1", amount=0), "amount"),
            (lambda: self.client.pay(code="c1", amount=101, total_amount=100), "amount"),
            (lambda: self.client.pay(amount=1), "code"),
            (lambda: self.client.pay(code="c1", openid="o1", amount=1), "openid"),
            (lambda: self.client.pay(code="c 1", amount=1), "code"),
            (lambda: self.client.query(""), "qry_no"),
            (lambda: self.client.refund(None), "order_no"),
            (lambda: self.client.wait(None, 10, 10), "qry_no"),
            (lambda: self.client.pay(code=1, amount=1), "code"),
            (lambda: self.client.pay(code="c1", amount=-1), "amount"),
        ]
        for call, field in cases:
            with self.subTest(field=field):
                with self.assertRaises(starpos.InvalidArgumentError) as c:
                    call()
                e = c.exception
                self.assertEqual(e.status, starpos.Status.INVALID_ARGUMENT)
                self.assertEqual(int(e.status), 1)
                self.assertIn(field, e.error)
                self.assertFalse(e.in_doubt)

    def test_logger(self):
        seen = []
        starpos.set_logger(lambda level, message: seen.append((level, message)))
        try:
            code = unique("log")
            self.client.pay(code=code, amount=1)
        finally:
            starpos.set_logger(None)
        self.assertTrue(any(level == 3 and "pubSigPay: OK" in m for level, m in seen), seen)
        text = repr(seen)
        self.assertNotIn(CREDENTIALS["key"], text)
        self.assertNotIn(code, text)
        count = len(seen)
        self.client.qry()
        self.assertEqual(len(seen), count, "removed: no more messages")

    def test_unknown_order(self):
        with self.assertRaises(starpos.GatewayError) as c:
            self.client.query("999999999999999999", trade_no="QT" + uuid.uuid4().hex[:10])
        e = c.exception
        self.assertTrue(e.message)
        self.assertTrue(e.response.trade_no.startswith("QT"))
        # Right after a pay the gateway may not know the order yet: a wait keeps asking, and
        # ends TIMEOUT (in doubt) carrying the last refusal.
        with self.assertRaises(starpos.TimeoutError_) as c:
            self.client.wait("999999999999999999", interval_ms=50, deadline_ms=300)
        e = c.exception
        self.assertTrue(e.in_doubt)
        self.assertEqual(e.return_code, "100004")
        self.assertIn("999999999999999999", e.message)

    def test_call_any_endpoint(self):
        answer = self.client.call("pubSigQry", {"version": "V1.0.0"})
        self.assertEqual(answer["returnCode"], "000000")
        self.assertTrue(answer["appId"].startswith("wx"))
        self.assertNotIn("signValue", answer)
        self.assertIsInstance(answer["message"], str)
        with self.assertRaises(starpos.GatewayError) as c:
            self.client.call("sdkQryBarcodePay", {"opSys": "3", "characterSet": "00",
                                                  "tradeNo": unique("T"), "version": "V1.0.0",
                                                  "qryNo": "999999999999999999"})
        self.assertEqual(c.exception.response["returnCode"], c.exception.return_code)
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            self.client.call("", {})
        self.assertIn("endpoint", c.exception.error)


def control(gateway, path, body=None):
    """The simulator's control surface at ``gateway``: GET ``/_sim/<path>``, or POST ``body``
    (JSON) to it. Returns the decoded JSON answer."""
    parts = urllib.parse.urlsplit(gateway)
    url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/_sim/{path}", "", ""))
    data = None if body is None else json.dumps(body).encode("utf-8")
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as answer:
        return json.load(answer)


def requests_received(gateway):
    """How many gateway requests the simulator at ``gateway`` has received."""
    return len(control(gateway, "requests"))


def payment_code(last_digit):
    """A fresh WeChat payment code (18 digits from 13) whose last digit tells the simulator how
    the payer behaves: 1 'A' then paid, 2 refused 'F', 3 'Z' but paid, others 'S'."""
    return "13" + "".join(random.choice("0123456789") for _ in range(15)) + last_digit


class Revoke(SimulatorTest):
    """revoke, and the closed loop (FLAG_REVOKE_ON_GIVE_UP), against the simulator whose
    payers wait until told."""

    def setUp(self):
        self.client = starpos.Client(UNSETTLED, **CREDENTIALS)

    def test_revoke_a_sale_the_payer_has_not_confirmed(self):
        sale = self.client.barcode_pay(payment_code("1"), 60)
        self.assertEqual(sale.result, "A")
        revoked = self.client.revoke(sale.trade_no)
        self.assertIsInstance(revoked, starpos.RevokeResult)
        self.assertEqual((revoked.result, revoked.amount, revoked.verified), ("S", 60, True))
        self.assertNotEqual(revoked.trade_no, sale.trade_no, "the revoke's own tradeNo")
        self.assertEqual(self.client.query(sale.trade_no).result, "D")
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            self.client.revoke("")
        self.assertIn("qry_no", c.exception.error)

    def test_the_closed_loop_leaves_the_late_payer_uncharged(self):
        client = starpos.Client(UNSETTLED, flags=starpos.FLAG_REVOKE_ON_GIVE_UP, **CREDENTIALS)
        sale = client.barcode_sale(payment_code("1"), 70, interval_ms=50, deadline_ms=300,
                                   trade_no=unique("CL"))
        self.assertEqual(sale.result, "D", "given up, revoked: not in doubt")
        with self.assertRaises(urllib.error.HTTPError) as c:
            control(UNSETTLED, "confirm", {"no": sale.trade_no})
        self.assertEqual(c.exception.code, 404, "a revoked sale cannot be paid")


class CounterSales(SimulatorTest):
    """barcode_pay, qr_pay and barcode_sale against the simulator (payments settle)."""

    def setUp(self):
        self.client = starpos.Client(GATEWAY, trm_typ="P", opr_id="op01", latitude="31.2304",
                                     longitude="121.4737", **CREDENTIALS)

    def test_trm_typ_i_is_the_ios_smart_pos(self):
        client = starpos.Client(GATEWAY, trm_typ="I", **CREDENTIALS)
        self.assertEqual(client.barcode_pay(payment_code("0"), 1).result, "S")
        self.assertEqual(control(GATEWAY, "requests")[-1]["fields"]["trmTyp"], "I")

    def test_barcode_pay_by_what_the_payer_does(self):
        for digit, result in [("0", "S"), ("2", "F"), ("3", "Z"), ("1", "A")]:
            with self.subTest(result=result):
                paid = self.client.barcode_pay(payment_code(digit), 150, 200,
                                               subject="咖啡 coffee", sel_order_no=unique("SO"))
                self.assertIsInstance(paid, starpos.BarcodePayResult)
                self.assertEqual(paid.result, result)
                self.assertTrue(paid.trade_no)
                self.assertEqual(paid.pay_channel, "WXPAY")  # from the code's prefix
                self.assertEqual((paid.amount, paid.total_amount), (150, 200))
                self.assertEqual(paid.subject, "咖啡 coffee")
                self.assertTrue(paid.verified)
                if result in ("A", "Z"):
                    final = self.client.wait(paid.trade_no, interval_ms=50, deadline_ms=15000)
                    self.assertEqual(final.result, "S")
        # The terminal's details went with every sdk call.
        fields = control(GATEWAY, "requests")[-1]["fields"]
        self.assertEqual((fields["trmTyp"], fields["oprId"], fields["latitude"],
                          fields["longitude"]), ("P", "op01", "31.2304", "121.4737"))

    def test_barcode_sale_waits_refund_and_ref_amt(self):
        sale = self.client.barcode_sale(payment_code("1"), 500, interval_ms=50,
                                        deadline_ms=15000, trade_no=unique("BS"))
        self.assertIsInstance(sale, starpos.QueryResult)
        self.assertEqual((sale.result, sale.amount), ("S", 500))
        self.assertTrue(sale.order_no)
        self.assertEqual(self.client.refund(sale.order_no, 120).result, "S")
        again = self.client.query(sale.order_no, version="V1.0.1")
        self.assertEqual((again.result, again.ref_amt), ("S", 120))
        self.assertEqual(self.client.query(sale.order_no).ref_amt, 0, "V1.0.0 answers no refAmt")

    def test_qr_pay_then_wait(self):
        shown = self.client.qr_pay("ALIPAY", 200, attach="table 7")
        self.assertIsInstance(shown, starpos.QrPayResult)
        self.assertEqual((shown.result, shown.pay_channel, shown.attach),
                         ("S", "ALIPAY", "table 7"))
        self.assertTrue(shown.pay_code.startswith("https://"), shown.pay_code)
        final = self.client.wait(shown.trade_no, interval_ms=50, deadline_ms=15000)
        self.assertEqual((final.result, final.amount), ("S", 200))

    def test_gbk_strings_round_trip(self):
        """A client with FLAG_GBK_STRINGS hands GBK to C and reads GBK back, transparently;
        a library built without the gbk feature refuses the flag, naming it, sending nothing."""
        gbk = starpos.Client(GATEWAY, flags=starpos.FLAG_GBK_STRINGS, **CREDENTIALS)
        try:
            gbk.qry()
        except starpos.InvalidArgumentError as e:
            self.assertIn("flags", e.error)
            self.assertIn("gbk", e.error)
            return
        paid = gbk.barcode_pay(payment_code("0"), 88, subject="咖啡 coffee", attach="备注")
        self.assertEqual((paid.result, paid.subject, paid.attach), ("S", "咖啡 coffee", "备注"))
        self.assertIn("交易成功", paid.message)
        with self.assertRaises(starpos.GatewayError) as c:
            gbk.query("999999999999999999")
        self.assertIn("订单不存在", c.exception.message)

    def test_errors_carry_the_trade_no(self):
        trade_no = unique("TN")
        self.client.barcode_pay(payment_code("0"), 1, trade_no=trade_no)
        with self.assertRaises(starpos.GatewayError) as c:
            self.client.barcode_pay(payment_code("0"), 1, trade_no=trade_no)
        self.assertEqual(c.exception.trade_no, trade_no)
        self.assertFalse(c.exception.in_doubt)
        # Lost answer: in doubt, and the generated tradeNo is the handle to query.
        control(GATEWAY, "fault", {"fault": "close_mid_body", "endpoint": "sdkBarcodePay"})
        with self.assertRaises(starpos.ProtocolError) as c:
            self.client.barcode_pay(payment_code("0"), 2)
        e = c.exception
        self.assertTrue(e.in_doubt)
        self.assertTrue(e.trade_no)
        self.assertEqual(self.client.query(e.trade_no).result, "S")
        control(GATEWAY, "fault", {"fault": "close_mid_body", "endpoint": "sdkBarcodePosPay"})
        with self.assertRaises(starpos.ProtocolError) as c:
            self.client.qr_pay("WXPAY", 3, trade_no=unique("QR"))
        self.assertTrue(c.exception.trade_no.startswith("QR"))

    def test_open_id_and_add_field(self):
        paid = self.client.barcode_pay(payment_code("0"), 40, add_field="桌号 7")
        self.assertEqual(paid.add_field, "桌号 7")
        self.assertTrue(paid.open_id.startswith("oSimPayer"), paid.open_id)
        self.assertEqual(len(paid.open_id), 28)
        self.assertNotIn(paid.open_id, repr(paid), "a secret, as app_id_key")
        found = self.client.query(paid.trade_no)
        self.assertEqual(found.add_field, "桌号 7")
        self.assertEqual(self.client.refund(found.order_no, 1).add_field, "桌号 7")
        shown = self.client.qr_pay("ALIPAY", 2, add_field="qr note")
        self.assertEqual(shown.add_field, "qr note")
        sale = self.client.barcode_sale(payment_code("1"), 3, interval_ms=50,
                                        deadline_ms=15000, add_field="sale")
        self.assertEqual(sale.add_field, "sale")
        alipay = self.client.barcode_pay("28" + payment_code("0")[4:], 1)
        self.assertEqual((alipay.pay_channel, alipay.open_id), ("ALIPAY", ""))

    def test_the_payment_code_is_not_in_any_result_or_error(self):
        code = payment_code("2")
        paid = self.client.barcode_pay(code, 1)
        self.assertNotIn(code, repr(paid))


#: Text C would read differently from what Python holds, and how the error must say so.
UNREADABLE = [
    ("abc\x00def", "contains a NUL character"),
    ("a\ud800b", "lone surrogate"),
    (b"abc\x00", "contains a NUL byte"),
    (b"\xff\xfe", "not valid UTF-8"),
]


class Journal(SimulatorTest):
    """The sale journal: journal() lists what was recorded, recover() settles what an answer
    lost left open."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.path = os.path.join(tmp.name, "sales.journal")
        self.client = starpos.Client(GATEWAY, journal_path=self.path, **CREDENTIALS)

    def test_journal_lists_a_sale_without_its_payment_code(self):
        code = payment_code("0")
        paid = self.client.barcode_pay(code, 250, sel_order_no=unique("SO"))
        entries = self.client.journal()
        self.assertEqual(len(entries), 1, entries)
        entry = entries[0]
        self.assertIsInstance(entry, starpos.JournalEntry)
        self.assertEqual((entry.kind, entry.trade_no, entry.amount, entry.result),
                         ("barcode_pay", paid.trade_no, 250, "S"))
        self.assertEqual(entry.status, starpos.Status.OK)
        self.assertTrue(entry.settled)
        self.assertFalse(entry.in_doubt)
        self.assertNotIn(code, repr(entries))
        with open(self.path, "rb") as f:
            self.assertNotIn(code.encode(), f.read(), "the payment code reached the disk")

    def test_recover_settles_a_lost_answer_once(self):
        control(GATEWAY, "fault", {"fault": "close_mid_body", "endpoint": "sdkBarcodePay"})
        with self.assertRaises(starpos.ProtocolError) as c:
            self.client.barcode_pay(payment_code("0"), 300)
        lost = c.exception.trade_no
        recovered = self.client.recover(deadline_ms=15000)
        self.assertEqual([(e.trade_no, e.result, e.settled) for e in recovered],
                         [(lost, "S", True)])
        self.assertEqual(self.client.recover(deadline_ms=15000), [], "reported twice")

    def test_a_sale_that_stays_open_is_flagged_for_a_person(self):
        # Answered A (the payer at the password); then every query refused "busy" through
        # three recoveries: never settled as "nothing moved", flagged for a person.
        waiting = self.client.barcode_pay(payment_code("1"), 70)
        self.assertEqual(waiting.result, "A")
        for n in range(1, 4):
            control(GATEWAY, "fault",
                    {"fault": "busy", "endpoint": "sdkQryBarcodePay", "count": 100})
            try:
                [entry] = self.client.recover(deadline_ms=300)
            finally:
                control(GATEWAY, "fault", {"fault": "none"})
            self.assertFalse(entry.settled, entry)
            self.assertTrue(entry.in_doubt, entry)
            self.assertEqual((entry.recoveries, entry.attention), (n, n == 3), entry)
        [listed] = self.client.journal()
        self.assertTrue(listed.attention)
        self.assertTrue(listed.sys_time, "the gateway's clock is recorded")
        self.assertEqual(listed.not_found, 0, "an answered sale gathers no evidence")

    def test_the_day_closes_with_a_summary_per_kind_and_channel(self):
        self.assertEqual(self.client.journal_summary(), [], "an empty journal has no rows")
        client = starpos.Client(GATEWAY, journal_path=self.path, opr_id="c07", **CREDENTIALS)
        paid = client.barcode_pay(payment_code("0"), 250)
        failed = client.barcode_pay(payment_code("2"), 40)
        self.assertEqual(failed.result, "F")
        qr = client.qr_pay("ALIPAY", 30)
        client.refund(paid.order_no, 100)
        listed = {e.trade_no: e for e in client.journal()}
        self.assertEqual((listed[paid.trade_no].pay_channel, listed[paid.trade_no].opr_id),
                         ("WXPAY", "c07"))
        self.assertEqual(listed[qr.trade_no].pay_channel, "ALIPAY")
        rows = client.journal_summary()
        self.assertTrue(all(isinstance(r, starpos.SummaryRow) for r in rows), rows)
        self.assertEqual(
            [(r.kind, r.pay_channel, r.count, r.paid_fen, r.refunded_fen, r.revoked_fen, r.open)
             for r in rows],
            [("barcode_pay", "WXPAY", 2, 250, 0, 0, 0),
             ("qr_pay", "ALIPAY", 1, 0, 0, 0, 1),
             ("refund", "WXPAY", 1, 0, 100, 0, 0)])
        # The open ones are the listing's unsettled entries.
        self.assertEqual([e.trade_no for e in client.journal() if not e.settled], [qr.trade_no])
        with self.assertRaises(starpos.InvalidArgumentError):
            starpos.Client(GATEWAY, **CREDENTIALS).journal_summary()

    def test_an_unwritable_journal_sends_nothing(self):
        client = starpos.Client(GATEWAY, journal_path=os.path.join(self.path, "no", "dir"),
                                **CREDENTIALS)
        before = requests_received(GATEWAY)
        with self.assertRaises(starpos.JournalError) as c:
            client.barcode_pay(payment_code("0"), 1)
        self.assertEqual(c.exception.status, starpos.Status.JOURNAL)
        self.assertFalse(c.exception.in_doubt)
        self.assertEqual(requests_received(GATEWAY), before)


class NothingSent(SimulatorTest):
    """Every bad argument raises at the call, naming the argument, and nothing reaches the
    gateway: the simulator's request count does not move."""

    def setUp(self):
        self.client = starpos.Client(GATEWAY, **CREDENTIALS)
        self.before = requests_received(GATEWAY)

    def tearDown(self):
        try:
            self.assertEqual(requests_received(GATEWAY), self.before, "something was sent")
        finally:
            super().tearDown()

    def assertRejected(self, call, field, words=""):
        """``call()`` raises INVALID_ARGUMENT (or a TypeError) naming ``field`` (and saying
        ``words``), before anything is sent."""
        with self.assertRaises((starpos.StarposError, TypeError)) as c:
            call()
        e = c.exception
        text = e.error if isinstance(e, starpos.StarposError) else str(e)
        self.assertTrue(text.startswith(f"{field}:"), f"{text!r} does not name {field}")
        self.assertIn(words, text)
        if isinstance(e, starpos.StarposError):
            self.assertIsInstance(e, starpos.InvalidArgumentError)
            self.assertEqual(e.status, starpos.Status.INVALID_ARGUMENT)
            self.assertFalse(e.in_doubt)

    def test_every_string_of_a_pay_refuses_text_c_reads_differently(self):
        c = self.client
        calls = {
            "code": lambda v: c.pay(code=v, amount=1),
            "openid": lambda v: c.pay(openid=v, amount=1),
            "subject": lambda v: c.pay(code=unique("c"), amount=1, subject=v),
            "sel_order_no": lambda v: c.pay(code=unique("c"), amount=1, sel_order_no=v),
            "goods_tag": lambda v: c.pay(code=unique("c"), amount=1, goods_tag=v),
            "attach": lambda v: c.pay(code=unique("c"), amount=1, attach=v),
            "txn_time": lambda v: c.pay(code=unique("c"), amount=1, txn_time=v),
            "version": lambda v: c.pay(code=unique("c"), amount=1, version=v),
            "qry_no": lambda v: c.query(v),
            "trade_no": lambda v: c.refund("1", trade_no=v),
            "order_no": lambda v: c.refund(v),
            "endpoint": lambda v: c.call(v, {}),
            "fields": lambda v: c.call("pubSigQry", v),
        }
        for field, call in calls.items():
            for value, words in UNREADABLE:
                with self.subTest(field=field, value=value):
                    self.assertRejected(lambda: call(value), field, words)
        self.assertRejected(lambda: c.wait("a\x00", 10, 10), "qry_no", "NUL")
        self.assertRejected(lambda: c.qry(attach="备注\x00"), "attach", "NUL")

    def test_the_word_null_is_refused_naming_the_field(self):
        # The gateway reads the text null as "absent" (the vendor's SDK docs).
        c = self.client
        code = "134567890123456789"
        calls = {
            "code": lambda v: c.pay(code=v, amount=1),
            "subject": lambda v: c.pay(code=unique("c"), amount=1, subject=v),
            "attach": lambda v: c.qry(attach=v),
            "auth_code": lambda v: c.barcode_pay(v, 1),
            "add_field": lambda v: c.barcode_pay(code, 1, add_field=v),
            "goods_tag": lambda v: c.qr_pay("WXPAY", 1, goods_tag=v),
            "qry_no": lambda v: c.query(v),
            "order_no": lambda v: c.refund(v),
            "trade_no": lambda v: c.refund("1", trade_no=v),
        }
        for field, call in calls.items():
            for word in ("null", "NULL", "Null"):
                with self.subTest(field=field, word=word):
                    self.assertRejected(lambda: call(word), field,
                                        "must not be the word null: leave it out instead")

    def test_coordinates_outside_the_documented_form(self):
        for field, value in [("latitude", "31"), ("latitude", "31.230421"),
                             ("latitude", "90.5"), ("longitude", "-121"),
                             ("longitude", "181.0")]:
            with self.subTest(field=field, value=value):
                client = starpos.Client(GATEWAY, **{field: value}, **CREDENTIALS)
                self.assertRejected(lambda: client.query("1"), field,
                                    "a decimal number with 1 to 5 decimals")

    def test_the_exact_words(self):
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            self.client.pay(code=unique("c"), amount=1, subject="a\x00b")
        self.assertEqual(c.exception.error, "subject: contains a NUL character")
        self.assertEqual(str(c.exception), "INVALID_ARGUMENT: subject: contains a NUL character")

    def test_wrong_types_and_values(self):
        c = self.client
        cases = [
            (lambda: c.pay(code="c1", amount=True), "amount", "int"),
            (lambda: c.pay(code="c1", amount=1.5), "amount", "int"),
            (lambda: c.pay(code="c1", amount="100"), "amount", "int"),
            (lambda: c.pay(code="c1", amount=-1), "amount", "negative"),
            (lambda: c.pay(code="c1", amount=1, total_amount=-5), "total_amount", "negative"),
            (lambda: c.pay(code="c1", amount=1, total_amount=False), "total_amount", "int"),
            (lambda: c.pay(code="c1", amount=None), "amount", "int"),
            (lambda: c.pay(code=1, amount=1), "code", "str"),
            (lambda: c.pay(code="c1", amount=1, subject=["x"]), "subject", "str"),
            (lambda: c.pay(code="c1", amount=1 << 64), "amount", "at most"),
            (lambda: c.query(None), "qry_no", "required"),
            (lambda: c.query(12345), "qry_no", "str"),
            (lambda: c.refund(None), "order_no", "required"),
            (lambda: c.refund("1", txn_amt=-1), "txn_amt", ""),
            (lambda: c.refund("1", txn_amt=True), "txn_amt", "int"),
            (lambda: c.wait(None), "qry_no", "required"),
            (lambda: c.wait("1", interval_ms=-1), "interval_ms", ""),
            (lambda: c.wait("1", deadline_ms=True), "deadline_ms", "int"),
            (lambda: c.wait("1", deadline_ms=1 << 32), "deadline_ms", "at most 4294967295"),
            (lambda: c.call(None, {}), "endpoint", "required"),
            (lambda: c.call("pubSigQry", None), "fields", "dict"),
            (lambda: c.call("pubSigQry", {"a": object()}), "fields", "JSON"),
            (lambda: c.barcode_pay(None, 1), "auth_code", "required"),
            (lambda: c.barcode_pay("134567890123456789", True), "amount", "int"),
            (lambda: c.barcode_pay("1345\x0067890", 1), "auth_code", "NUL"),
            (lambda: c.barcode_pay("134567890123456789", 1, pay_channel="WX\x00"),
             "pay_channel", "NUL"),
            (lambda: c.barcode_pay("134567890123456789", 1, add_field="\udc80"),
             "add_field", "surrogate"),
            (lambda: c.barcode_pay("134567890123456789", 1, 1, trade_no=5), "trade_no", "str"),
            (lambda: c.qr_pay(None, 1), "pay_channel", "required"),
            (lambda: c.qr_pay("WXPAY", -1), "amount", ""),
            (lambda: c.qr_pay("WXPAY", 1, subject="x\x00"), "subject", "NUL"),
            (lambda: c.barcode_sale("134567890123456789", 1, interval_ms=-1), "interval_ms",
             ""),
            (lambda: c.barcode_sale("134567890123456789", 1, deadline_ms="5"), "deadline_ms",
             "int"),
            (lambda: c.barcode_sale("134567890123456789", 1, goods_tag="\x00"), "goods_tag",
             "NUL"),
            (lambda: c.revoke(None), "qry_no", "required"),
            (lambda: c.revoke("1", trade_no=7), "trade_no", "str"),
            (lambda: c.recover(deadline_ms=-1), "deadline_ms", ""),
            (lambda: c.recover(deadline_ms=None), "deadline_ms", "int"),
        ]
        for call, field, words in cases:
            with self.subTest(field=field, words=words):
                self.assertRejected(call, field, words)

    def test_requests_are_filled_by_field_name_from_the_mirror(self):
        # Every request struct of the header: each text and fen field filled by its name and
        # type, so a field the header adds needs no filling code; a name it lacks is refused.
        requests = {n: cls for n, cls in starpos.STRUCTS.items() if n.endswith("_request")}
        self.assertIn("starpos_revoke_request", requests)
        for name, cls in requests.items():
            with self.subTest(struct=name):
                values = {}
                for field, ctype in cls._fields_:
                    if ctype is ctypes.c_char_p:
                        values[field] = "v-" + field
                    elif ctype is ctypes.c_uint64:
                        values[field] = len(field)
                request = self.client._request(cls, **values)
                for field, value in values.items():
                    want = value.encode() if isinstance(value, str) else value
                    self.assertEqual(getattr(request, field), want)
                with self.assertRaises(TypeError) as c:
                    self.client._request(cls, no_such_field="x")
                self.assertIn("no_such_field", str(c.exception))

    def test_bad_client_arguments(self):
        good = dict(CREDENTIALS)
        cases = [
            (dict(good, org_no=None), "org_no", "required"),
            (dict(good, merc_id=None), "merc_id", "required"),
            (dict(good, trm_no=8), "trm_no", "str"),
            (dict(good, key="k\x00" + good["key"]), "key", "NUL"),
            (dict(good, connect_timeout_ms=-1), "connect_timeout_ms", ""),
            (dict(good, timeout_ms=True), "timeout_ms", "int"),
            (dict(good, flags=None), "flags", "int"),
            (dict(good, ca_file="/x\x00y"), "ca_file", "NUL"),
            (dict(good, trm_typ="P\x00"), "trm_typ", "NUL"),
            (dict(good, opr_id=7), "opr_id", "str"),
            (dict(good, latitude=31.2304), "latitude", "str"),
            (dict(good, longitude="\ud800"), "longitude", "surrogate"),
            (dict(good, journal_path="/tmp/j\x00"), "journal_path", "NUL"),
            (dict(good, journal_retention_days=-1), "journal_retention_days", ""),
            (dict(good, journal_retention_days=1.0), "journal_retention_days", "int"),
        ]
        for kwargs, field, words in cases:
            with self.subTest(field=field):
                self.assertRejected(lambda: starpos.Client(GATEWAY, **kwargs), field, words)
        self.assertRejected(lambda: starpos.Client("http://x\x00/", **good), "base_url", "NUL")
        self.assertRejected(lambda: starpos.Client(5, **good), "base_url", "str")

    def test_gbk_client_refuses_what_gbk_cannot_write(self):
        gbk = starpos.Client(GATEWAY, flags=starpos.FLAG_GBK_STRINGS, **CREDENTIALS)
        self.assertRejected(lambda: gbk.pay(code=unique("c"), amount=1, subject="咖啡 ☕"),
                            "subject", "U+2615 at index 3 cannot be written in GBK")
        self.assertRejected(lambda: gbk.pay(code=unique("c"), amount=1, attach=b"\x81"),
                            "attach", "not valid GBK")
        self.assertRejected(lambda: gbk.qr_pay("WXPAY", 1, goods_tag="😀"), "goods_tag", "GBK")
        # What GBK can write goes through the checks (the library may still refuse the flag
        # in a build without the gbk feature, naming flags, before sending).
        with self.assertRaises(starpos.InvalidArgumentError) as c:
            gbk.query("")
        self.assertRegex(c.exception.error, r"^(qry_no|flags)")

    def test_module_functions(self):
        cases = [
            (lambda: starpos.jsapi_params(None), "pay_result", "PayResult"),
            (lambda: starpos.jsapi_params(["x"]), "pay_result", "PayResult"),
            (lambda: starpos.jsapi_params({"api_appid": "wx\x00"}), "api_appid", "NUL"),
            (lambda: starpos.jsapi_params({"api_appid": 5}), "api_appid", "str"),
            (lambda: starpos.jsapi_params({"amount": True}), "amount", "int"),
            (lambda: starpos.jsapi_params({"appid": "wx"}), "pay_result", "unknown field"),
            (lambda: starpos.set_logger("x"), "callback", "callable"),
            (lambda: starpos.set_logger(42), "callback", "callable"),
            (lambda: starpos.oauth_url(None, "https://a.example/"), "app_id", "required"),
            (lambda: starpos.oauth_url("wx1", "https://a.example/\x00x"), "redirect_uri", "NUL"),
            (lambda: starpos.oauth_url("wx1", "https://a.example/", state="\ud800"), "state",
             "surrogate"),
            (lambda: starpos.sign_json(None, EXAMPLE_KEY), "obj_or_str", "dict"),
            (lambda: starpos.sign_json('{"a":"b\x00"}', EXAMPLE_KEY), "obj_or_str", "NUL"),
            (lambda: starpos.sign_json({"a": "\ud800"}, EXAMPLE_KEY), "obj_or_str",
             "surrogate"),
            (lambda: starpos.sign_json({"a": "b"}, None), "key", "required"),
            (lambda: starpos.verify_json({"a": "b"}, EXAMPLE_KEY + "\x00"), "key", "NUL"),
            (lambda: starpos.verify_json(42, EXAMPLE_KEY), "obj_or_str", "dict"),
            (lambda: starpos.status_str(None), "code", "int"),
            (lambda: starpos.status_in_doubt(True), "code", "int"),
            (lambda: starpos.last_error("latin-1"), "charset", ""),
        ]
        for call, field, words in cases:
            with self.subTest(field=field, words=words):
                self.assertRejected(call, field, words)
        # A NUL inside a dict's value is escaped by JSON (\u0000): C reads the same text.
        self.assertEqual(len(starpos.sign_json({"a": "b\x00"}, EXAMPLE_KEY)), 32)

    def test_wrong_types_are_type_errors_too(self):
        with self.assertRaises(TypeError):
            starpos.set_logger("x")
        with self.assertRaises(TypeError):
            self.client.pay(code="c1", amount=True)
        with self.assertRaises(starpos.StarposError):
            starpos.jsapi_params(None)


class Unsettled(SimulatorTest):
    """Against a simulator whose payments stay 'A' (nobody pays)."""

    def test_wait_times_out_with_the_last_answer(self):
        client = starpos.Client(UNSETTLED, **CREDENTIALS)
        paid = client.pay(code=unique("py"), amount=5)
        with self.assertRaises(starpos.TimeoutError_) as c:
            client.wait(paid.log_no, interval_ms=50, deadline_ms=300)
        e = c.exception
        self.assertEqual(e.status, starpos.Status.TIMEOUT)
        self.assertTrue(e.in_doubt)
        self.assertIsInstance(e.response, starpos.QueryResult)
        self.assertEqual(e.response.result, "A")
        self.assertEqual(e.response.log_no, paid.log_no)


class TillInControl(SimulatorTest):
    """Cancel from another thread and the progress callable, against the simulator whose
    payments stay 'A' (the payer never confirms)."""

    def fire_after(self, cancel, seconds):
        timer = threading.Timer(seconds, cancel.request)
        timer.start()
        self.addCleanup(timer.cancel)

    def test_a_cancel_from_another_thread_ends_a_barcode_sale_in_doubt(self):
        with starpos.Cancel() as cancel:
            client = starpos.Client(UNSETTLED, cancel=cancel, **CREDENTIALS)
            self.fire_after(cancel, 0.5)
            started = time.monotonic()
            with self.assertRaises(starpos.CancelledError) as c:
                client.barcode_sale(payment_code("1"), 300, interval_ms=100, deadline_ms=60000)
            took = time.monotonic() - started
            e = c.exception
            self.assertLess(took, 5, "ends within milliseconds of the cancel, not at the deadline")
            self.assertEqual(e.status, starpos.Status.CANCELLED)
            self.assertTrue(e.in_doubt, "the order may still be paid")
            self.assertTrue(e.trade_no, "the tradeNo to query later")
            self.assertIn("may still be paid", e.error)
            # The sale is still there, still 'A': querying it later is what the till does.
            self.assertEqual(starpos.Client(UNSETTLED, **CREDENTIALS).query(e.trade_no).result,
                             "A")
            # Once fired it stays fired: the next sale is not even sent.
            with self.assertRaises(starpos.CancelledNotSentError) as c:
                client.barcode_sale(payment_code("1"), 300)
            self.assertFalse(c.exception.in_doubt)

    def test_a_cancel_ends_a_wait_and_closing_twice_is_harmless(self):
        paid = starpos.Client(UNSETTLED, **CREDENTIALS).pay(code=unique("py"), amount=5)
        cancel = starpos.Cancel()
        client = starpos.Client(UNSETTLED, cancel=cancel, **CREDENTIALS)
        self.fire_after(cancel, 0.3)
        started = time.monotonic()
        with self.assertRaises(starpos.CancelledError):
            client.wait(paid.log_no, interval_ms=100, deadline_ms=60000)
        self.assertLess(time.monotonic() - started, 5)
        cancel.close()
        cancel.close()
        cancel.request()  # a no-op once closed
        with self.assertRaises(ValueError):
            client.query(paid.log_no)  # its cancel is gone: refused, never a dangling pointer
        with self.assertRaises(TypeError):
            starpos.Client(UNSETTLED, cancel=object(), **CREDENTIALS)
        with self.assertRaises(TypeError):
            starpos.Client(UNSETTLED, progress=42, **CREDENTIALS)

    def test_progress_sees_the_queries_and_the_result(self):
        seen = []
        client = starpos.Client(GATEWAY, progress=seen.append, **CREDENTIALS)
        sale = client.barcode_sale(payment_code("1"), 200, interval_ms=50, deadline_ms=15000)
        self.assertEqual(sale.result, "S")
        self.assertTrue(seen)
        self.assertTrue(all(isinstance(p, starpos.Progress) for p in seen))
        self.assertEqual({p.trade_no for p in seen}, {sale.trade_no})
        self.assertEqual((seen[0].queries, seen[0].result), (0, None), "told before the first")
        self.assertEqual([p.queries for p in seen], sorted(p.queries for p in seen))
        self.assertGreaterEqual(seen[-1].queries, 1)
        self.assertEqual(seen[-1].result, "S")
        self.assertEqual(seen[-1].next_query_ms, 0, "no next query: the wait ends")
        self.assertGreaterEqual(seen[-1].elapsed_ms, seen[0].elapsed_ms)

    def test_a_progress_that_raises_never_ends_the_wait(self):
        calls = []

        def broken(p):
            calls.append(p)
            raise RuntimeError("the UI is gone")

        client = starpos.Client(GATEWAY, progress=broken, **CREDENTIALS)
        with self.assertLogs("starpos", "ERROR"):
            sale = client.barcode_sale(payment_code("1"), 200, interval_ms=50,
                                       deadline_ms=15000)
        self.assertEqual(sale.result, "S")
        self.assertGreaterEqual(len(calls), 2)

    def test_progress_may_fire_the_cancel(self):
        with starpos.Cancel() as cancel:
            def after_two(p):
                if p.queries >= 2:
                    cancel.request()

            client = starpos.Client(UNSETTLED, cancel=cancel, progress=after_two, **CREDENTIALS)
            with self.assertRaises(starpos.CancelledError) as c:
                client.barcode_sale(payment_code("1"), 100, interval_ms=50, deadline_ms=60000)
            self.assertIn("after 2 queries", c.exception.error)


if __name__ == "__main__":
    unittest.main()
