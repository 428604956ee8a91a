"""Which environment variable names say their value is a secret.

A name is read as words (split at ``_``, ``-``, ``.`` and lower-to-upper case changes):
``MYSQL_ROOT_PASSWORD``, ``SECRET_KEY_BASE``, ``API_TOKEN``, ``AWS_ACCESS_KEY_ID`` and
``dbPassword`` hold secrets; ``KEYCLOAK_URL`` does not, since no word of it is ``KEY``. A
name whose last word is ``FILE``, ``PATH`` or ``DIR`` (``MYSQL_ROOT_PASSWORD_FILE``) holds
where a secret lives, not the secret, and stays plain. ``PWD`` is a password's word too
(``MYSQL_PWD``), but alone it is the shell's working folder and stays plain.

A value can say it holds a secret as well: a URL whose user part has a password
(``postgres://admin:hunter2@db/app``, ``redis://:s3cr3t@cache:6379``) or a DSN with a
``password=`` (``host=db user=app password=hunter2``, ``Server=db;Pwd=hunter2``), whatever
its name.

A file holds key material by its content (a PEM private key) or its name (``id_rsa``,
``*.key``, ``*.p12``, a Java keystore): it belongs in a Secret, never a ConfigMap.
"""

from __future__ import annotations

import re

# Words that name a secret; a word ending in one of the first four or PASSPHRASE, or their
# plural (DBPASSWORD, APITOKEN, PASSWORDS), or starting with SECRET, PASSWORD or PASSPHRASE
# (SECRETKEY) counts too, since people glue words together (TOKENIZER does not). A plain
# value caught by mistake (CACHE_KEY_PREFIX) still works from a Secret; a secret missed sits
# in plain text.
_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "PASS",
        "KEY",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "PRIVATE",
        "SALT",
    }
)
_ENDINGS = (
    *("PASSWORD", "PASSWD", "SECRET", "TOKEN", "PASSPHRASE"),
    *("PASSWORDS", "PASSWDS", "SECRETS", "TOKENS", "PASSPHRASES"),
)
_STARTS = ("SECRET", "PASSWORD", "PASSPHRASE")
_WHERE = frozenset({"FILE", "PATH", "DIR"})
_PWD = "PWD"  # a password's word after another one (MYSQL_PWD); alone, the working folder
# scheme://[user]:password@host...: the authority, up to the first /, ? or #.
# (The look-behind keeps a search linear in a long word: see layout/reached.py's _URL.)
_AUTHORITY = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")
# key=value settings of a DSN (libpq, ODBC, ADO.NET): ``password=...`` with a value.
_DSN_PASSWORD = re.compile(r"(?i)(?:^|[\s;?&])(?:password|passwd|pwd)\s*=\s*[^\s;&]")
# -----BEGIN RSA PRIVATE KEY-----, ENCRYPTED, EC, OPENSSH; PGP's PRIVATE KEY BLOCK.
_PEM_PRIVATE = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_KEY_FILES = frozenset(
    {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"}
)
_KEY_SUFFIXES = (".key", ".p12", ".pfx", ".jks", ".jceks", ".keystore", ".bcfks")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_words(name: str) -> list[str]:
    """``dbPassword_FILE`` -> ``["DB", "PASSWORD", "FILE"]``."""
    spaced = _CAMEL.sub("_", name)
    return [w.upper() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def secret_name(name: str) -> bool:
    """Whether an environment variable called ``name`` holds a secret by its name."""
    words = name_words(name)
    if not words or words[-1] in _WHERE:
        return False
    if len(words) > 1 and _PWD in words:
        return True
    return any(w in _WORDS or w.endswith(_ENDINGS) or w.startswith(_STARTS) for w in words)


def secret_value(value: str) -> bool:
    """Whether ``value`` holds a secret by its form: a URL with a password in its user part
    (``scheme://user:password@host``, the user possibly empty; anywhere in the value, as
    in a list of URLs), a DSN's ``password=``, or a PEM private key."""
    if "PRIVATE KEY" in value and _PEM_PRIVATE.search(value.encode()) is not None:
        return True
    for match in _AUTHORITY.finditer(value):
        userinfo, at, _ = match.group(1).rpartition("@")
        if at and userinfo.partition(":")[2]:
            return True
    return _DSN_PASSWORD.search(value) is not None


def key_material(file_name: str, content: bytes) -> bool:
    """Whether a file called ``file_name`` holding ``content`` is key material: a PEM
    private key whatever its name, or a file named as private keys and keystores are."""
    name = file_name.lower()
    if name in _KEY_FILES or name.endswith(_KEY_SUFFIXES) or name == "keystore":
        return True
    return _PEM_PRIVATE.search(content) is not None
