// Hints to the memory system for the hand-vectorised kernels (TensorKernels, TensorKernelsAVX2),
// which Swift cannot express: a software prefetch.
#ifndef HYBRIDSIGN_KERNEL_HINTS_H
#define HYBRIDSIGN_KERNEL_HINTS_H

/// Asks for the cache line holding `address` to be brought into L2 (and the levels below it) for
/// reading, without waiting for it. It never faults, whatever `address` is; on x86-64 it is
/// `prefetcht1`. `static inline` keeps each caller's copy local, so the two kernel modules share no
/// symbol through it (KernelSymbolTests).
static inline __attribute__((always_inline)) void hybridsign_prefetch_to_l2(const void *address) {
    __builtin_prefetch(address, 0, 2);
}

#endif
