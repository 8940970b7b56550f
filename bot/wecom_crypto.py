"""企业微信 (and 政务微信) callback security, as its documentation's 加解密方案说明 describes.

Every callback carries msg_signature = sha1 of the sorted concatenation of the callback Token, the
timestamp, the nonce and the encrypted message. The message is AES-256-CBC with the key
base64(EncodingAESKey + "=") and the key's first 16 bytes as IV, over
random(16) + length(4 bytes, network order) + message + receiveid, padded PKCS#7-style to a multiple
of 32 bytes (WeCom's block, not AES's 16), then base64. receiveid is the CorpID for an application's
callback; a message for another corporation is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
import time
from xml.etree import ElementTree

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAD_BLOCK = 32
TIMESTAMP_WINDOW = 300  # seconds a callback's timestamp may differ from our clock (replayed requests are stale)


class WecomCryptoError(Exception):
    """A callback that fails verification; the message says why and never holds a secret."""


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte key from the console's 43-character EncodingAESKey."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(encoding_aes_key) != 43 or len(key) != 32:
        raise WecomCryptoError("EncodingAESKey must be the 43 characters the console shows")
    return key


class WecomCrypto:
    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        self._token = token
        self._key = aes_key(encoding_aes_key)
        self._receive_id = receive_id

    def __repr__(self) -> str:  # the token and key must not reach a log through a repr
        return f"WecomCrypto(receive_id={self._receive_id!r})"

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str, now: float | None = None) -> None:
        """Raise WecomCryptoError unless the signature matches and the timestamp is recent."""
        expected = signature(self._token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), msg_signature.encode()):
            raise WecomCryptoError("msg_signature does not match")
        if not timestamp.isdigit():
            raise WecomCryptoError("timestamp is not a number")
        if abs((time.time() if now is None else now) - int(timestamp)) > TIMESTAMP_WINDOW:
            raise WecomCryptoError(f"timestamp {timestamp} is outside the {TIMESTAMP_WINDOW} s window")

    def decrypt(self, encrypted: str) -> str:
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise WecomCryptoError("the encrypted message is not base64") from None
        if not data or len(data) % 16:
            raise WecomCryptoError("the encrypted message has a bad length")
        decryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= PAD_BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise WecomCryptoError("the decrypted message has bad padding")
        content = plain[16:-pad]
        if len(content) < 4:
            raise WecomCryptoError("the decrypted message is too short")
        (length,) = struct.unpack(">I", content[:4])
        message, receive_id = content[4 : 4 + length], content[4 + length :]
        if len(message) != length:
            raise WecomCryptoError("the decrypted message is shorter than its length field")
        if receive_id.decode("utf-8", "replace") != self._receive_id:
            raise WecomCryptoError("the message is for another CorpID")
        try:
            return message.decode()
        except UnicodeDecodeError:
            raise WecomCryptoError("the decrypted message is not UTF-8") from None

    def encrypt(self, message: str, random16: bytes | None = None) -> str:
        body = message.encode()
        plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + self._receive_id.encode()
        pad = PAD_BLOCK - len(plain) % PAD_BLOCK
        plain += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def reply(self, message: str, nonce: str, timestamp: str | None = None) -> str:
        """A passive reply: `message` (the reply's XML) encrypted and signed in WeCom's envelope."""
        stamp = timestamp or str(int(time.time()))
        encrypted = self.encrypt(message)
        sign = signature(self._token, stamp, nonce, encrypted)
        return (
            f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt><MsgSignature><![CDATA[{sign}]]></MsgSignature>"
            f"<TimeStamp>{stamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
        )


def xml_fields(text: str) -> dict[str, str]:
    """The child elements of a flat WeCom <xml> document, by tag (nested ones, such as a card's
    SelectedItems, are not needed here and are left out)."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise WecomCryptoError("the body is not XML") from None
    return {child.tag: (child.text or "") for child in root if len(child) == 0}


def cdata(text: str) -> str:
    """`text` inside CDATA, split where it contains the CDATA terminator."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
