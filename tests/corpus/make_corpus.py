#!/usr/bin/env python3
"""Writes the hostile-request corpus: tests/corpus/cases/*.http (raw bytes,
exactly what goes on the wire) and tests/corpus/MANIFEST (what each must get).

The .http files are committed; this script is how they were made, kept so a
reviewer can read every case in one place and a new case is one line here.
Run it again after editing: `python3 tests/corpus/make_corpus.py`; with
`--check` it writes nothing and fails when the committed files differ (the
corpus_fresh test).

Expectation syntax (MANIFEST's second column):
  400/close      one response, 400, then the server closes the connection
  100,200/open   these responses in order, and the connection stays in step:
                 a sentinel request sent afterwards gets the next response
  close          no response at all; the server closes the connection
Statuses may be written 4xx when any client error is right (the test then
only checks the class). A case with a `bug` (fifth MANIFEST column) documents a
known server bug; the GoogleTest registers it as DISABLED_ until it is fixed.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# A request that is fine on its own, to end cases and to hide in bodies.
SMUGGLED = b"GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"


def req(line=b"GET /plaintext HTTP/1.1", headers=(b"Host: t",), body=b""):
    return line + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


def post(headers, body):
    return req(b"POST /echo HTTP/1.1", (b"Host: t",) + tuple(headers), body)


def chunked(body):
    return post((b"Transfer-Encoding: chunked",), body)


CASES = []  # (name, bytes, expect, category, note, bug)


def case(name, data, expect, category, note, bug=""):
    """`bug`: set when coroserve does not meet `expect` yet; says what it does
    instead. The test then registers the case as DISABLED_ (skipped, listed)."""
    CASES.append((name, data, expect, category, note, bug))


# --- request line ---------------------------------------------------------
C = "request-line"
case("rl-garbage", b"GARBAGE\r\n\r\n", "400/close", C, "no target, no version")
case("rl-missing-target", b"GET HTTP/1.1\r\nHost: t\r\n\r\n", "400/close", C, "two tokens")
case("rl-double-space", req(b"GET  /plaintext HTTP/1.1"), "400/close", C,
     "two spaces after the method")
case("rl-tab-separator", req(b"GET\t/plaintext\tHTTP/1.1"), "400/close", C, "tabs, not SP")
case("rl-trailing-space", req(b"GET /plaintext HTTP/1.1 "), "400/close", C,
     "SP after the version")
case("rl-space-in-target", req(b"GET /plain text HTTP/1.1"), "400/close", C,
     "three SP-separated words after the method")
case("rl-relative-target", req(b"GET plaintext HTTP/1.1"), "400/close", C,
     "neither origin-form nor absolute-form")
case("rl-http09", b"GET /plaintext\r\n\r\n", "400/close", C, "HTTP/0.9 simple request")
case("rl-bare-lf", b"GET /plaintext HTTP/1.1\nHost: t\n\n", "400/close", C,
     "LF line ends without CR (RFC 9112 lets a server refuse them)")
case("rl-bare-cr", req(b"GET /plaintext\rHTTP/1.1"), "400/close", C, "CR inside the line")
case("rl-nul-in-target", req(b"GET /plain\x00text HTTP/1.1"), "400/close", C, "NUL in target")
case("rl-ctl-in-method", req(b"G\x01T /plaintext HTTP/1.1"), "400/close", C,
     "control byte in the method")
case("rl-lowercase-method", req(b"get /plaintext HTTP/1.1"), "501/open", C,
     "methods are case-sensitive: 'get' is an unknown method, not GET")
case("rl-unknown-method", req(b"BREW /plaintext HTTP/1.1"), "501/open", C,
     "well-formed, unknown method")
case("rl-fragment-in-target", req(b"GET /plaintext#frag HTTP/1.1"), "400/close", C,
     "a fragment is not part of a request-target")
case("rl-leading-crlf", b"\r\n" + req(), "200/open", C,
     "empty line before the request line (RFC 9112 2.2: a server SHOULD ignore it; some clients "
     "send a CRLF after a POST body)")

# --- version --------------------------------------------------------------
C = "version"
case("ver-http20", req(b"GET /plaintext HTTP/2.0"), "505/close", C, "major version 2")
case("ver-http30", req(b"GET /plaintext HTTP/3.0"), "505/close", C, "major version 3")
case("ver-http09", req(b"GET /plaintext HTTP/0.9"), "505/close", C, "major version 0")
case("ver-http12", req(b"GET /plaintext HTTP/1.2"), "200/open", C,
     "a higher minor version is served as 1.1 (RFC 9110 2.5)")
case("ver-two-digit-minor", req(b"GET /plaintext HTTP/1.10"), "400/close", C,
     "HTTP-version is one digit '.' one digit")
case("ver-lowercase", req(b"GET /plaintext http/1.1"), "400/close", C,
     "HTTP-name is case-sensitive")
case("ver-no-minor", req(b"GET /plaintext HTTP/1"), "400/close", C, "no minor version")
case("ver-httx", req(b"GET /plaintext HTTX/1.1"), "400/close", C, "not HTTP at all")
case("ver-10-no-host", b"GET /plaintext HTTP/1.0\r\n\r\n", "200/close", C,
     "HTTP/1.0 needs no Host and closes after the response")

# --- header lines ---------------------------------------------------------
C = "header-syntax"
case("hdr-no-colon", req(headers=(b"Host: t", b"No colon here")), "400/close", C,
     "a field line without ':'")
case("hdr-space-before-colon", req(headers=(b"Host : t",)), "400/close", C,
     "RFC 9112 5.1: MUST reject whitespace between name and colon")
case("hdr-tab-before-colon", req(headers=(b"Host: t", b"X-A\t: b")), "400/close", C,
     "tab between name and colon")
case("hdr-empty-name", req(headers=(b"Host: t", b": empty")), "400/close", C, "empty field name")
case("hdr-space-in-name", req(headers=(b"Host: t", b"X Y: z")), "400/close", C,
     "SP inside a field name")
case("hdr-obs-fold-space", req(headers=(b"Host: t", b"X-A: a", b" folded")), "400/close", C,
     "obs-fold: continuation line starting with SP")
case("hdr-obs-fold-tab", req(headers=(b"Host: t", b"X-A: a", b"\tfolded")), "400/close", C,
     "obs-fold: continuation line starting with HTAB")
case("hdr-ws-before-first-field", req(headers=(b" X-A: a", b"Host: t")), "400/close", C,
     "RFC 9112 2.2: whitespace-preceded line right after the request line")
case("hdr-missing-host", req(headers=()), "400/close", C, "HTTP/1.1 without Host")
case("hdr-double-host", req(headers=(b"Host: t", b"Host: t")), "400/close", C,
     "Host twice, same value")
case("hdr-conflicting-host", req(headers=(b"Host: a", b"Host: b")), "400/close", C,
     "Host twice, different values")
case("hdr-obs-text-value", req(headers=(b"Host: t", b"X-A: caf\xc3\xa9 \xff")), "200/open", C,
     "bytes 0x80-0xFF (obs-text) are allowed in values")
case("hdr-underscore-te", post((b"Transfer_Encoding: chunked",), b"0\r\n\r\n"), "200,400/close",
     "smuggling", "'Transfer_Encoding' is just another field: no body, so '0' starts the next "
     "request, which is garbage")

C = "control-bytes"
case("ctl-nul-in-value", req(headers=(b"Host: t", b"X-A: a\x00b")), "400/close", C,
     "NUL in a value")
case("ctl-nul-in-name", req(headers=(b"Host: t", b"X-\x00A: b")), "400/close", C,
     "NUL in a name")
case("ctl-cr-in-value", req(headers=(b"Host: t", b"X-A: a\rb")), "400/close", C,
     "bare CR in a value")
case("ctl-lf-in-headers", req(headers=(b"Host: t", b"X-A: a\nX-B: b")), "400/close", C,
     "bare LF between header lines")
case("ctl-soh-in-value", req(headers=(b"Host: t", b"X-A: a\x01b")), "400/close", C,
     "0x01 in a value")
case("ctl-del-in-value", req(headers=(b"Host: t", b"X-A: a\x7fb")), "400/close", C,
     "DEL in a value")
case("ctl-del-in-name", req(headers=(b"Host: t", b"X-A\x7f: b")), "400/close", C,
     "DEL in a name")
case("ctl-vtab-before-te", post((b"Transfer-Encoding:\x0bchunked",), b"0\r\n\r\n"), "400/close",
     C, "vertical tab as whitespace before a framing value")
case("ctl-esc-in-value", req(headers=(b"Host: t", b"X-A: \x1b[31mred")), "400/close", C,
     "terminal escape in a value (log injection)")

# --- Content-Length -------------------------------------------------------
C = "content-length"
case("cl-duplicate-same", post((b"Content-Length: 3", b"Content-Length: 3"), b"abc"),
     "400/close", C, "repeated Content-Length, same value (README: 400)")
case("cl-conflicting", post((b"Content-Length: 3", b"Content-Length: 4"), b"abcd"), "400/close",
     C, "two different lengths")
case("cl-list", post((b"Content-Length: 3, 3",), b"abc"), "400/close", C,
     "a list as the value")
case("cl-plus", post((b"Content-Length: +3",), b"abc"), "400/close", C, "sign")
case("cl-negative", post((b"Content-Length: -1",), b"abc"), "400/close", C, "negative")
case("cl-hex", post((b"Content-Length: 0x3",), b"abc"), "400/close", C, "hexadecimal")
case("cl-letters", post((b"Content-Length: 3a",), b"abc"), "400/close", C, "trailing letter")
case("cl-empty", post((b"Content-Length:",), b""), "400/close", C, "empty value")
case("cl-overflow", post((b"Content-Length: 99999999999999999999999",), b"abc"), "4xx/close", C,
     "past 2^64")
case("cl-too-big", post((b"Content-Length: 5000000",), b"x" * 100), "413/close", C,
     "declared length past --max-body-bytes: refused before the body is read")
case("cl-leading-zeros", post((b"Content-Length: 0003",), b"abc"), "200/open", C,
     "1*DIGIT allows leading zeros")
case("cl-trailing-ows", post((b"Content-Length: 3 \t",), b"abc"), "200/open", C,
     "OWS after the value is not part of it")
case("cl-duplicate-no-space", post((b"Content-Length: 3", b"Content-length:3"), b"abc"),
     "400/close", C, "same field, different case and spacing")

# --- Transfer-Encoding ----------------------------------------------------
C = "transfer-encoding"
case("te-and-cl", post((b"Content-Length: 5", b"Transfer-Encoding: chunked"),
                       b"0\r\n\r\n" + SMUGGLED), "400/close", C,
     "both framings: refuse, never pick one")
case("te-gzip-alone", post((b"Transfer-Encoding: gzip",), SMUGGLED), "400/close", C,
     "last coding not chunked: length unknown (Beast 1.81 takes the body as empty)")
case("te-chunked-gzip", post((b"Transfer-Encoding: chunked, gzip",), b"0\r\n\r\n"),
     "400/close", C, "chunked not last")
case("te-gzip-chunked", post((b"Transfer-Encoding: gzip, chunked",), b"0\r\n\r\n"),
     "501/close", C, "a coding we do not implement, chunked last")
case("te-http10", b"POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     "400/close", C, "Transfer-Encoding on HTTP/1.0")
case("te-chunked-twice", post((b"Transfer-Encoding: chunked, chunked",), b"0\r\n\r\n"),
     "400/close", C, "chunked applied twice")
case("te-two-fields", post((b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked"),
                           b"0\r\n\r\n"), "400/close", C, "chunked twice over two fields")
case("te-xchunked", post((b"Transfer-Encoding: xchunked",), b"0\r\n\r\n"), "400/close", C,
     "a look-alike coding")
case("te-identity", post((b"Transfer-Encoding: identity",), b"0\r\n\r\n"), "400/close", C,
     "identity is no longer a coding")
case("te-empty", post((b"Transfer-Encoding:",), b"0\r\n\r\n"), "400/close", C, "empty value")
case("te-uppercase", post((b"Transfer-Encoding: CHUNKED",), b"3\r\nabc\r\n0\r\n\r\n"),
     "200/open", C, "coding names are case-insensitive")
case("te-obs-fold", post((b"Transfer-Encoding:", b" chunked"), b"0\r\n\r\n"), "400/close", C,
     "the coding hidden on a folded line")
case("te-space-before-colon", post((b"Transfer-Encoding : chunked", b"Content-Length: 3"),
                                   b"0\r\n\r\n"), "400/close", C,
     "the classic TE obfuscation")
case("te-on-get", req(headers=(b"Host: t", b"Transfer-Encoding: chunked"), body=b"0\r\n\r\n"),
     "200/open", C, "a GET may carry a (chunked) body; it is read and ignored")

# --- chunked bodies -------------------------------------------------------
C = "chunked"
case("ch-valid", chunked(b"5\r\nhello\r\n0\r\n\r\n"), "200/open", C, "reference case")
case("ch-size-not-hex", chunked(b"zz\r\nhello\r\n0\r\n\r\n"), "400/close", C, "non-hex size")
case("ch-size-negative", chunked(b"-5\r\nhello\r\n0\r\n\r\n"), "400/close", C, "sign")
case("ch-size-0x", chunked(b"0x5\r\nhello\r\n0\r\n\r\n"), "400/close", C, "0x prefix")
case("ch-size-overflow", chunked(b"fffffffffffffffff1\r\nhello\r\n0\r\n\r\n"), "4xx/close", C,
     "size past 2^64")
case("ch-size-leading-space", chunked(b" 5\r\nhello\r\n0\r\n\r\n"), "400/close", C,
     "SP before the size")
case("ch-size-empty", chunked(b"\r\nhello\r\n0\r\n\r\n"), "400/close", C, "no size")
case("ch-size-leading-zeros", chunked(b"0005\r\nhello\r\n0\r\n\r\n"), "200/open", C,
     "1*HEXDIG allows leading zeros")
case("ch-data-too-long", chunked(b"3\r\nhello\r\n0\r\n\r\n"), "400/close", C,
     "more data than the size says")
case("ch-missing-crlf", chunked(b"5\r\nhello0\r\n\r\n"), "400/close", C,
     "no CRLF after the chunk data")
case("ch-ext-valid", chunked(b"5;name=value\r\nhello\r\n0;last\r\n\r\n"), "200/open", C,
     "extensions are allowed and ignored")
case("ch-ext-quoted", chunked(b'5;a="b;c"\r\nhello\r\n0\r\n\r\n'), "200/open", C,
     "quoted-string extension value")
case("ch-ext-no-name", chunked(b"5;=x\r\nhello\r\n0\r\n\r\n"), "400/close", C,
     "extension without a name")
case("ch-ext-bare-lf", chunked(b"5;a\nb\r\nhello\r\n0\r\n\r\n"), "400/close", C,
     "LF inside an extension: a parser that ends the line at LF sees a different body")
case("ch-ext-nul", chunked(b"5;a\x00\r\nhello\r\n0\r\n\r\n"), "400/close", C, "NUL in an extension")
case("ch-lines-bare-lf", chunked(b"5\nhello\n0\n\n"), "400/close", C,
     "every chunk line ends in LF alone, no CR ever follows: refused at once, not at the timeout")
case("ch-last-size-bare-lf", chunked(b"5\r\nhello\r\n0\n\n"), "400/close", C,
     "the last chunk's size line ends in LF alone")
case("ch-ext-long", chunked(b"5;" + b"a" * 20000 + b"\r\nhello\r\n0\r\n\r\n"), "200/open", C,
     "a 20 kB extension: accepted, within the read buffer")
case("ch-ext-huge", chunked(b"5;" + b"a" * 200000 + b"\r\nhello\r\n0\r\n\r\n"), "4xx/close", C,
     "a 200 kB extension: past the read buffer, refused (memory stays bounded)")
case("ch-body-too-big", chunked((b"100000\r\n" + b"x" * 0x100000 + b"\r\n") * 2 + b"0\r\n\r\n"),
     "413/close", C, "2 MiB of chunks past --max-body-bytes")
case("ch-size-too-big", chunked(b"200000\r\nxx"), "413/close", C,
     "one chunk declared past --max-body-bytes")

C = "trailers"
case("tr-valid", chunked(b"5\r\nhello\r\n0\r\nX-Trailer: yes\r\n\r\n"), "200/open", C,
     "trailer fields are accepted")
case("tr-content-length", chunked(b"5\r\nhello\r\n0\r\nContent-Length: 40\r\n\r\n"),
     "4xx/close", C, "framing field in a trailer: refused rather than risk a proxy using it")
case("tr-no-colon", chunked(b"5\r\nhello\r\n0\r\nno colon\r\n\r\n"), "400/close", C,
     "malformed trailer line")
case("tr-nul", chunked(b"5\r\nhello\r\n0\r\nX-T: a\x00b\r\n\r\n"), "400/close", C,
     "NUL in a trailer")
case("tr-bare-lf", chunked(b"5\r\nhello\r\n0\r\nX-T: a\n\n"), "400/close", C,
     "a trailer line and the body's end in LF alone")
case("tr-obs-fold", chunked(b"5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"), "200/open", C,
     "obs-fold in a trailer: trailers are dropped (never merged into the request), so a folded "
     "trailer line cannot change how the request is read")

# --- sizes ----------------------------------------------------------------
C = "size-limits"
case("long-target", req(b"GET /plaintext?" + b"a" * 5000 + b" HTTP/1.1"), "414/close", C,
     "5 kB target: past --max-url-bytes, within --max-header-bytes")
case("long-request-line", req(b"GET /" + b"a" * 10000 + b" HTTP/1.1"), "414/close", C,
     "10 kB target: past both limits; the request line alone says 414")
case("long-header-value", req(headers=(b"Host: t", b"X-Big: " + b"a" * 9000)), "431/close", C,
     "one 9 kB field")
case("long-header-name", req(headers=(b"Host: t", b"X-" + b"a" * 9000 + b": b")), "431/close",
     C, "a 9 kB field name")
case("many-headers", req(headers=(b"Host: t",) + tuple(b"X-%d: 0123456789" % i
                                                       for i in range(600))), "431/close", C,
     "600 fields, 9 kB in all")
case("long-method", req(b"A" * 9000 + b" /plaintext HTTP/1.1"), "4xx/close", C,
     "a 9 kB method")

# --- target forms ---------------------------------------------------------
C = "target-form"
case("abs-form", req(b"GET http://example.test/plaintext HTTP/1.1", (b"Host: example.test",)),
     "200/open", C, "absolute-form is served")
case("abs-form-https", req(b"GET https://example.test/plaintext HTTP/1.1",
                           (b"Host: example.test",)), "200/open", C, "https scheme")
case("abs-form-no-path", req(b"GET http://example.test HTTP/1.1", (b"Host: example.test",)),
     "200/open", C, "empty path means /")
case("abs-form-ftp", req(b"GET ftp://example.test/plaintext HTTP/1.1"), "400/close", C,
     "a scheme we do not serve")
case("abs-form-userinfo", req(b"GET http://u:p@example.test/plaintext HTTP/1.1"), "400/close",
     C, "RFC 9110 4.2.4: userinfo in an http URI is to be treated as an error")
case("authority-form", req(b"CONNECT example.test:443 HTTP/1.1"), "400/close", C,
     "CONNECT's authority-form: no tunnels here")
case("asterisk-options", req(b"OPTIONS * HTTP/1.1"), "204/open", C, "OPTIONS *")
case("asterisk-get", req(b"GET * HTTP/1.1"), "400/close", C, "'*' is only for OPTIONS")
case("asterisk-suffix", req(b"OPTIONS *x HTTP/1.1"), "400/close", C, "'*x' is no form")
case("double-slash", req(b"GET //plaintext HTTP/1.1"), "404/open", C,
     "//plaintext is a different path (no normalisation)")
case("dot-segments", req(b"GET /x/../plaintext HTTP/1.1"), "404/open", C,
     "no path normalisation, so no traversal either")
case("bad-query-escape", req(b"GET /cpu/primes?n=%zz HTTP/1.1"), "400/close", C,
     "an invalid percent-escape makes the request-target itself invalid")
case("bad-query-value", req(b"GET /cpu/primes?n=1e9 HTTP/1.1"), "400/open", C,
     "a parameter error: the framing is fine, so the connection stays")

# --- Expect ---------------------------------------------------------------
C = "expect"
case("expect-continue", post((b"Expect: 100-continue", b"Content-Length: 4"), b"ping"),
     "100,200/open", C, "interim 100, then the answer")
case("expect-continue-case", post((b"Expect: 100-Continue", b"Content-Length: 4"), b"ping"),
     "100,200/open", C, "the expectation is case-insensitive")
case("expect-continue-too-big", post((b"Expect: 100-continue", b"Content-Length: 5000000"), b""),
     "413/close", C, "413 instead of 100: the body is never invited")
case("expect-continue-bad-framing", post((b"Expect: 100-continue", b"Content-Length: 4",
                                          b"Transfer-Encoding: chunked"), b"0\r\n\r\n"),
     "400/close", C, "framing is checked before inviting the body")
case("expect-other", post((b"Expect: teapot", b"Content-Length: 4"), b"ping"), "417/close", C,
     "an expectation we cannot meet")
case("expect-continue-no-body", req(headers=(b"Host: t", b"Expect: 100-continue")), "200/open",
     C, "no body to invite: no 100")

# --- smuggling: a second request hidden in the first ----------------------
C = "smuggling"
case("smuggle-cl-te", post((b"Content-Length: 6", b"Transfer-Encoding: chunked"),
                           b"0\r\n\r\nG"), "400/close", C, "CL.TE (PortSwigger's classic)")
case("smuggle-te-cl", post((b"Transfer-Encoding: chunked", b"Content-Length: 4"),
                           b"2a\r\n" + SMUGGLED[:42].ljust(42, b"x") + b"\r\n0\r\n\r\n"),
     "400/close", C, "TE.CL")
case("smuggle-in-cl-body", req(b"POST /echo HTTP/1.1", (b"Host: t", b"Content-Length: %d"
                                                        % len(SMUGGLED)), SMUGGLED),
     "200/open", C, "a request inside a correctly framed body is data, never served")
case("smuggle-in-get-body", req(headers=(b"Host: t", b"Content-Length: %d" % len(SMUGGLED)),
                                body=SMUGGLED), "200/open", C,
     "a GET with a body: the body is read and dropped, not run")
case("smuggle-in-chunk", chunked(b"%x\r\n" % len(SMUGGLED) + SMUGGLED + b"\r\n0\r\n\r\n"),
     "200/open", C, "a request inside a chunk")
case("smuggle-te-gzip-get", req(headers=(b"Host: t", b"Transfer-Encoding: gzip"),
                                body=SMUGGLED), "400/close", C,
     "TE: gzip on a GET, next request in the body")
case("smuggle-te-http10", b"POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n"
     b"Content-Length: 5\r\nConnection: keep-alive\r\n\r\n0\r\n\r\n" + SMUGGLED, "400/close", C,
     "HTTP/1.0 keep-alive with TE and CL")
case("smuggle-dup-cl", post((b"Content-Length: 0", b"Content-Length: %d" % len(SMUGGLED)),
                            SMUGGLED), "400/close", C, "CL.CL")
case("smuggle-te-tab", post((b"Transfer-Encoding:\tchunked", b"Content-Length: 5"),
                            b"0\r\n\r\n" + SMUGGLED), "400/close", C,
     "TE with a tab, plus CL")
case("smuggle-te-fold-cl", post((b"Content-Length: 5", b"X-A: a", b" Transfer-Encoding: chunked"),
                                b"0\r\n\r\n" + SMUGGLED), "400/close", C,
     "TE hidden in a folded line (a folding proxy would see it)")
case("smuggle-after-close", req(headers=(b"Host: t", b"Connection: close")) + SMUGGLED,
     "200/close", C, "nothing after Connection: close is served")
case("smuggle-after-error", b"GET /plaintext HTTP/1.1\r\nHost : t\r\n\r\n" + SMUGGLED,
     "400/close", C, "nothing after a framing error is served")
case("pipelined-ok", req() + SMUGGLED, "200,200/open", C,
     "control: two honest pipelined requests both get answers")

# --- incomplete requests (timeouts) ---------------------------------------
C = "incomplete"
case("inc-header", b"GET /plaintext HTTP/1.1\r\nHost: t\r\n", "408/close", C,
     "header never ends: 408 at --header-timeout-ms")
case("inc-request-line", b"GET /plain", "408/close", C, "request line never ends")
case("inc-body", post((b"Content-Length: 10",), b"abc"), "408/close", C,
     "body shorter than declared: 408 at --body-timeout-ms")
case("inc-chunked", chunked(b"5\r\nhello\r\n"), "408/close", C, "no last chunk")
case("inc-nothing", b"", "close", C, "connect and send nothing: closed quietly at the idle timeout")


def corpus():
    """What the corpus must hold: {file name: bytes}, and MANIFEST's text."""
    files, names = {}, set()
    lines = [
        "# Generated by make_corpus.py: file, expectation, category, note.",
        "# Expectation: statuses in order then /close or /open; 'close' = no response.",
        "# A fifth column, when present, names a known server bug: the test skips the case.",
    ]
    for i, (name, data, expect, category, note, bug) in enumerate(CASES, 1):
        assert name not in names, name
        names.add(name)
        fname = "%03d-%s.http" % (i, name)
        files[fname] = data
        lines.append("\t".join([fname, expect, category, note] + ([bug] if bug else [])))
    return files, "\n".join(lines) + "\n"


