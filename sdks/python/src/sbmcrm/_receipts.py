from __future__ import annotations

import datetime as _dt
import io
import os
from typing import IO, Any

from ._generated.point.models import ReceiptUpload
from ._generated.point.types import File

ImageInput = bytes | bytearray | str | os.PathLike[str] | IO[bytes] | File


def _sniff(head: bytes) -> tuple[str, str]:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "receipt.jpg"
    if head.startswith(b"\x89PNG"):
        return "image/png", "receipt.png"
    if head.startswith(b"%PDF"):
        return "application/pdf", "receipt.pdf"
    return "application/octet-stream", "receipt"


def to_file(image: ImageInput, file_name: str | None = None, mime_type: str | None = None) -> File:
    """A generated `File` from bytes, a path or a binary file object (name and type sniffed)."""
    if isinstance(image, File):
        payload: IO[bytes] = image.payload
        file_name = file_name or image.file_name
        mime_type = mime_type or image.mime_type
    elif isinstance(image, (bytes, bytearray)):
        payload = io.BytesIO(bytes(image))
    elif isinstance(image, (str, os.PathLike)):
        with open(image, "rb") as f:
            payload = io.BytesIO(f.read())
        file_name = file_name or os.path.basename(os.fspath(image))
    else:
        payload = image
        name = getattr(image, "name", None)
        if isinstance(name, str):
            file_name = file_name or os.path.basename(name)
    if not file_name or not mime_type:
        pos = payload.tell() if payload.seekable() else None
        head = payload.read(8) if pos is not None else b""
        if pos is not None:
            payload.seek(pos)
        sniffed_type, sniffed_name = _sniff(head)
        mime_type = mime_type or sniffed_type
        file_name = file_name or sniffed_name
    return File(payload=payload, file_name=file_name, mime_type=mime_type)


def receipt_upload(
    image: ImageInput,
    *,
    receipt_number: str,
    store_id: str,
    amount: int,
    purchased_at: _dt.datetime | str,
    store_category: str | None = None,
    file_name: str | None = None,
    mime_type: str | None = None,
) -> ReceiptUpload:
    if isinstance(purchased_at, _dt.datetime):
        if purchased_at.tzinfo is None:
            purchased_at = purchased_at.replace(tzinfo=_dt.timezone.utc)
        purchased_at = purchased_at.isoformat()
    extra: dict[str, Any] = {} if store_category is None else {"store_category": store_category}
    return ReceiptUpload(
        amount=amount,
        image=to_file(image, file_name, mime_type),
        purchased_at=purchased_at,
        receipt_number=receipt_number,
        store_id=store_id,
        **extra,
    )
