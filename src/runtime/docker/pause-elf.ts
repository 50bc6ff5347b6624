/**
 * The sandbox's pause program, written as machine code by hand so Skiff can build its
 * pause image offline from nothing but Docker (no registry, no compiler, no busybox).
 *
 * The program installs a SIGTERM/SIGINT handler that exits 0, then sleeps forever. The
 * handler matters: the program runs as PID 1 of its container, and the kernel drops
 * signals that PID 1 has no handler for, so without one `docker stop` of a sandbox would
 * always wait out the timeout and fall back to SIGKILL.
 *
 * Layout (both architectures): a 64-byte ELF header, one 56-byte PT_LOAD program header
 * mapping the whole file read+execute at BASE, then the code, then (x86_64 only) the
 * `struct sigaction` the code points at.
 */

export type PauseArch = 'x64' | 'arm64';

const BASE = 0x400000n;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const CODE_OFFSET = EHDR_SIZE + PHDR_SIZE;

const SIGINT = 2;
const SIGTERM = 15;

/** The pause executable for `arch` (Node's `process.arch` names). */
export function pauseElf(arch: PauseArch): Buffer {
  const code = arch === 'x64' ? x64Code() : arm64Code();
  return Buffer.concat([elfHeader(arch, CODE_OFFSET + code.length), code]);
}

/** Whether Skiff can write a pause program for this architecture. */
export function isPauseArch(arch: string): arch is PauseArch {
  return arch === 'x64' || arch === 'arm64';
}

function elfHeader(arch: PauseArch, fileSize: number): Buffer {
  const h = Buffer.alloc(EHDR_SIZE + PHDR_SIZE);
  // e_ident: magic, 64-bit, little-endian, version 1, System V ABI
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  h.writeUInt16LE(2, 16); // e_type: ET_EXEC
  h.writeUInt16LE(arch === 'x64' ? 62 : 183, 18); // e_machine: EM_X86_64 / EM_AARCH64
  h.writeUInt32LE(1, 20); // e_version
  h.writeBigUInt64LE(BASE + BigInt(CODE_OFFSET), 24); // e_entry
  h.writeBigUInt64LE(BigInt(EHDR_SIZE), 32); // e_phoff
  h.writeBigUInt64LE(0n, 40); // e_shoff: no section headers
  h.writeUInt32LE(0, 48); // e_flags
  h.writeUInt16LE(EHDR_SIZE, 52); // e_ehsize
  h.writeUInt16LE(PHDR_SIZE, 54); // e_phentsize
  h.writeUInt16LE(1, 56); // e_phnum
  h.writeUInt16LE(64, 58); // e_shentsize
  h.writeUInt16LE(0, 60); // e_shnum
  h.writeUInt16LE(0, 62); // e_shstrndx
  const p = EHDR_SIZE;
  h.writeUInt32LE(1, p); // p_type: PT_LOAD
  h.writeUInt32LE(5, p + 4); // p_flags: R + X
  h.writeBigUInt64LE(0n, p + 8); // p_offset
  h.writeBigUInt64LE(BASE, p + 16); // p_vaddr
  h.writeBigUInt64LE(BASE, p + 24); // p_paddr
  h.writeBigUInt64LE(BigInt(fileSize), p + 32); // p_filesz
  h.writeBigUInt64LE(BigInt(fileSize), p + 40); // p_memsz
  h.writeBigUInt64LE(0x1000n, p + 48); // p_align
  return h;
}

const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/**
 * x86_64:
 *   lea rsi, [rip+act]; xor edx, edx; mov r10d, 8
 *   mov edi, SIGTERM; mov eax, 13 (rt_sigaction); syscall
 *   mov edi, SIGINT;  mov eax, 13; syscall        (syscall keeps rsi, rdx, r10)
 * loop: mov eax, 34 (pause); syscall; jmp loop
 * handler: xor edi, edi; mov eax, 231 (exit_group); syscall
 * act: { sa_handler = handler, sa_flags = SA_RESTORER, sa_restorer = handler, sa_mask = 0 }
 * x86_64 refuses to deliver a signal without SA_RESTORER; the handler never returns, so
 * the restorer is never called and pointing it at the handler is harmless.
 */
