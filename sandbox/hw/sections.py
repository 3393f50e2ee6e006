"""The hit switch's PKRU sections, and the hit entry points, in assembly.

A hit begin/end changes one key's two bits of this thread's PKRU and
nothing else: no table store, so no window on the tables' key -- one
WRPKRU per switch.  What a thread has open on a key is then in PKRU
itself: bits that differ from the key's default (sandbox.switch).

RDPKRU .. WRPKRU is a read-modify-write of PKRU, and the sync handler
(sandbox.hw.sync) edits the PKRU a signalled thread resumes with; an edit
landing in between would be undone.  So each section is restartable, as
in Linux's rseq: every value it depends on -- PKRU, and the key's default
read from the protected key table -- is read *inside* it, its inputs are
registers it never writes, and the handler moves a thread stopped in
``[*_restart, *_commit]`` (``_commit`` is the WRPKRU) back to its first
instruction.  This is why they are assembly: the layout of compiled code is
no one's to promise.  Every section ends in a checked gate: ``xor ecx,ecx;
xor edx,edx; wrpkru`` and a check that the tables' key stayed
write-disabled (hw.intrinsics.short_check_asm), else UD2.

Section registers: RDI = &T_SEEN[k] (the key's default as this thread was
last told it, shifted into place: sandbox.arena), R8 = 3 << 2k (the mask),
R9 = wanted bits << 2k (enter only); EAX, ECX, EDX scratch, every other
register kept.  enter: only from the default bits, only to other bits.
leave: only from other bits, back to the default.  Either jumps to 7f,
having written nothing, when its rule says no.
"""

from __future__ import annotations

import llvmlite.binding as _llvm

from . import symbols
from .intrinsics import TABLES_SYMBOL, short_check_asm

ENTER = "libmpk_py_pkru_enter_v1"
LEAVE = "libmpk_py_pkru_leave_v1"

_SECTION = """
	.globl	{name}_restart
	.globl	{name}_commit
{name}_restart:
	xorl	%ecx, %ecx
	rdpkru
	movl	%eax, %edx
	andl	%r8d, %edx
	cmpl	(%rdi), %edx
	{rule}
	xorl	%ecx, %ecx
	xorl	%edx, %edx
{name}_commit:
	wrpkru
	{check}"""
_ENTER_RULE = "jne	7f\n\tcmpl	(%rdi), %r9d\n\tje	7f\n\txorl	%edx, %eax\n\torl	%r9d, %eax"
_LEAVE_RULE = "je	7f\n\txorl	%edx, %eax\n\torl	(%rdi), %eax"


def _section(name: str, rule: str) -> str:
    check = short_check_asm(f"${TABLES_SYMBOL}").replace("\n", "\n\t")
    return _SECTION.format(name=name, rule=rule, check=check)


# As functions, for the compiled switch: (&T_SEEN[k], mask, want << 2k)
# -> 0, or 1 with nothing written.
_FUNCTIONS = """
	.text
	.globl	{enter}
	.p2align	4
{enter}:
	movq	%rsi, %r8
	movq	%rdx, %r9
{enter_section}
	xorl	%eax, %eax
	retq
7:
	movl	$1, %eax
	retq

	.globl	{leave}
	.p2align	4
{leave}:
	movq	%rsi, %r8
{leave_section}
	xorl	%eax, %eax
	retq
7:
	movl	$1, %eax
	retq
"""

# The hit entry points users' @njit code calls: (vkey, prot) -> status and
# (vkey) -> status, the whole hit in a few dozen instructions.  Anything else
# -- another probe of the thread table, a vkey off its hint, a recorded
# domain, a section that says no -- jumps with the original arguments to the
# compiled switch (slow_begin/slow_end), which does it all.  Begin keeps its
# record's offset in the red zone (signal frames skip it) for the stamp.
_ENTRIES = """
	.text
	.globl	{begin}
	.p2align	4
{begin}:
	cmpq	$7, %rsi
	ja	9f
{lookup}
	shll	$3, %ecx
	leaq	{keys}(%r10,%rcx,8), %r10
	testl	$4, %esi
	jz	1f
	testb	$4, {k_rights}(%r10)
	jz	9f
1:
	movq	%r11, -8(%rsp)
	leaq	{t_seen}(%rdx,%rcx), %rax
	movq	%rdi, %r11
	movq	%rax, %rdi
	movl	%esi, %r9d
	andl	$1, %r9d
	xorl	$3, %r9d
	xorl	%eax, %eax
	testl	$2, %esi
	cmovnzl	%eax, %r9d
	movq	{k_one}(%r10), %rax
	imulq	%rax, %r9
	leaq	(%rax,%rax,2), %r8
{begin_section}
	cmpq	%r11, {k_owner}(%r10)
	jne	6f
	cmpq	$0, {k_pin}(%r10)
	jl	6f
	movq	-8(%rsp), %rcx
	shrq	${line_shift}, %rcx
	movabsq	${mailbox_local}, %rax
	addq	%rax, %rcx
	incq	(%rcx)
	bsfl	%r8d, %r8d
	shrl	$1, %r8d
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, (%rcx,%r8,8)
	xorl	%eax, %eax
	retq
6:
	movq	%r8, %rsi
	callq	{leave}
	movl	$1, %eax
	retq
7:
	movq	%r11, %rdi
9:
	movabsq	${slow_begin}, %rax
	jmpq	*%rax

	.globl	{end}
	.p2align	4
{end}:
{lookup}
	shll	$3, %ecx
	cmpq	%rdi, {keys}+{k_owner}(%r10,%rcx,8)
	jne	9f
	movq	%rdi, %r11
	leaq	{t_seen}(%rdx,%rcx), %rdi
	movq	{keys}+{k_one}(%r10,%rcx,8), %rax
	leaq	(%rax,%rax,2), %r8
{end_section}
	xorl	%eax, %eax
	retq
7:
	movq	%r11, %rdi
9:
	movabsq	${slow_end}, %rax
	jmpq	*%rax
"""

