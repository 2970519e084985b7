#!/usr/bin/env python3
"""Writes or lists a cpio "newc" archive (the initrd format the kernel reads).

  mkcpio.py OUT NAME=PATH...   OUT holds each PATH's bytes as file NAME
  mkcpio.py --list ARCHIVE     prints "NAME SIZE" per file (checks the format)

Deterministic: files sorted by name, inode numbers 1, 2, ... in that order,
mtime 0, uid/gid 0, mode 0100755 (regular, rwxr-xr-x), nlink 1, no
directories. Each record: a 110-byte ASCII header ("070701" and 13 fields of
8 hex digits), the name and its NUL padded to 4 bytes, the data padded to 4
bytes. The archive ends with the record "TRAILER!!!".
"""
import os
import sys

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
FIELDS = ("ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
          "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check")


def pad4(n):
    return (4 - n % 4) % 4


def record(ino, mode, name, data):
    raw = name.encode() + b"\0"
    values = dict.fromkeys(FIELDS, 0)
    values.update(ino=ino, mode=mode, nlink=1, filesize=len(data), namesize=len(raw))
    head = MAGIC + b"".join(b"%08x" % values[f] for f in FIELDS)
    out = head + raw + b"\0" * pad4(len(head) + len(raw))
    return out + data + b"\0" * pad4(len(data))


def write(out, specs):
    files = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            sys.exit("mkcpio: expected NAME=PATH, got %r" % spec)
        if "/" in name or name in (".", "..", TRAILER):
            sys.exit("mkcpio: bad file name %r" % name)
        if name in files:
            sys.exit("mkcpio: %s given twice" % name)
        try:
            with open(path, "rb") as f:
                files[name] = f.read()
        except OSError as e:
            sys.exit("mkcpio: %s: %s" % (path, e.strerror))
    blob = b"".join(record(ino, 0o100755, name, files[name])
                    for ino, name in enumerate(sorted(files), 1))
    blob += record(0, 0, TRAILER, b"")
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, out)


def read(blob):
    """Yields (name, fields, data) per file; raises ValueError if malformed."""
    off = 0
    while True:
        head = blob[off:off + 110]
        if len(head) != 110 or head[:6] != MAGIC:
            raise ValueError("bad header at offset %d" % off)
        values = dict(zip(FIELDS, (int(head[6 + 8 * i:14 + 8 * i], 16)
                                   for i in range(len(FIELDS)))))
        name_end = off + 110 + values["namesize"]
        if values["namesize"] < 1 or name_end > len(blob) or blob[name_end - 1] != 0:
            raise ValueError("bad name at offset %d" % off)
        name = blob[off + 110:name_end - 1].decode()
        data_off = name_end + pad4(name_end - off)
        data_end = data_off + values["filesize"]
        if data_end > len(blob):
            raise ValueError("%s: data past the end" % name)
        if name == TRAILER:
            return
        yield name, values, blob[data_off:data_end]
        off = data_end + pad4(values["filesize"])


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--list":
        with open(sys.argv[2], "rb") as f:
            blob = f.read()
        try:
            for name, values, data in read(blob):
                print(name, len(data))
        except ValueError as e:
            sys.exit("mkcpio: %s: %s" % (sys.argv[2], e))
    elif len(sys.argv) >= 2 and not sys.argv[1].startswith("-"):
        write(sys.argv[1], sys.argv[2:])
    else:
        sys.exit(__doc__.strip())


main()
