import CBLAS
import Foundation

/// Which hand-vectorised kernels run the few-row products (`X·Wᵀ`, `A·B`) and the row softmax:
/// the AVX-512 module (`TensorKernels`), the AVX2 + FMA module (`TensorKernelsAVX2`), or none
/// (`portable`: OpenBLAS and the Swift loops of `Tensors`, compiled for baseline x86-64 or any
/// other architecture). Chosen once per process (``current``): the fastest path the CPU supports,
/// unless `HYBRIDSIGN_KERNELS` forces one.
public enum KernelPath: String, CaseIterable, Sendable, CustomStringConvertible {
    case avx512, avx2, portable

    /// The environment variable that forces a path (`avx512`, `avx2` or `portable`), for
    /// benchmarks and tests.
    public static let environmentVariable = "HYBRIDSIGN_KERNELS"

    public var description: String { rawValue }

    /// The instruction-set extensions the path needs, for messages.
    public var requirement: String {
        switch self {
        case .avx512: "AVX-512 F/CD/BW/DQ/VL (x86-64-v4)"
        case .avx2: "AVX2, FMA, F16C, BMI1/2, LZCNT and MOVBE (x86-64-v3)"
        case .portable: "nothing beyond the baseline"
        }
    }

    /// Whether this CPU and OS can run the path (read from `cpuid`/`xgetbv` once).
    public var isSupported: Bool {
        switch self {
        case .avx512: CPUSupport.avx512
        case .avx2: CPUSupport.avx2
        case .portable: true
        }
    }

    /// The paths this CPU runs, fastest first (`portable` always last).
    public static var supported: [KernelPath] { allCases.filter(\.isSupported) }

    /// The path named by `forced` (the value of `HYBRIDSIGN_KERNELS`), or the fastest of
    /// `available` (by default the paths this CPU supports) when it is nil or empty.
    public static func choose(forced: String?, available: [KernelPath] = supported) throws(KernelPathError) -> KernelPath {
        guard let forced, !forced.isEmpty else { return available.first ?? .portable }
        guard let path = KernelPath(rawValue: forced.lowercased()) else { throw .unknown(forced, available: available) }
        guard available.contains(path) else { throw .unsupported(path, available: available) }
        return path
    }

    /// The path this process uses, chosen on first use from `HYBRIDSIGN_KERNELS` and the CPU.
    /// A value that names no path, or a path this CPU lacks, stops the process with the error
    /// (exit status 2) rather than run on another path than asked, which would make benchmarks
    /// and tests report the wrong kernels; the `hybridsign` entry point checks it first
    /// (``checkEnvironment()``) so the command line reports it like any other error.
    public static let current: KernelPath = {
        do {
            return try checkEnvironment()
        } catch {
            FileHandle.standardError.write(Data("hybridsign: \(error)\n".utf8))
            exit(2)
        }
    }()

    /// The path `HYBRIDSIGN_KERNELS` asks for on this CPU, or why it cannot be used.
    public static func checkEnvironment() throws(KernelPathError) -> KernelPath {
        try choose(forced: getenv(environmentVariable).map { String(cString: $0) })
    }
}

/// A value of `HYBRIDSIGN_KERNELS` that cannot be honoured.
public enum KernelPathError: Error, CustomStringConvertible, Equatable {
    /// The value names no path (`available`: the paths the CPU supports).
    case unknown(String, available: [KernelPath])
    /// The CPU (or the OS) lacks the instructions of the path.
    case unsupported(KernelPath, available: [KernelPath])

    public var description: String {
        let valid = KernelPath.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .unknown(let value, let available):
            let here = available.map(\.rawValue).joined(separator: ", ")
            return "\(KernelPath.environmentVariable)=\(value) names no kernel path; the valid values are \(valid) "
                + "(this CPU supports \(here)), or leave it unset for the fastest"
        case .unsupported(let path, let available):
            let here = available.map(\.rawValue).joined(separator: ", ")
            return "\(KernelPath.environmentVariable)=\(path) needs \(path.requirement), which this CPU lacks; "
                + "this CPU supports \(here): choose one of those or leave it unset"
        }
    }
}

/// What the C shim reads from `cpuid`/`xgetbv`, once.
enum CPUSupport {
    static let avx2 = hybridsign_has_avx2() != 0
    static let avx512 = hybridsign_has_avx512() != 0
    /// AVX-512 and AVX512_BF16 (the bfloat16 products' kernel, ``BFloat16Route/kernel``).
    static let avx512BFloat16 = hybridsign_has_avx512_bf16() != 0
}
