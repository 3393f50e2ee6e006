"""Constant blinding for front ends that build IR with llvmlite.ir.

An integer constant whose bytes contain (part of) a PKRU-changing pattern
becomes an immediate in the machine code, and the cache will refuse it.  The
fix belongs in the front end: emit ``c`` as ``opaque(c ^ k) ^ k`` for a key
``k`` chosen so that neither ``k`` nor ``c ^ k`` contains a suspicious byte.
``opaque`` is an empty inline-asm statement that hands its input back, so
LLVM cannot fold the XOR back into the original constant.
"""

from __future__ import annotations

import random

from llvmlite import ir

from .scanner import scan

_rng = random.Random(0x6D706B)


def needs_blinding(value: int, bits: int) -> bool:
    """True if the little-endian bytes of ``value`` hold a pattern, or could
    complete one together with the bytes just before or after the immediate
    (a suffix 0F / 0F 01 / 0F AE, a prefix 01 EF / EF / AE-modrm)."""
    nbytes = max(bits // 8, 1)
    data = (value & ((1 << (nbytes * 8)) - 1)).to_bytes(nbytes, "little")
    if b"\x0f" not in data and b"\xef" not in data and b"\xae" not in data:
        return False  # (every pattern, and every part of one, holds one of these bytes)
    if scan(data):
        return True
    if data.endswith((b"\x0f", b"\x0f\x01", b"\x0f\xae")):
        return True
    if data.startswith((b"\x01\xef", b"\xef")):
        return True
    return data[0] == 0xAE and len(data) > 1 and (data[1] >> 3) & 7 == 5 and data[1] >> 6 != 3


def _clean_key(value: int, bits: int) -> int:
    mask = (1 << bits) - 1
    for _ in range(1000):
        key = _rng.getrandbits(bits)
        if not needs_blinding(key, bits) and not needs_blinding((value ^ key) & mask, bits):
            return key
    raise ValueError(f"no blinding key found for {value:#x}")


def opaque(builder: ir.IRBuilder, value: ir.Value) -> ir.Value:
    """``value``, through an inline-asm barrier LLVM cannot see through."""
    fnty = ir.FunctionType(value.type, [value.type])
    return builder.asm(fnty, "", "=r,0", [value], side_effect=False, name="blind")


def blinded(builder: ir.IRBuilder, ty: ir.IntType, value: int) -> ir.Value:
    """The constant ``value`` of type ``ty``, built so no immediate holds it."""
    bits = ty.width
    mask = (1 << bits) - 1
    key = _clean_key(value & mask, bits)
    hidden = opaque(builder, ir.Constant(ty, (value ^ key) & mask))
    return builder.xor(hidden, ir.Constant(ty, key))


def blind_module(module: ir.Module) -> int:
    """Blind every suspicious integer constant operand in ``module`` (not phi
    incomings or switch cases); how many were rewritten."""
    count = 0
    for fn in module.functions:
        for block in fn.blocks:
            for instr in list(block.instructions):
                if isinstance(instr, (ir.PhiInstr, ir.SwitchInstr)) or not hasattr(instr, "operands"):
                    continue
                for op in list(instr.operands):
                    if (
                        isinstance(op, ir.Constant)
                        and isinstance(op.type, ir.IntType)
                        and op.type.width >= 8
                        and isinstance(op.constant, int)
                        and needs_blinding(op.constant, op.type.width)
                    ):
                        b = ir.IRBuilder(block)
                        b.position_before(instr)
                        instr.replace_usage(op, blinded(b, op.type, op.constant))
                        count += 1
    return count
