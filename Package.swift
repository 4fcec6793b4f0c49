// swift-tools-version: 6.1
// refer: a vector search engine for scholarly papers. Module map and dependency
// direction are described in docs/architecture.md.
import PackageDescription

/// The hot modules are optimized even in debug builds: SIMD kernels and the graph
/// walk are ~100x slower at -Onone, which would make the test suite crawl.
let hotSwift: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "refer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "refer", targets: ["refer"]),
        .library(name: "HNSW", targets: ["HNSW"]),
        .library(name: "ReferKernels", targets: ["Kernels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries, each a module map plus a one-line shim header.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb",
                       providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CXGBoost", pkgConfig: "xgboost",
                       providers: [.apt(["libxgboost-dev"])]),
        .systemLibrary(name: "CSystemZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCbc", pkgConfig: "cbc",
                       providers: [.apt(["coinor-libcbc-dev"])]),

        // Distance kernels: C intrinsics per ISA, chosen at run time.
        .target(name: "CKernels",
                cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]),
        .target(name: "Kernels", dependencies: ["CKernels"], swiftSettings: hotSwift),

        // bf16 and int8 matrix products on oneDNN (Debian libdnnl-dev) for the embedder.
        .target(name: "CMatmul",
                cSettings: [.unsafeFlags(["-O3"])],
                linkerSettings: [.linkedLibrary("dnnl")]),

        // Vector file formats, exact search and recall.
        .target(name: "VectorIO", dependencies: ["Kernels", "COpenBLAS", "CHDF5"], swiftSettings: hotSwift),

        // The HNSW graph index.
        .target(name: "HNSW", dependencies: ["Kernels", "CKernels"], swiftSettings: hotSwift),

        // The MiniLM embedder: safetensors, WordPiece, the BERT forward pass on OpenBLAS.
        .target(name: "Embedding", dependencies: ["CKernels", "CMatmul", "COpenBLAS", "CSystemZlib"], swiftSettings: hotSwift),

        // People's names: the one name key (PersonName), cleaning, LaTeX accents.
        .target(name: "Names"),

        // A Swift wrapper over liblmdb.
        .target(name: "LMDB", dependencies: ["CLMDB"]),

        // The paper store: layout, ingest, snapshots (docs/store.md).
        .target(name: "Storage", dependencies: ["LMDB", "HNSW", "EarlyTermination", "Kernels", "Names"]),

        // Assigning reviewers to papers: the problem in numbers, the exact flow (sum), the
        // max-min program (fair, on COIN-OR CBC), feasibility reasons, an independent check.
        .target(name: "Assignment", dependencies: ["CCbc"]),

        // Papers and reviewers: corpora, author names, similar papers, reviewer scoring,
        // conflicts, assignment, evaluation.
        .target(name: "Papers", dependencies: ["Assignment", "Storage", "Embedding", "HNSW", "Kernels", "Names",
                                              .product(name: "ZIPFoundation", package: "ZIPFoundation")]),

        // Gradient-boosted trees: native evaluation, and training through XGBoost.
        .target(name: "GBDT", swiftSettings: hotSwift),
        // Learned early termination's model (Li et al.): trees that set a search's budget
        // through HNSW's stop hook.
        .target(name: "EarlyTermination", dependencies: ["HNSW", "GBDT"], swiftSettings: hotSwift),
        .target(name: "XGBoostTraining", dependencies: ["GBDT", "CXGBoost"]),

        // Training and tuning learned early termination for an index.
        .target(name: "Tuning", dependencies: ["HNSW", "EarlyTermination", "GBDT", "XGBoostTraining", "VectorIO", "Kernels"]),

        // Benchmark harness behind `refer bench` (library so tests can drive it).
        // Learned termination tuned on a store's own index, kept in the store.
        .target(name: "StoreTuning", dependencies: ["Storage", "Tuning", "HNSW", "EarlyTermination", "VectorIO", "Kernels"]),
        .target(name: "ReferBench", dependencies: ["HNSW", "EarlyTermination", "VectorIO", "Kernels", "Embedding", "COpenBLAS", "Tuning"]),

        // The HTTP server and its web page: routes, validation, metrics (no logic of its own).
        .target(name: "ReferServer", dependencies: [
            "Papers", "Assignment", "Storage", "Embedding",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "server/Sources/ReferServer"),

        // The command line.
        .executableTarget(name: "refer", dependencies: [
            "Kernels", "VectorIO", "HNSW", "ReferBench", "Embedding", "Storage", "Papers", "Assignment", "ReferServer", "StoreTuning",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "KernelsTests", dependencies: ["Kernels"]),
        .testTarget(name: "VectorIOTests", dependencies: ["VectorIO", "CHDF5"]),
        .testTarget(name: "HNSWTests", dependencies: ["HNSW", "VectorIO"]),
        .testTarget(name: "EarlyTerminationTests", dependencies: ["EarlyTermination", "HNSW", "GBDT"]),
        .testTarget(name: "EmbeddingTests", dependencies: ["Embedding", "CKernels", "CMatmul", "VectorIO"]),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "TuningTests", dependencies: ["Tuning", "HNSW", "EarlyTermination", "VectorIO"]),
        .testTarget(name: "XGBoostTrainingTests", dependencies: ["XGBoostTraining", "GBDT", "HNSW", "EarlyTermination", "VectorIO"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "HNSW", "Names", "VectorIO", "Kernels"]),
        .testTarget(name: "StoreTuningTests", dependencies: ["StoreTuning", "Storage", "HNSW", "EarlyTermination", "Kernels", "VectorIO"]),
        .testTarget(name: "AssignmentTests", dependencies: ["Assignment"]),
        .testTarget(name: "PapersTests", dependencies: ["Papers", "Assignment", "Storage", "Names",
                                                       .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ReferBenchTests", dependencies: ["ReferBench", "VectorIO", "HNSW", "EarlyTermination", "GBDT"]),
        .testTarget(name: "ReferServerTests", dependencies: ["ReferServer", "Papers", "Storage", "Embedding",
                                                            .product(name: "Hummingbird", package: "hummingbird"),
                                                            .product(name: "Logging", package: "swift-log")],
                    path: "server/Tests/ReferServerTests"),
    ]
)
