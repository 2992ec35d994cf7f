"""Resemblyzer's GE2E voice encoder (a legacy, non-zip PyTorch pickle) -> safetensors.

Run by `alter models fetch` (embedded in the alter-models crate); standard
library only, no PyTorch. The pickle is read by a restricted unpickler that
builds nothing but tensors' descriptions and OrderedDicts: any other class in
the file is refused, so a hostile file cannot run code.

    python3 resemblyzer_to_safetensors.py pretrained.pt resemblyzer.safetensors
"""
import collections
import json
import pickle
import struct
import sys

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


class _StorageType:
    def __init__(self, name):
        self.name = name


class _Storage:
    def __init__(self, dtype):
        self.dtype = dtype
        self.data = None


def _rebuild_tensor(storage, offset, size, stride, *_rest):
    return ("tensor", storage, offset, tuple(size), tuple(stride))


class _Unpickler(pickle.Unpickler):
    def __init__(self, f, storages):
        super().__init__(f)
        self.storages = storages

    def find_class(self, module, name):
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name == "FloatStorage":
            return _StorageType(name)
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"refusing {module}.{name}: not part of a tensor state dict")

    def persistent_load(self, pid):
        _kind, storage_type, key, _location, _size = pid[:5]
        return self.storages.setdefault(key, _Storage(storage_type.name))


def convert(src, dst):
    storages = {}
    with open(src, "rb") as f:
        if pickle.load(f) != LEGACY_MAGIC:
            raise SystemExit(f"{src} is not a legacy PyTorch file")
        pickle.load(f)  # protocol version
        pickle.load(f)  # system info
        state = _Unpickler(f, storages).load()
        for key in pickle.load(f):
            (count,) = struct.unpack("<q", f.read(8))
            if not 0 <= count <= 1 << 28:
                raise SystemExit(f"{src}: storage {key} claims {count} elements")
            data = f.read(4 * count)
            if len(data) != 4 * count:
                raise SystemExit(f"{src} is truncated")
            storages[key].data = data
    state = state.get("model_state", state)
    header, blobs, offset = {}, [], 0
    for name, tensor in state.items():
        if not (isinstance(tensor, tuple) and tensor[0] == "tensor"):
            continue
        _, storage, start, size, stride = tensor
        count = 1
        for s in size:
            count *= s
        expected, acc = [], 1
        for s in reversed(size):
            expected.insert(0, acc)
            acc *= s
        if count > 1 and tuple(expected) != stride:
            raise SystemExit(f"{name}: non-contiguous tensors are not supported")
        blob = storage.data[4 * start : 4 * (start + count)]
        header[name] = {"dtype": "F32", "shape": list(size), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if not header:
        raise SystemExit(f"{src} holds no tensors")
    encoded = json.dumps(header, sort_keys=True).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(dst, "wb") as g:
        g.write(struct.pack("<Q", len(encoded)))
        g.write(encoded)
        for blob in blobs:
            g.write(blob)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    convert(sys.argv[1], sys.argv[2])
