// swift-tools-version:6.0
// HybridSign: streaming sign-language production (hybrid autoregressive + MeanFlow) on the CPU.
// Module map and dependency direction: Docs/architecture.md.
import PackageDescription

/// The numeric modules (tensors, the model, metrics, the GIF encoder's pixel loops) are compiled
/// without bounds checks in release builds; debug builds keep them. Modules that parse files or
/// other untrusted bytes (`SafeTensorsFormat`, `TextEncoders`, `PoseData`, `Render`, `Notebook`)
/// keep their checks in every build, so a bug there traps instead of corrupting memory
/// (Docs/engine.md, "Bounds checks in the parsing modules", has the benchmarks).
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

/// The hand-vectorised kernels are compiled for one instruction set each, and only they:
/// `TensorKernels` for AVX-512, `TensorKernelsAVX2` for AVX2 + FMA (the same sources at 8 lanes).
/// Everything else stays portable, and `Tensors` calls a kernel module only after a runtime CPU
/// check (`KernelPath`). `-target-cpu x86-64-v4` is not accepted by this Swift's LLVM (and
/// `-Xcc -mavx512f` does not reach Swift code); `skylake-avx512` is the oldest CPU with the
/// x86-64-v4 set (AVX-512 F/CD/BW/DQ/VL) and `haswell` the oldest with x86-64-v3 (AVX2, FMA,
/// BMI1/2), the sets the runtime checks require. On other architectures the flags are left out and
/// the kernel modules compile empty (their sources are inside `#if arch(x86_64)`).
#if arch(x86_64)
let avx512KernelSettings: [SwiftSetting] = numericSettings + [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
let avx2KernelSettings: [SwiftSetting] = numericSettings + [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let avx512KernelSettings: [SwiftSetting] = numericSettings
let avx2KernelSettings: [SwiftSetting] = numericSettings
#endif

let package = Package(
    name: "hybridsign",
    products: [
        .executable(name: "hybridsign", targets: ["HybridSignCLI"]),
        .library(name: "Platform", targets: ["Platform"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "TextEncoders", targets: ["TextEncoders"]),
        .library(name: "PoseData", targets: ["PoseData"]),
        .library(name: "HybridSign", targets: ["HybridSign"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .library(name: "JupyterKernel", targets: ["JupyterKernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries (module maps + small C shims).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        // A header of the compiler's builtins (software prefetch) for the kernel modules; no library.
        .systemLibrary(name: "CKernelHints", path: "Sources/CKernelHints"),

        // Modules, lowest first; each depends only on modules above it in this list.
        .target(name: "Platform"),
        // Parses safetensors files (headers, offsets, dtypes): kept with bounds checks, below the unchecked Tensors.
        .target(name: "SafeTensorsFormat", dependencies: ["Platform"]),
        // Products with bfloat16 operands (C: the AVX-512 BF16 micro-kernel carries its own target attribute).
        .target(name: "BFloat16Kernels"),
        .target(name: "TensorKernels", dependencies: ["CKernelHints"], swiftSettings: avx512KernelSettings),
        // The same kernel sources as TensorKernels (symbolic links) at AVX2 width.
        .target(name: "TensorKernelsAVX2", dependencies: ["CKernelHints"], swiftSettings: avx2KernelSettings),
        .target(name: "Tensors", dependencies: ["Platform", "SafeTensorsFormat", "CBLAS", "BFloat16Kernels", "TensorKernels", "TensorKernelsAVX2"], swiftSettings: numericSettings),
        // Parses untrusted files (tokenizer.json, config.json, safetensors): kept with bounds checks.
        .target(name: "TextEncoders", dependencies: ["Platform", "Tensors"]),
        .target(name: "PoseData", dependencies: ["Platform", "SafeTensorsFormat", "CZlib"]),
        .target(name: "Evaluation", dependencies: ["PoseData"], swiftSettings: numericSettings),
        .target(name: "HybridSign", dependencies: ["Platform", "Tensors", "TextEncoders", "PoseData", "Evaluation"], swiftSettings: numericSettings),
        // The GIF encoder's per-pixel loops over the tool's own canvases (no file bytes): unchecked.
        .target(name: "GIFCoding", swiftSettings: numericSettings),
        .target(name: "Render", dependencies: ["Platform", "PoseData", "GIFCoding", "CPNG", "CZlib"]),
        .target(name: "Notebook", dependencies: ["Platform", "Tensors", "TextEncoders", "PoseData", "HybridSign", "Evaluation", "Render", "CEditLine"]),
        .target(name: "JupyterKernel", dependencies: ["Platform", "Notebook", "CZMQ", .product(name: "Crypto", package: "swift-crypto")]),
        .executableTarget(name: "HybridSignCLI", dependencies: [
            "Platform", "Tensors", "TextEncoders", "PoseData", "HybridSign", "Evaluation", "Render", "Notebook", "JupyterKernel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared by the test targets: running the Python references (Tests/TestSupport).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PlatformTests", dependencies: ["Platform"]),
        .testTarget(name: "TextEncodersTests", dependencies: ["TextEncoders", "Tensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PoseDataTests", dependencies: ["PoseData", "CZlib", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HybridSignTests", dependencies: ["HybridSign", "Tensors", "PoseData", "Evaluation", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "PoseData"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "PoseData", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "Platform", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "JupyterKernelTests", dependencies: ["JupyterKernel", "Notebook"]),
    ]
)
