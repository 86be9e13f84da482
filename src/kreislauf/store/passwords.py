"""The password policy: long enough, not a common password, not the e-mail address.

The common passwords are the 30 000 of the zxcvbn frequency list (MIT licence, taken from
Mark Burnett's public-domain list of 10 million passwords) that are at least
:data:`MIN_PASSWORD` characters long, lower-cased; ``data/common_passwords.SOURCE.md``
tells how the file was made.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from kreislauf.errors import CommonPassword, InvalidField, PasswordLikeEmail

MIN_PASSWORD = 10
#: Characters people append to a listed password to get past a check ("password123!").
_PUNCTUATION = "!?.#*+-_ "
_SUFFIX = "0123456789" + _PUNCTUATION


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (read once)."""
    text = resources.files("kreislauf.store").joinpath("data/common_passwords.txt")
    return frozenset(line for line in text.read_text("utf-8").splitlines() if line)


def check_password(password: str, *, email: str) -> None:
    """Raise unless ``password`` may be the password of the account ``email``.

    Raises :class:`InvalidField` when shorter than :data:`MIN_PASSWORD` characters,
    :class:`PasswordLikeEmail` when it is the (normalised) address or its local part, with
    or without digits and punctuation appended, and :class:`CommonPassword` when it is on
    the shipped list (case-insensitive, the same endings ignored).

    References
    ----------
    NIST SP 800-63B rev. 3, section 5.1.1.2: check new passwords against lists of commonly
    used or compromised values and context-specific words such as the user name.
    """
    if len(password) < MIN_PASSWORD:
        raise InvalidField(field="password", value="***", expected=f">= {MIN_PASSWORD} characters")
    lowered = password.strip().lower()
    bare = lowered.rstrip(_SUFFIX)
    address = email.strip().lower()
    local = address.partition("@")[0]
    if address in lowered or bare == local:
        raise PasswordLikeEmail(field="password")
    if not common_passwords().isdisjoint((lowered, lowered.rstrip(_PUNCTUATION), bare)):
        raise CommonPassword(field="password")
