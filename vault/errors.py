"""One small hierarchy of errors, each with a message a person can act on."""


class VaultError(Exception):
    """Base of every error the core raises on purpose."""


class VaultNotFound(VaultError):
    pass


class VaultExists(VaultError):
    pass


class VaultLocked(VaultError):
    pass


class WrongPassphrase(VaultError):
    def __init__(self, message: str = "Wrong passphrase: the vault could not be unlocked with it."):
        super().__init__(message)


class CorruptVault(VaultError):
    pass


class WeakPassphrase(VaultError):
    pass


class InvalidRecoveryPhrase(VaultError):
    pass


class UnsupportedDidMethod(VaultError):
    pass


class InvalidDid(VaultError):
    pass


class NotFound(VaultError):
    pass


class NotTrustable(VaultError):
    """An issuer that may never be on the trust list (the app's sample issuer)."""


class InvalidCredential(VaultError):
    """A credential that cannot be parsed or used; ``reason`` is a verdict.Reason value."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class ChainError(VaultError):
    """A blockchain operation that could not be done; ``reason`` is a short stable code
    (e.g. ``node-unreachable``, ``chain-id-mismatch``, ``insufficient-eth``,
    ``insufficient-btk``, ``reverted``, ``replaced``, ``dropped``) and the message says
    what happened and what to do."""

    def __init__(self, reason: str, message: str, **details):
        super().__init__(message)
        self.reason = reason
        self.details = details


class FeeRoseError(ChainError):
    """The network fee asked now is above the maximum the person confirmed, so nothing was
    signed. ``confirmed`` and ``asked`` are the two maxima (wei); ``preview`` is the new
    quote to confirm instead; ``step`` which transaction of a sequence it was and
    ``records`` the ones before it that were sent (set by TxService.send_steps)."""

    def __init__(self, message: str, *, confirmed: int, asked: int, preview=None):
        super().__init__("fee-rose", message, confirmed=str(confirmed), asked=str(asked))
        self.confirmed = confirmed
        self.asked = asked
        self.preview = preview
        self.step = 0
        self.records: list = []


class IssuingError(VaultError):
    """Something the vault as an issuer refuses to do (a bad profile field, a recipient
    that is not a DID, a revocation by the wrong profile); nothing was issued or changed."""


class BatchError(IssuingError):
    """A batch (CSV) with bad rows: ``problems`` is a list of (line number, message), and
    nothing of the batch was issued."""

    def __init__(self, message: str, problems: list[tuple[int, str]]):
        super().__init__(message)
        self.problems = problems