def stale(cases_dir, files, manifest):
    """The paths on disk that differ from what this script writes."""
    on_disk = {f for f in os.listdir(cases_dir) if f.endswith(".http")}
    out = sorted(on_disk ^ set(files))
    for fname, data in files.items():
        path = os.path.join(cases_dir, fname)
        if fname in on_disk and open(path, "rb").read() != data:
            out.append(fname)
    with open(os.path.join(HERE, "MANIFEST")) as f:
        if f.read() != manifest:
            out.append("MANIFEST")
    return out


def main():
    cases_dir = os.path.join(HERE, "cases")
    files, manifest = corpus()
    if sys.argv[1:] == ["--check"]:  # for the test suite: the committed corpus is this script's
        differ = stale(cases_dir, files, manifest)
        for path in differ:
            print("stale: tests/corpus/%s (run python3 tests/corpus/make_corpus.py)" % path,
                  file=sys.stderr)
        sys.exit(1 if differ else 0)
    os.makedirs(cases_dir, exist_ok=True)
    for f in os.listdir(cases_dir):
        if f.endswith(".http"):
            os.remove(os.path.join(cases_dir, f))
    for fname, data in files.items():
        with open(os.path.join(cases_dir, fname), "wb") as f:
            f.write(data)
    with open(os.path.join(HERE, "MANIFEST"), "w") as f:
        f.write(manifest)
    print("%d cases written to %s" % (len(CASES), cases_dir), file=sys.stderr)


if __name__ == "__main__":
    main()
