#!/usr/bin/env bash
# Makes a local certificate authority and localhost server certificates with
# the openssl command, for development, tests, benchmarks and containers:
#
#   scripts/dev-certs.sh DIR [DAYS]
#
# DIR gets (PEM files; keys mode 600):
#   ca.crt                       the root to trust (curl --cacert DIR/ca.crt)
#   intermediate.crt             the CA that signs the server certificates
#   localhost-ecdsa.crt / .key   ECDSA P-256 server certificate + intermediate, its key
#   localhost-rsa.crt / .key     RSA-2048 server certificate + intermediate, its key
# Server certificates name DNS:localhost, IP:127.0.0.1 and IP:::1 and are
# valid for DAYS (default 30). Nothing here is fit for production.
set -euo pipefail

dir="${1:?usage: scripts/dev-certs.sh DIR [DAYS]}"
days="${2:-30}"
command -v openssl >/dev/null || { echo "dev-certs.sh: openssl is missing (scripts/deps.sh installs it)" >&2; exit 2; }
mkdir -p "$dir"
umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat >"$work/ca.ext" <<'EXT'
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
cat >"$work/server.ext" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# The root signs itself; the intermediate is signed by the root.
ec_key "$work/ca.key"
openssl req -x509 -new -key "$work/ca.key" -subj "/CN=coroserve development root CA" \
  -days "$days" -sha256 -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.crt"
ec_key "$dir/intermediate.key"
openssl req -new -key "$dir/intermediate.key" -subj "/CN=coroserve development intermediate CA" \
  -out "$work/intermediate.csr"
openssl x509 -req -in "$work/intermediate.csr" -CA "$dir/ca.crt" -CAkey "$work/ca.key" \
  -CAcreateserial -CAserial "$work/ca.srl" -days "$days" -sha256 -extfile "$work/ca.ext" \
  -out "$dir/intermediate.crt" 2>/dev/null

# One server certificate per key type, each file the certificate then the
# intermediate: the chain a server sends.
server_cert() {
  local name="$1"
  openssl req -new -key "$dir/$name.key" -subj "/CN=localhost" -out "$work/$name.csr"
  openssl x509 -req -in "$work/$name.csr" -CA "$dir/intermediate.crt" \
    -CAkey "$dir/intermediate.key" -CAcreateserial -CAserial "$work/intermediate.srl" \
    -days "$days" -sha256 -extfile "$work/server.ext" -out "$work/$name.leaf" 2>/dev/null
  cat "$work/$name.leaf" "$dir/intermediate.crt" >"$dir/$name.crt"
}
ec_key "$dir/localhost-ecdsa.key"
server_cert localhost-ecdsa
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/localhost-rsa.key" 2>/dev/null
server_cert localhost-rsa
# The intermediate's key is not needed any more; the root's never left $work.
rm -f "$dir/intermediate.key"
chmod 644 "$dir"/*.crt
echo "dev-certs.sh: CA and localhost certificates in $dir (trust $dir/ca.crt)" >&2
