"""The client's default TLS context, with its CA certificates read only when first needed.

httpx builds the TLS context of a transport when the transport is made, and reading the
default CA bundle is most of that (about 25 ms on a 2-core machine, a fifth of a one-page
command).  A client whose base URL is plain ``http://`` (the emulator on 127.0.0.1, a test
server) may never open a TLS connection, so for such a client
:meth:`BaseClient._client_kwargs <ofsc_cli.client._base.BaseClient._client_kwargs>` hands
httpx a :class:`DeferredTrustContext` instead of ``verify=True``.

Nothing is weakened: the context verifies certificates and host names exactly as httpx's
default one does (``PROTOCOL_TLS_CLIENT``, ``CERT_REQUIRED``, ``check_hostname``), and it
loads the same certificates, chosen the same way (``SSL_CERT_FILE``, then ``SSL_CERT_DIR``
when the client trusts the environment, else certifi's bundle), before the first socket or
memory BIO is wrapped: before any handshake.  A client of an ``https://`` base URL keeps
httpx's own context, built when the client is.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any

__all__ = ["DeferredTrustContext", "deferred_trust_context"]


class DeferredTrustContext(ssl.SSLContext):
    """A client-side TLS context that loads its CA certificates just before its first use.

    Make one with :func:`deferred_trust_context`.  Wrapping a socket or a BIO (every
    handshake goes through one of the two), :meth:`get_ca_certs` and
    :meth:`cert_store_stats` load the certificates first, once, under a lock.
    """

    _trust_env: bool
    _trust_loaded: bool
    _trust_lock: threading.Lock

    @property
    def trust_loaded(self) -> bool:
        """Whether the CA certificates have been read yet."""
        return self._trust_loaded

    def load_trust(self) -> None:
        """Read the CA certificates (once): ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` when the
        environment is trusted and sets one, else certifi's bundle, as httpx chooses them.

        Raises what :meth:`ssl.SSLContext.load_verify_locations` raises for an unreadable or
        malformed file (an ``OSError``/``ssl.SSLError``, reported by the request that needed
        it).
        """
        if self._trust_loaded:
            return
        with self._trust_lock:
            if self._trust_loaded:
                return
            cafile = os.environ.get("SSL_CERT_FILE") if self._trust_env else None
            capath = os.environ.get("SSL_CERT_DIR") if self._trust_env else None
            if cafile:
                self.load_verify_locations(cafile=cafile)
            elif capath:
                self.load_verify_locations(capath=capath)
            else:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
            self._trust_loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        """:meth:`ssl.SSLContext.wrap_socket`, after :meth:`load_trust`."""
        self.load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        """:meth:`ssl.SSLContext.wrap_bio` (asyncio and anyio handshakes), after
        :meth:`load_trust`."""
        self.load_trust()
        return super().wrap_bio(*args, **kwargs)

    def get_ca_certs(self, binary_form: bool = False) -> Any:
        """The CA certificates, read first if they were not yet."""
        self.load_trust()
        return super().get_ca_certs(binary_form)

    def cert_store_stats(self) -> dict[str, int]:
        """Counts of the certificate store, read first if it was not yet."""
        self.load_trust()
        return super().cert_store_stats()


def deferred_trust_context(*, trust_env: bool = True) -> DeferredTrustContext:
    """A verifying client context (as :func:`ssl.create_default_context` makes one, and
    honouring ``SSLKEYLOGFILE`` as it does) whose CA certificates are read on first use;
    ``trust_env`` as for the httpx client (``SSL_CERT_FILE``/``SSL_CERT_DIR``)."""
    context = DeferredTrustContext(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    context._trust_env = trust_env
    context._trust_loaded = False
    context._trust_lock = threading.Lock()
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment and hasattr(context, "keylog_filename"):
        context.keylog_filename = keylog
    return context