function x64Code(): Buffer {
  const setup = (sig: number): number[] => [0xbf, ...u32(sig), 0xb8, ...u32(13), 0x0f, 0x05];
  const prologueLen = 7 + 2 + 6; // lea + xor + mov r10d
  const loop = [0xb8, ...u32(34), 0x0f, 0x05, 0xeb, 0xf7]; // jmp -9: back to the mov
  const handler = [0x31, 0xff, 0xb8, ...u32(231), 0x0f, 0x05];
  const handlerOffset = prologueLen + 2 * 12 + loop.length;
  const actOffset = handlerOffset + handler.length;
  const leaEnd = 7;
  const prologue = [0x48, 0x8d, 0x35, ...u32(actOffset - leaEnd), 0x31, 0xd2, 0x41, 0xba, ...u32(8)];
  const handlerAddr = BASE + BigInt(CODE_OFFSET + handlerOffset);
  const act = Buffer.alloc(32);
  act.writeBigUInt64LE(handlerAddr, 0);
  act.writeBigUInt64LE(0x04000000n, 8); // SA_RESTORER
  act.writeBigUInt64LE(handlerAddr, 16);
  act.writeBigUInt64LE(0n, 24);
  return Buffer.concat([Buffer.from([...prologue, ...setup(SIGTERM), ...setup(SIGINT), ...loop, ...handler]), act]);
}

/** `movz xd, #imm16` */
const movz = (rd: number, imm: number): number => (0xd2800000 | (imm << 5) | rd) >>> 0;
/** `adr xd, #offset` (offset from this instruction, in bytes) */
const adr = (rd: number, offset: number): number =>
  (0x10000000 | ((offset & 3) << 29) | (((offset >> 2) & 0x7ffff) << 5) | rd) >>> 0;
/** `b #offset` */
const branch = (offset: number): number => (0x14000000 | ((offset >> 2) & 0x3ffffff)) >>> 0;
const SVC0 = 0xd4000001;

/**
 * aarch64 has no `pause` syscall: ppoll with no descriptors and no timeout sleeps until a
 * signal arrives. The kernel returns from handlers through the vDSO there, so the
 * `struct sigaction` after the code needs no restorer: { handler, flags = 0, restorer = 0,
 * mask = 0 }.
 *
 *   0: adr x1, act; mov x2, #0; mov x3, #8
 *  12: mov x0, #SIGTERM; mov x8, #134 (rt_sigaction); svc #0
 *  24: mov x0, #SIGINT;  mov x8, #134; svc #0          (svc keeps x1..x7)
 *  36: mov x0, #0; mov x1, #0; mov x2, #0; mov x3, #0; mov x4, #0; mov x8, #73 (ppoll); svc #0; b 36
 *  68: mov x0, #0; mov x8, #94 (exit_group); svc #0
 *  80: act
 */
function arm64Code(): Buffer {
  const words = [
    adr(1, 80), movz(2, 0), movz(3, 8),
    movz(0, SIGTERM), movz(8, 134), SVC0,
    movz(0, SIGINT), movz(8, 134), SVC0,
    movz(0, 0), movz(1, 0), movz(2, 0), movz(3, 0), movz(4, 0), movz(8, 73), SVC0, branch(36 - 64),
    movz(0, 0), movz(8, 94), SVC0,
  ];
  const code = Buffer.alloc(words.length * 4 + 32);
  words.forEach((w, i) => code.writeUInt32LE(w, i * 4));
  code.writeBigUInt64LE(BASE + BigInt(CODE_OFFSET + 68), words.length * 4);
  return code;
}

/** Exposed for unit tests of the encoders. */
export const arm64Encoders = { movz, adr, branch };
