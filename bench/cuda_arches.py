"""Which GPUs a CUDA library can run on: lists the machine code (SASS, per compute capability) and PTX in
the fat binaries of a shared library such as DL4J's libnd4jcuda.so, without a GPU or CUDA installed.

    python3 bench/cuda_arches.py nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar   # or the .so inside it

A GPU can run the library if its compute capability has machine code for the same major version and a
minor version at or below its own, or if PTX of an equal or older version is present (the driver compiles
it). Output for DL4J 1.0.0-M2.1 (run 2026-11-22): SASS for 3.7 5.0 5.2 6.0 6.1 7.0 7.5 8.0 8.6, no PTX,
so Hopper (9.0) cannot run it; docker/latentlab-backend.sh relies on this.

The fat-binary layout read here (header magic 0xBA55ED50, then entries of kind 1 = PTX, 2 = ELF with the
architecture at byte 28 of each entry header) is the one that cuobjdump lists.
"""
import collections
import os
import shutil
import struct
import sys
import tempfile
import zipfile

FATBIN_MAGIC = 0xBA55ED50


def section(path, wanted):
    """(offset, size) of the ELF64 section named `wanted`, or None."""
    with open(path, "rb") as f:
        ident = f.read(64)
        if ident[:4] != b"\x7fELF" or ident[4] != 2:
            raise SystemExit(f"{path}: not a 64-bit ELF shared library")
        shoff, = struct.unpack_from("<Q", ident, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", ident, 0x3A)
        f.seek(shoff)
        headers = [struct.unpack("<IIQQQQIIQQ", f.read(shentsize)[:64]) for _ in range(shnum)]
        names_off, names_size = headers[shstrndx][4], headers[shstrndx][5]
        f.seek(names_off)
        names = f.read(names_size)
        for h in headers:
            name = names[h[0]:names.index(b"\0", h[0])].decode()
            if name == wanted:
                return h[4], h[5]
    return None


def entries(path):
    found = section(path, ".nv_fatbin")
    if found is None:
        return None
    offset, size = found
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(size)
    counts = collections.Counter()
    binaries = 0
    p = 0
    while p + 16 <= len(data):
        magic, _version, header_size, fat_size = struct.unpack_from("<IHHQ", data, p)
        if magic != FATBIN_MAGIC:
            p += 8  # binaries are 8-byte aligned
            continue
        binaries += 1
        q, end = p + header_size, p + header_size + fat_size
        while q < end:
            kind, _unknown, entry_header, entry_size = struct.unpack_from("<HHIQ", data, q)
            arch, = struct.unpack_from("<I", data, q + 28)
            counts[("PTX" if kind == 1 else "SASS", arch)] += 1
            q += entry_header + entry_size
        p = end
    return binaries, counts


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: cuda_arches.py LIBRARY.so|NATIVE.jar")
    path = sys.argv[1]
    tmp = None
    try:
        if path.endswith(".jar"):
            with zipfile.ZipFile(path) as jar:
                libs = [n for n in jar.namelist() if n.endswith(".so") and "nd4jcuda" in os.path.basename(n)
                        and not os.path.basename(n).startswith("libjni")]
                if not libs:
                    raise SystemExit(f"{path}: no libnd4jcuda.so inside")
                tmp = tempfile.mkdtemp()
                path = jar.extract(libs[0], tmp)
        result = entries(path)
        if result is None:
            print(f"{sys.argv[1]}: no .nv_fatbin section (no CUDA device code)")
            return
        binaries, counts = result
        for kind in ("SASS", "PTX"):
            archs = sorted({a for k, a in counts if k == kind})
            shown = " ".join(f"{a // 10}.{a % 10}" for a in archs) or "none"
            print(f"{kind}: {shown}")
        print(f"fat binaries: {binaries}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
