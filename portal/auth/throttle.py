"""How many failed sign-ins an email address and a network address may have.

Both counts live in the shared limit storage (Redis or the database), so every worker sees
them. An attempt takes its place in both counts before the password is checked, in one atomic
update each, and gives it back when the password was right: concurrent guesses from many
workers can never get more than the limit checked, and successes are never counted.
"""

import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from ..ops.limits import limits_enabled, shared_storage
from .models import normalise_email

# Per email address, whether or not an account has it (so the limit tells nothing either):
# ten guesses at one account per quarter of an hour.
ACCOUNT_LIMIT = "10 per 15 minutes"
# Per network address, for guesses spread over many accounts; as generous as the old hourly
# limit, since a whole office may share the address.
ADDRESS_LIMIT = "50 per 15 minutes"


@dataclass(frozen=True)
class Refusal:
    """Why the attempt was not checked, and when the person may try again."""

    per_account: bool
    retry_at: float  # seconds since the epoch

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait, as the Retry-After header gives them."""
        return max(1, math.ceil(self.retry_at - time.time()))


class SignInAttempt:
    """One sign-in attempt's place in the account's and the address's counts."""

    def __init__(self, email: str, address: str | None):
        config = current_app.config
        self.account = (parse(config.get("SIGN_IN_ACCOUNT_LIMIT", ACCOUNT_LIMIT)),
                        "sign-in-account", normalise_email(email))
        self.address = (parse(config.get("SIGN_IN_ADDRESS_LIMIT", ADDRESS_LIMIT)),
                        "sign-in-address", address or "unknown")
        self.counted = False

    def start(self) -> Refusal | None:
        """Count the attempt, or a Refusal when either count is used up."""
        if not limits_enabled():
            return None
        strategy = FixedWindowRateLimiter(shared_storage())
        if not strategy.hit(*self.address):
            return self._refusal(strategy, self.address, per_account=False)
        if not strategy.hit(*self.account):
            self._give_back(self.address)  # not checked, so not a failure from this address
            return self._refusal(strategy, self.account, per_account=True)
        self.counted = True
        return None

    def succeeded(self) -> None:
        """The password was right: the account starts afresh, the address gets its place back."""
        if not self.counted:
            return
        item, *ids = self.account
        shared_storage().clear(item.key_for(*ids))
        self._give_back(self.address)

    @staticmethod
    def _give_back(limit) -> None:
        item, *ids = limit
        shared_storage().incr(item.key_for(*ids), item.get_expiry(), amount=-1)

    @staticmethod
    def _refusal(strategy, limit, per_account: bool) -> Refusal:
        return Refusal(per_account=per_account,
                       retry_at=strategy.get_window_stats(*limit).reset_time)
