# Test set-up for a fresh Debian 12 machine: the Debian packages the tests need (real servers,
# the Wasm runtime's C toolchain, schema validators), then .ci/setup-node.sh (Node >= 22.18, npm
# packages). Source it (`. ./.ci/setup.sh`) so the Node it may install lands first on your PATH;
# the work runs in a subshell so a failure never closes your shell. Idempotent.
(
  set -euo pipefail
  export DEBIAN_FRONTEND=noninteractive
  packages=(
    clang-16 lld-16 wabt                         # Wasm runtime of the Rego compiler (C -> wasm32)
    samba samba-ad-dc samba-ad-provision winbind # real Active Directory for integration tests
    ldap-utils krb5-user slapd faketime          # OpenLDAP, ldapsearch, clock shifting for seeding
    postgresql                                   # history store for teams (tests start their own server)
    age poppler-utils chromium                   # age CLI decrypts sink files; PDF/HTML evidence read back
    libxml2-utils                                # xmllint: JUnit output checked against the xUnit plugin's XSD
    openssl openssh-client                       # test CA for the cloud fixture servers; ssh-keygen reads rotated deploy keys
  )
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then echo "setup: run as root to install: ${missing[*]}" >&2; exit 2; fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
) || return 2 2>/dev/null || exit 2
. ./.ci/setup-node.sh