# Both entries start alike: this thread's record (first probe of the
# thread-pointer hash only: RDX = its base, R11 = its offset), the vkey's
# key from the hint table (RCX), and no recorded domain on it.
_LOOKUP_TEXT = """	movabsq	${tables}, %r10
	movq	%fs:0, %rax
	movabsq	${hash_mul}, %r11
	imulq	%rax, %r11
	shrq	${hash_shift}, %r11
	shlq	${t_shift}, %r11
	cmpq	%rax, {t_tcb}(%r10,%r11)
	jne	9f
	movl	%edi, %eax
	andl	${vhint_mask}, %eax
	shll	$4, %eax
	cmpq	%rdi, {vhint}(%r10,%rax)
	jne	9f
	movq	{vhint}+8(%r10,%rax), %rcx
	andl	${key_mask}, %ecx
	leaq	(%r10,%r11), %rdx
	cmpq	$0, {t_open}(%rdx,%rcx,8)
	jne	9f
"""

_engines: list[object] = []  # each owns its code: kept for the process's life
ADDRESSES: dict[str, int] = {}
_SECTIONS: list[str] = []


def _assemble(text: str, names: list[str]) -> None:
    lines = text.replace("\\", "\\5C").replace('"', "\\22").split("\n")
    ir = f'target triple = "{_llvm.get_process_triple()}"\n' + "".join(f'module asm "{ln}"\n' for ln in lines)
    tm = _llvm.Target.from_default_triple().create_target_machine(reloc="static", codemodel="large")
    engine = _llvm.create_mcjit_compiler(_llvm.parse_assembly(ir), tm)
    engine.finalize_object()
    _engines.append(engine)
    for name in names:
        ADDRESSES[name] = engine.get_function_address(name)
        symbols.bind(name, ADDRESSES[name])


def _with_sections(names: list[str]) -> list[str]:
    return [s for n in names for s in (n, n + "_restart", n + "_commit")]


_assemble(
    _FUNCTIONS.format(
        enter=ENTER, leave=LEAVE, enter_section=_section(ENTER, _ENTER_RULE), leave_section=_section(LEAVE, _LEAVE_RULE)
    ),
    _with_sections([ENTER, LEAVE]),
)
_SECTIONS += [ENTER, LEAVE]


def compile_entries(names: tuple[str, str], slow: tuple[str, str], layout: dict[str, object]) -> tuple[int, int]:
    """Assemble the hit entry points ``names`` (begin, end) over the tables'
    ``layout`` (byte offsets and symbols: sandbox.switch), falling back to
    the compiled functions named ``slow``; their addresses, also registered
    as symbols."""
    begin, end = names
    text = _ENTRIES.replace("{lookup}\n", _LOOKUP_TEXT).format(
        begin=begin,
        end=end,
        slow_begin=slow[0],
        slow_end=slow[1],
        leave=LEAVE,
        begin_section=_section(begin, _ENTER_RULE),
        end_section=_section(end, _LEAVE_RULE),
        **layout,
    )
    _assemble(text, _with_sections([begin, end]))
    _SECTIONS.extend(names)
    return ADDRESSES[begin], ADDRESSES[end]


def restart_ranges() -> list[tuple[int, int]]:
    """[restart, commit] of every section: where the handler rewinds a thread."""
    return [(ADDRESSES[n + "_restart"], ADDRESSES[n + "_commit"]) for n in _SECTIONS]


def functions() -> list[tuple[str, int]]:
    """The assembled functions (gates, for sandbox.gates)."""
    names = [ENTER, LEAVE] + [n for n in _SECTIONS if n not in (ENTER, LEAVE)]
    return [(f"sections.{n}", ADDRESSES[n]) for n in names]
